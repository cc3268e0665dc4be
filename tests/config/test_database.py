import os
import subprocess
import sys

from django.db import connection

SHOW_ENGINE = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"


def _engine_with(env_overrides: dict[str, str]) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "wraparound.config.settings"
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + SHOW_ENGINE],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_sqlite_is_the_default_database(tmp_path):
    assert _engine_with({"WRAPAROUND_DATA_DIR": str(tmp_path)}) == "django.db.backends.sqlite3"


def test_database_url_switches_to_postgresql():
    engine = _engine_with({"DATABASE_URL": "postgres://wrap:secret@127.0.0.1:5432/wraparound"})
    assert engine == "django.db.backends.postgresql"


def test_the_suite_runs_on_the_database_it_was_asked_for():
    wanted = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == wanted
