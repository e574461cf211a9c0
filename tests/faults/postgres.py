"""A throwaway PostgreSQL cluster for the fault tests (benchmarks/services.py, shared with the
soak run); never the machine's own server. Without PostgreSQL's programs the test is skipped."""

from __future__ import annotations

import pytest

from benchmarks import services


class Cluster(services.Cluster):
    def __init__(self) -> None:
        try:
            super().__init__(prefix="cms-faults-pg-")
        except services.ServiceMissing as missing:
            pytest.skip(str(missing))
