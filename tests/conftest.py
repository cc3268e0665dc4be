"""Shared fixtures: a small place with organisations, teams, staff and people."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import (
    PlaceFixture,
    build_small_place,
)
from wraparound.access import audit

# Pauses coverage for tests outside the apps with a floor (see tests/coverage_scope.py).
pytest_plugins = ["tests.coverage_scope"]

# Each commit seals its own audit events at once in the suite, so a test can count on them;
# tests/access/test_audit_live.py proves the production pacing on its own.
audit.SEAL_INTERVAL = 0.0


@pytest.fixture
def place(db) -> PlaceFixture:
    return build_small_place()


@pytest.fixture
def mid_morning(time_machine):
    """10:00 in London on a Tuesday: a test that needs the hours after "now" to lie inside
    today's shifts says so with this, instead of passing only when CI happens to run by day."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    time_machine.move_to(
        dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London")), tick=True
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing strength is not under test; PBKDF2's cost would dominate the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _clock_from_environment():
    """Run the whole suite at a chosen wall-clock time, e.g. WRAPAROUND_TEST_CLOCK=2026-12-01T23:30.

    CI runs at whatever hour it is given; a test that passes at noon and fails at 23:30 is a
    defect in the test or the product. This lets anyone replay the suite at the awkward hours
    (late evening, just after midnight, the clock change) instead of waiting for them.
    """
    chosen = os.environ.get("WRAPAROUND_TEST_CLOCK")
    if not chosen:
        yield
        return
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    when = dt.datetime.fromisoformat(chosen).replace(tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(when, tick=True):
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, test against a file with the production settings (WAL, a busy timeout,
    immediate transactions) instead of a shared in-memory database: an in-memory database
    refuses a second thread's write outright ("table is locked") where the file waits, so
    only the file shows how concurrent writers really behave."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("database") / "test.sqlite3"
        )


@pytest.fixture(autouse=True)
def _audit_checkpoints_of_this_test(tmp_path, monkeypatch):
    # Checkpoints are kept beside the real database by default; a test's chain is its own.
    monkeypatch.setenv("WRAPAROUND_AUDIT_CHECKPOINTS", str(tmp_path / "audit-checkpoints"))
