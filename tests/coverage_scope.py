"""Branch coverage of the apps with a floor, measured by their own tests only.

Under ``coverage run`` (``scripts/test`` on SQLite), the tracer runs while imports happen and
while the tests of ``access``, ``door``, ``referrals``, ``planning`` and ``scheduling`` run,
and is paused for every other test. Tracing the whole suite made it about six times slower
on Python 3.11 (the demo builder and the browser journeys run much Python, and the tracer is
called for every line of it, measured or not); pausing it leaves the figures conservative
(only an app's own tests count) and the suite about a third slower.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import coverage
import pytest

TESTS = Path(__file__).resolve().parent
MEASURED = {TESTS / name for name in ("access", "referrals", "planning", "scheduling")}


def _measured(item: pytest.Item) -> bool:
    path = Path(str(item.path)).resolve()
    return any(folder in path.parents for folder in MEASURED)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, None, None]:
    cov = coverage.Coverage.current()
    if cov is None or _measured(item):
        yield
        return
    cov.stop()
    try:
        yield
    finally:
        cov.start()
