"""Fixtures of the API tests (the demo-like catalogue lives in catalogue_data.py)."""

from .catalogue_data import catalogue  # noqa: F401 (a fixture, registered by being here)
