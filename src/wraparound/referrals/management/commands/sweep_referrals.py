"""``wraparound sweep-referrals``: triage referrals a crash left stored but untriaged.

Run it beside the web server (``--every 30`` keeps sweeping, as a supervised process), so a
referral whose request died between storing and triaging gets its urgency and clock within a
minute, with no client retry needed.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wraparound.access.actors import System
from wraparound.referrals.actions import triage_stranded

SWEEPER = System("sweep-referrals")


class Command(BaseCommand):
    help = "Triage referrals left untriaged by a crash (once, or every N seconds with --every)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, metavar="SECONDS")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            triaged = triage_stranded(by=SWEEPER)
            if triaged:
                self.stdout.write(f"Triaged {len(triaged)} stranded referral(s): {triaged}")
            if options["every"] <= 0:
                return
            time.sleep(options["every"])
