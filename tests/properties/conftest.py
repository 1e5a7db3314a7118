"""Hypothesis profiles for the property tests.

"ci" (the default) is derandomized, so every run of the suite draws the same
examples and a failure in CI is a failure on every machine; it keeps no example
database, and its caches live in the temporary folder, so no `.hypothesis/` folder
appears in the working tree. "dev" draws
fresh examples each run (`HYPOTHESIS_PROFILE=dev`), to look for new failures
(Hypothesis prints the failing example to paste into a regression test).
Each test sets its own `max_examples`: the folder stays well under a minute.

The autouse `_test_settings` fixture of tests/conftest.py is function-scoped and
only sets Django settings, the same for every example, so the health check that
warns about function-scoped fixtures is suppressed.
"""

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings

# Hypothesis caches Unicode tables and constants on disk; keep them out of the
# working tree (read when first needed, so setting it here is early enough).
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "hypothesis")
)

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "dev",
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
