"""Real servers for the fault tests (benchmarks/services.py, shared with the soak run): a test
whose server program is not installed is skipped."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator

import pytest

from benchmarks import services
from benchmarks.services import HangingProxy, free_port, wait_for_port

__all__ = ["HangingProxy", "free_port", "redis_server", "wait_for_port"]


@contextlib.contextmanager
def redis_server(port: int) -> Iterator[subprocess.Popen]:
    try:
        process = services.start_redis(port)
    except services.ServiceMissing as missing:
        pytest.skip(str(missing))
    try:
        yield process
    finally:
        services.stop_process(process)
