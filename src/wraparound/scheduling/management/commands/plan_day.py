"""``wraparound plan-day [--date D] [--time-limit S]``: draft every team's plan, a task per team."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from wraparound.scheduling.tasks import plan_every_team
from wraparound.workforce.models import Shift, StaffMember


class Command(BaseCommand):
    help = "Plan the day for every team with staff on shift, as draft plans for each team leader to publish."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD (default tomorrow)")
        parser.add_argument(
            "--time-limit", type=float, default=5.0, help="seconds of search per team"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = (
                dt.date.fromisoformat(options["date"])
                if options["date"]
                else timezone.localdate() + dt.timedelta(days=1)
            )
        except ValueError as exc:
            raise CommandError(
                f"--date: {options['date']!r} is not a date like 2026-11-23"
            ) from exc
        teams = set(Shift.objects.filter(date=day).values_list("staff__team", flat=True)) - {None}
        leaders = {
            m.team_id: m.user
            for m in StaffMember.objects.filter(team__in=teams, role="team_leader")
            .select_related("user")
            .order_by("pk")
        }
        started = time.monotonic()
        results = plan_every_team(day=day, by_team_leader=leaders, time_limit=options["time_limit"])
        for result in results:
            value = result.return_value if result.is_finished else None
            self.stdout.write(f"{result.status}: {value}")
        self.stdout.write(
            f"Planned {len(results)} teams for {day} in {time.monotonic() - started:.1f} s"
        )
