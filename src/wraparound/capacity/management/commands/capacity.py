"""``wraparound capacity``: keep live capacity true, count demand, and try a rota.

    wraparound capacity refresh [--every 600]   crews on shift into the directory
    wraparound capacity count-demand [--days 1] yesterday's 2-hour referrals, by hour
    wraparound capacity simulate ROTA.csv [--place CODE] [--replications 30]

``simulate`` runs a year of the place's demand (the last year's hourly counts) against a
weekly rota file (``day,start,end,crews``) and prints the share of calls reached within 2
hours with its 95% interval. A rota with a gap or an overlap is refused, naming its row.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from wraparound.access.actors import System
from wraparound.demand.files import WeekFileError, read_weekly_rota
from wraparound.demand.simulation import replicate, simulate_response
from wraparound.organisations.models import Place

from ...actions import record_crews_on_shift, record_demand_hours
from ...live import BUSY_MINUTES, TRAVEL_MINUTES, demand_by_hour

OPERATOR = System("capacity")


class Command(BaseCommand):
    help = "Keep live capacity true, count demand, and simulate a rota against a year of demand."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        refresh = sub.add_parser("refresh", help="Crews on shift into the directory")
        refresh.add_argument("--every", type=int, default=0, metavar="SECONDS")
        count = sub.add_parser("count-demand", help="Count the last days' 2-hour referrals")
        count.add_argument("--days", type=int, default=1)
        simulate = sub.add_parser("simulate", help="A year of demand against a weekly rota")
        simulate.add_argument("rota", type=Path)
        simulate.add_argument("--place", default="")
        simulate.add_argument("--replications", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "refresh":
            while True:
                updated = record_crews_on_shift(by=OPERATOR)
                self.stdout.write(f"Crews on shift written for {len(updated)} service(s)")
                if options["every"] <= 0:
                    return
                time.sleep(options["every"])
        elif options["what"] == "count-demand":
            last = timezone.localdate() - dt.timedelta(days=1)
            first = last - dt.timedelta(days=max(1, options["days"]) - 1)
            hours = record_demand_hours(by=OPERATOR, first=first, last=last)
            self.stdout.write(f"Counted {hours} hour(s) of demand from {first} to {last}")
        else:
            self._simulate(options)

    def _simulate(self, options: dict[str, Any]) -> None:
        path: Path = options["rota"]
        try:
            crews = read_weekly_rota(path.read_text().splitlines())
        except OSError as exc:
            raise CommandError(f"rota: cannot read {path}: {exc.strerror}") from exc
        except WeekFileError as exc:
            raise CommandError(f"rota: {exc}") from exc
        place = (
            Place.objects.filter(code=options["place"]).first()
            if options["place"]
            else Place.objects.order_by("pk").first()
        )
        if place is None:
            raise CommandError("place: no such place")
        calls, hours = demand_by_hour(place, timezone.now())
        if hours == 0:
            raise CommandError("place: no demand counted yet (run count-demand)")
        estimate = replicate(
            lambda seed: (
                simulate_response(
                    calls_by_hour=calls,
                    crews_by_hour=crews,
                    busy_minutes=BUSY_MINUTES,
                    travel_minutes=TRAVEL_MINUTES,
                    weeks=52,
                    seed=seed,
                ).within
            ),
            options["replications"],
        )
        self.stdout.write(
            f"{place.name}: {sum(calls) / 7:.1f} calls a day over {hours} hours of history; "
            f"{estimate.mean:.1%} reached within 2 hours "
            f"(95% interval {estimate.low:.1%} to {estimate.high:.1%}, "
            f"{estimate.replications} replications of a year)"
        )
