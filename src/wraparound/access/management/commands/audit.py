"""``wraparound audit verify`` and ``wraparound audit checkpoint``.

``verify`` seals what has committed, checks the hash chain up to its head, then holds it to
every signed checkpoint (``WRAPAROUND_AUDIT_CHECKPOINTS``). ``checkpoint`` seals and appends
one; run it every minute or so (``--every 60``) so a rewrite of history by whoever controls
the database is seen, and so no event waits longer than that to be sealed.
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
        audit.seal()
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
            "are checked next time)"
            + (
                f"; {report.unsealed} written since, not yet sealed, are unaltered."
                if report.unsealed
                else "."
            )
        )

    def _checkpoint(self, every: int) -> None:
        while True:
            audit.seal()
            written = write_checkpoint()
            if written is not None:
                self.stdout.write(f"Checkpoint of event #{written.sequence} in {checkpoint_file()}")
            if every <= 0:
                return
            time.sleep(every)
