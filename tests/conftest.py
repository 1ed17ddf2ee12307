"""Hypothesis profiles: ``dev`` (fast, the default) and ``ci`` (thorough; HYPOTHESIS_PROFILE=ci, as .ci/run sets);
the session's own parser-cache directory."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

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

# The parser caches of this session (the grammars of the test plugins among them) go to a directory of
# its own, not to the user's ~/.cache/gxgk; subprocesses (the CLI tests) inherit it.
_CACHE_HOME = tempfile.mkdtemp(prefix="gxgk-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE_HOME
atexit.register(shutil.rmtree, _CACHE_HOME, ignore_errors=True)
