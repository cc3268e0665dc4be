"""``wraparound token USERNAME``: print a bearer token for the FHIR API."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wraparound.access.actors import System
from wraparound.fhir.actions import issue_token


class Command(BaseCommand):
    help = "Print a new bearer token for USERNAME (valid 30 days). Only its hash is stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            secret, token = issue_token(username=options["username"], by=System("wraparound token"))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(secret)
        self.stderr.write(
            f"Expires {token.expires_at:%Y-%m-%d %H:%M %Z}. Use: Authorization: Bearer <token>"
        )
