"""``wraparound population load-imd FILE --by USER`` loads small areas and deprivation
from the English Indices of Deprivation 2025, File 7 (CSV); ``wraparound population score``
scores every resident (a task per batch of 5,000; with the database task backend, workers
run them)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wraparound.population.actions import load_deprivation
from wraparound.population.tasks import BATCH, score_everyone


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        imd = sub.add_parser("load-imd", help="Load File 7 of the English Indices (CSV)")
        imd.add_argument("file", type=Path)
        imd.add_argument("--by", required=True, help="The administrator loading it")
        score = sub.add_parser("score", help="Score every resident")
        score.add_argument("--on", type=dt.date.fromisoformat, default=None)
        score.add_argument("--batch", type=int, default=BATCH)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "score":
            batches = score_everyone(on=options["on"], batch=options["batch"])
            self.stdout.write(f"{batches} batch{'es' if batches != 1 else ''} of scoring enqueued")
            return
        user = get_user_model().objects.filter(username=options["by"]).first()
        if user is None:
            raise CommandError(f"No user {options['by']}")
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"No file {path}")
        with path.open(encoding="utf-8-sig", newline="") as lines:
            report = load_deprivation(lines, source=path.name, by=user)
        for error in report.errors:
            self.stderr.write(error)
        if report.errors:
            raise CommandError(f"{len(report.errors)} bad line(s): nothing was loaded")
        self.stdout.write(
            f"{report.areas} small areas loaded; {report.residents_updated} residents' deciles changed"
        )
