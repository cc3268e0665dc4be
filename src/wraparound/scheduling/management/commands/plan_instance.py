"""``wraparound plan-instance INSTANCE.json --time-limit S --seed N --out SOLUTION.json``."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wraparound.planning.cli import main


class Command(BaseCommand):
    help = "Plan an hhc-routing/1 instance with Wraparound's planner and write the solution."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # The planning library owns the arguments; hand them over untouched.
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument("args", nargs="*")
        return parser

    def run_from_argv(self, argv: list[str]) -> None:
        sys.exit(main(argv[2:]))

    def handle(self, *args: Any, **options: Any) -> None:
        sys.exit(main(list(args)))
