"""Shared test configuration: hypothesis profiles.

``dev`` (default) keeps the suite quick; ``ci`` (selected by
``HYPOTHESIS_PROFILE=ci``, as ``.ci/run`` does) runs 250 examples per
property, which keeps the whole ``make test`` near ten minutes on two cores
with about 1,950 tests.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
