"""Hypothesis profiles: ``dev`` (fast, the default) and ``ci`` (thorough; HYPOTHESIS_PROFILE=ci, as .ci/run sets)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

_SLOW_DATA = [HealthCheck.too_slow, HealthCheck.data_too_large]

settings.register_profile("dev", max_examples=25, deadline=None, suppress_health_check=_SLOW_DATA)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=False,
    print_blob=True,
    suppress_health_check=_SLOW_DATA,
)
# for a quick look at failures: no shrinking (each example is a whole report, shrinking is slow)
settings.register_profile(
    "explore", max_examples=25, deadline=None, suppress_health_check=_SLOW_DATA, phases=[Phase.generate, Phase.target]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
