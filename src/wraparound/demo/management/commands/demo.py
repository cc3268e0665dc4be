"""``wraparound demo``: build the synthetic place of Wrexford and serve the web UI."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from wraparound.demo.place import DEMO_PASSWORD, DEMO_USERS, build_place


class Command(BaseCommand):
    help = (
        "Build the synthetic place (deterministic for --seed) and serve it on http://127.0.0.1:8000"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--residents", type=int, default=50_000, help="residents of the place")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="build only, do not serve")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["residents"] < 1000:
            from django.core.management.base import CommandError

            raise CommandError("--residents must be at least 1000 for a plausible place")
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        report = build_place(seed=options["seed"], residents_count=options["residents"])
        took = time.monotonic() - started
        if report.built:
            self.stdout.write(f"Built the place of Wrexford (seed {report.seed}) in {took:.1f} s:")
        else:
            self.stdout.write("The place of Wrexford is already built; nothing changed:")
        for name, count in report.counts.items():
            self.stdout.write(f"  {count:>7,} {name}")
        self.stdout.write(
            f"Demo users (password '{DEMO_PASSWORD}', demo only): "
            + ", ".join(u.username for u in DEMO_USERS)
        )
        if options["no_serve"]:
            return
        # The planner's compiled loops are built (or loaded from the cache) now,
        # so that a team leader's first "plan tomorrow" does not wait for them.
        from wraparound.planning.search import warm

        warmed = time.monotonic()
        warm()
        self.stdout.write(f"The planner is ready ({time.monotonic() - warmed:.1f} s)")
        self.stdout.write(f"Serving on http://127.0.0.1:{options['port']}/ (Ctrl-C to stop)")
        call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)
