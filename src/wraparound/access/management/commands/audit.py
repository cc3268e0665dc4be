"""``wraparound audit verify``: check the audit trail's hash chain."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wraparound.access import audit


class Command(BaseCommand):
    help = "Audit trail tools. 'verify' checks the hash chain and names the first broken event."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit.verify()
        if not report.ok:
            raise CommandError(
                f"Audit trail is BROKEN at event #{report.first_broken_sequence}: {report.problem} "
                f"({report.events_checked} events before it are intact)"
            )
        self.stdout.write(
            f"Audit trail intact: {report.events_checked} events verified, up to "
            f"#{report.events_checked} (the chain's head when verifying began; later events "
            "are checked next time)."
        )
