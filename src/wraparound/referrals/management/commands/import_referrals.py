"""``wraparound import-referrals FILE.csv --by USERNAME``: a batch of referrals from a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wraparound.access.permissions import NoAccess
from wraparound.referrals.intake import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, import_referrals


class Command(BaseCommand):
    help = (
        "Import referrals from a CSV file (columns: "
        + ", ".join(REQUIRED_COLUMNS)
        + "; optional: "
        + ", ".join(OPTIONAL_COLUMNS)
        + "). Bad rows are reported by row, field and reason; the good ones are imported. "
        "Exit code 2 when any row was refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--by", required=True, help="username of the member of staff sending the batch"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        user = get_user_model().objects.filter(username=options["by"]).first()
        if user is None:
            raise CommandError(f"--by: no user is called {options['by']}", returncode=2)
        try:
            with path.open(encoding="utf-8-sig", newline="") as lines:
                report = import_referrals(lines, by=user, source_name=path.name)
        except OSError as exc:
            raise CommandError(
                f"{path}: cannot read the file ({exc.strerror})", returncode=2
            ) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not a UTF-8 text file", returncode=2) from exc
        except ValidationError as exc:
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            raise CommandError(f"{path}: {problems}", returncode=2) from exc
        except NoAccess as exc:
            raise CommandError(f"--by: {exc}", returncode=2) from exc
        self.stdout.write(
            f"{path.name}: {report.rows} rows; imported {report.imported} new referrals, "
            f"{report.already_present} already present; refused {len(report.refused_rows)} rows."
        )
        for error in report.errors:
            self.stdout.write(f"  {error}")
        if report.errors:
            raise CommandError(
                f"{len(report.refused_rows)} rows were refused (listed above); the rest were imported",
                returncode=2,
            )
