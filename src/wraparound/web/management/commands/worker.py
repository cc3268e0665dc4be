"""``wraparound worker``: run background tasks from the database queue.

Start as many as you like, on any machine that reaches the database; each claims one task at
a time, so planning every team spreads across them. Before each round it puts back on the
queue any task a dead worker left running past its lease (``--lease``, seconds). Needs
``WRAPAROUND_TASK_BACKEND=database`` for the web server and the commands that enqueue.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from wraparound.web.workers import LEASE, requeue_abandoned


class Command(BaseCommand):
    help = "Run background tasks from the database queue (--batch: until it is empty)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")
        parser.add_argument("--interval", type=float, default=1.0, metavar="SECONDS")
        parser.add_argument("--lease", type=float, default=LEASE.total_seconds(), metavar="SECONDS")

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        lease = dt.timedelta(seconds=options["lease"])
        while True:
            if requeued := requeue_abandoned(lease=lease):
                self.stdout.write(f"Put {requeued} abandoned task(s) back on the queue")
            call_command(
                "db_worker",
                batch=True,
                worker_id=worker_id,
                startup_delay=False,
                verbosity=options["verbosity"],
            )
            if options["batch"]:
                return
            time.sleep(options["interval"])
