"""Shared test setup: Hypothesis profiles.

HYPOTHESIS_PROFILE=ci (set by .ci/run): a fixed number of examples, derandomized, no deadline.
HYPOTHESIS_PROFILE=long: the long fuzz run, 100,000 examples a property (see README).
HYPOTHESIS_PROFILE=10k: 10,000 examples a property, a local check of a new or changed property.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=150,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "long",
    max_examples=100_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("10k", max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
