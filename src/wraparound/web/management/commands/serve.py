"""``wraparound serve``: Wraparound under gunicorn, a production WSGI server.

Workers are processes (``--workers``, or ``WRAPAROUND_WORKERS``; by default one per core plus
one) each with threads (``--threads``, ``WRAPAROUND_THREADS``; default 4), bound to
``--bind`` (``WRAPAROUND_BIND``; default 127.0.0.1:8000, for a reverse proxy in front).
Database connections persist and are health-checked (``WRAPAROUND_CONN_MAX_AGE``), and a
worker imports the planner only when it first plans, so a fresh worker answers at once.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


def _default_workers() -> int:
    return (os.cpu_count() or 1) + 1


class Command(BaseCommand):
    help = "Serve Wraparound with gunicorn (production WSGI server)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("WRAPAROUND_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WRAPAROUND_WORKERS", 0))
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("WRAPAROUND_THREADS", 4))
        )
        parser.add_argument(
            "--timeout", type=int, default=int(os.environ.get("WRAPAROUND_TIMEOUT", 60))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings as django_settings
        from gunicorn.app.base import BaseApplication

        if "WRAPAROUND_CONN_MAX_AGE" not in os.environ:
            # Persistent connections by default here: a new PostgreSQL connection costs about
            # 15 ms of its CPU per request. Set before the workers fork, so each inherits it.
            django_settings.DATABASES["default"]["CONN_MAX_AGE"] = 60

        # The same application config/wsgi.py builds, made here so that web needs no import
        # from config (config's URLs import web's views: one direction only).
        from django.core.wsgi import get_wsgi_application

        application = get_wsgi_application()

        settings = {
            "bind": options["bind"],
            "workers": options["workers"] or _default_workers(),
            "threads": options["threads"],
            "timeout": options["timeout"],
            "worker_class": "gthread",
            # One line per request to standard output; WRAPAROUND_ACCESS_LOG=0 turns it off.
            "accesslog": None if os.environ.get("WRAPAROUND_ACCESS_LOG") == "0" else "-",
            # A worker restarts after this many requests, so a slow leak cannot grow forever.
            "max_requests": 5000,
            "max_requests_jitter": 500,
        }

        class Wraparound(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                for key, value in settings.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                return application

        self.stdout.write(
            f"Serving on http://{settings['bind']} with {settings['workers']} workers of "
            f"{settings['threads']} threads (gunicorn)"
        )
        Wraparound().run()
