"""The national Directory of Services (DoS) service types, from the published reference list."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

_CSV = Path(__file__).with_name("dos_service_types.csv")


@cache
def service_types() -> dict[int, str]:
    """DoS service-type id -> name (e.g. 146 -> "Urgent Community Response (UCR)")."""
    with _CSV.open(newline="", encoding="utf-8") as rows:
        return {int(row["dos_service_type_id"]): row["name"] for row in csv.DictReader(rows)}


def name_of(dos_id: int) -> str:
    return service_types().get(dos_id, f"unknown DoS service type {dos_id}")
