"""Shared test configuration: Hypothesis profiles (derandomized on CI) and common groups."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from mpgames.scheme.groups import Group, named_group

settings.register_profile(
    "ci", derandomize=True, deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None, max_examples=60)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def toy() -> Group:
    """p = 2039, q = 1019, g = 4: the spec's unit-test group."""
    return named_group("toy-2039")


@pytest.fixture(scope="session")
def std() -> Group:
    """RFC 5114 §2.3, the default standard-tier group."""
    return named_group("rfc5114-2048-256")
