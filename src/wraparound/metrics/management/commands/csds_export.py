"""``wraparound csds-export TABLE --from DAY --to DAY --as USERNAME --out FILE.csv``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wraparound.access.permissions import NoAccess
from wraparound.metrics.csds.export import export_table, parse_day
from wraparound.metrics.csds.schema import TABLES, table_named

# How the export's field names are spelt on the command line.
ARGUMENT = {"table": "TABLE", "from": "--from", "to": "--to", "as": "--as"}


class Command(BaseCommand):
    help = (
        "Export one CSDS-style table (" + ", ".join(TABLES) + ") for the days --from to --to "
        "(inclusive) as the provider of the user --as. Nothing is written when any value fails "
        "its column's check: every problem is listed by row and column. Exit code 2 on any error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("table", metavar="TABLE", help=", ".join(TABLES) + " (or CYP101 ...)")
        parser.add_argument(
            "--from", dest="period_from", metavar="YYYY-MM-DD", required=True, help="first day"
        )
        parser.add_argument(
            "--to", dest="period_to", metavar="YYYY-MM-DD", required=True, help="last day"
        )
        parser.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            required=True,
            help="the user exporting (a metrics role)",
        )
        parser.add_argument(
            "--out", type=Path, metavar="FILE.csv", required=True, help="the CSV file to write"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        try:
            table = table_named(options["table"])
        except KeyError as exc:
            raise CommandError(f"TABLE: {exc.args[0]}", returncode=2) from None
        try:
            start = parse_day(options["period_from"], "from")
            end = parse_day(options["period_to"], "to")
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None:
                raise ValidationError({"as": f"no user is called {options['username']}"})
            text, problems = export_table(table, start, end, by=user)
        except ValidationError as exc:
            messages = "; ".join(
                f"{ARGUMENT.get(field, field)}: {' '.join(errors)}"
                for field, errors in exc.message_dict.items()
            )
            raise CommandError(messages, returncode=2) from exc
        except NoAccess as exc:
            raise CommandError(f"--as: {exc}", returncode=2) from exc
        if problems:
            for problem in problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(
                f"{len(problems)} values failed their column's check (listed above); "
                f"nothing was written to {out}",
                returncode=2,
            )
        try:
            out.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            raise CommandError(f"--out: cannot write {out} ({exc.strerror})", returncode=2) from exc
        rows = text.count("\r\n") - 1
        self.stdout.write(f"{out}: {rows} rows of {table.name}")
