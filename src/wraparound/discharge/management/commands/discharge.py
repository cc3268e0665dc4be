"""``wraparound discharge``: the hospital's list from a file, and the nightly count.

    wraparound discharge import FILE.csv --by USERNAME    the list, as the hospital exports it
    wraparound discharge count-days [--days 1]           the days before today into the metrics

``import`` reports each bad row as ``row N, field: reason`` and exits 2 if any was refused;
importing the same file again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from wraparound.access.actors import System

from ...actions import record_hospital_days
from ...intake import import_hospital_list


class Command(BaseCommand):
    help = "Import a hospital's list (CSV), or count the hospitals' days into the metrics."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        load = sub.add_parser("import", help="The hospital's list from a CSV file")
        load.add_argument("file", type=Path)
        load.add_argument("--by", required=True, metavar="USERNAME")
        count = sub.add_parser("count-days", help="The days before today, for the metrics")
        count.add_argument("--days", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "count-days":
            last = timezone.localdate() - dt.timedelta(days=1)
            first = last - dt.timedelta(days=max(1, options["days"]) - 1)
            rows = record_hospital_days(by=System("discharge count-days"), first=first, last=last)
            self.stdout.write(f"Counted {rows} hospital day(s) from {first} to {last}")
            return
        user = get_user_model().objects.filter(username=options["by"]).first()
        if user is None:
            raise CommandError(f"by: no user {options['by']!r}")
        try:
            with options["file"].open(encoding="utf-8-sig", newline="") as lines:
                report = import_hospital_list(lines, by=user)
        except OSError as exc:
            raise CommandError(f"file: cannot read {options['file']}: {exc.strerror}") from exc
        self.stdout.write(
            f"{report.rows} row(s): {report.new} new, {report.changed} changed, "
            f"{report.same} unchanged, {len(report.errors)} refused"
        )
        for error in report.errors:
            self.stderr.write(error)
        if report.errors:
            raise SystemExit(2)
