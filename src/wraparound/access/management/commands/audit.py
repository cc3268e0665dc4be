"""``wraparound audit verify`` and ``wraparound audit checkpoint``.

``verify`` checks the hash chain up to its head, then holds it to every signed checkpoint
(``WRAPAROUND_AUDIT_CHECKPOINTS``). ``checkpoint`` appends one; run it every minute or so
(``--every 60``) so a rewrite of history by whoever controls the database is seen.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wraparound.access import audit
from wraparound.access.checkpoints import checkpoint_file, checkpoint_problems, write_checkpoint


class Command(BaseCommand):
    help = "Audit trail tools: 'verify' the hash chain and its checkpoints; write a 'checkpoint'."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "checkpoint"])
        parser.add_argument("--every", type=int, default=0, metavar="SECONDS")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "checkpoint":
            self._checkpoint(options["every"])
            return
        report = audit.verify()
        if not report.ok:
            raise CommandError(
                f"Audit trail is BROKEN at event #{report.first_broken_sequence}: {report.problem} "
                f"({report.events_checked} events before it are intact)"
            )
        problems = checkpoint_problems()
        if problems:
            raise CommandError("Audit trail disagrees with its checkpoints: " + "; ".join(problems))
        self.stdout.write(
            f"Audit trail intact: {report.events_checked} events verified, up to "
            f"#{report.events_checked} (the chain's head when verifying began; later events "
            "are checked next time)."
        )

    def _checkpoint(self, every: int) -> None:
        while True:
            written = write_checkpoint()
            if written is not None:
                self.stdout.write(f"Checkpoint of event #{written.sequence} in {checkpoint_file()}")
            if every <= 0:
                return
            time.sleep(every)
