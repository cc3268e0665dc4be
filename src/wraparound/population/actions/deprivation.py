"""Small areas and their deprivation, from the English Indices of Deprivation 2025, File 7
("All ranks, scores, deciles and population denominators", CSV).

The columns read (by their published names): ``LSOA code (2021)``, ``LSOA name (2021)``,
``Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)``, ``Index of Multiple
Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)`` and, when present, the
first column whose name begins ``Total population``. Every row is checked first: one bad row
and nothing is stored, each bad row named by its line (the header is line 1). Then each
resident living in a loaded small area takes its decile.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wraparound.access import audit
from wraparound.access.actors import Actor, System, require_actor
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.caseload.models import Patient

from ..models import SmallArea

CODE = "LSOA code (2021)"
NAME = "LSOA name (2021)"
RANK = "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"
DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
REQUIRED = (CODE, NAME, RANK, DECILE)
LSOA = re.compile(r"^[EW]01\d{6}$")
MOST_ERRORS = 50


@dataclass
class AreaReport:
    areas: int = 0
    residents_updated: int = 0
    errors: list[str] = field(default_factory=list)


def _whole(text: str, column: str, low: int, high: int | None = None) -> int:
    cleaned = text.replace(",", "").strip()
    if not cleaned.isdigit() or int(cleaned) < low or (high is not None and int(cleaned) > high):
        limits = f"{low} to {high}" if high is not None else f"{low} or more"
        raise ValidationError({column: f"'{text}' is not a whole number {limits}"})
    return int(cleaned)


def _area(row: dict[str, str], population_column: str | None) -> dict[str, object]:
    code = (row.get(CODE) or "").strip()
    if not LSOA.match(code):
        raise ValidationError({CODE: f"'{code}' is not a 2021 LSOA code (E01 and 6 digits)"})
    name = (row.get(NAME) or "").strip()
    if not name:
        raise ValidationError({NAME: "is required"})
    population = None
    if population_column and (row.get(population_column) or "").strip():
        population = _whole(row[population_column], population_column, 0)
    return {
        "code": code,
        "name": name[:100],
        "imd_rank": _whole(row.get(RANK) or "", RANK, 1),
        "imd_decile": _whole(row.get(DECILE) or "", DECILE, 1, 10),
        "population": population,
    }


def load_deprivation(lines: Iterable[str], *, source: str, by: Actor) -> AreaReport:
    """Check the whole file, then store its small areas and give residents their decile."""
    require_actor(by)
    if not isinstance(by, System) and not has_permission(by, Permission.ADMINISTER):
        raise NoAccess("Small areas are loaded by an administrator")
    report = AreaReport()
    reader = csv.DictReader(lines)
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        report.errors.append(f"line 1, {missing[0]}: the header lacks this column")
        return report
    population_column = next((h for h in header if h.startswith("Total population")), None)
    areas: dict[str, dict[str, object]] = {}
    for line, row in enumerate(reader, start=2):
        try:
            area = _area(row, population_column)
            if area["code"] in areas:
                raise ValidationError({CODE: f"{area['code']} is given twice"})
        except ValidationError as exc:
            column, messages = next(iter(exc.message_dict.items()))
            report.errors.append(f"line {line}, {column}: {' '.join(messages)}")
            if len(report.errors) >= MOST_ERRORS:
                break
            continue
        areas[str(area["code"])] = area
    if report.errors or not areas:
        if not report.errors:
            report.errors.append("line 2: the file has no small areas")
        return report
    _store(areas, source, by, report)
    return report


@transaction.atomic
def _store(areas: dict[str, dict[str, object]], source: str, by: Actor, report: AreaReport) -> None:
    now = timezone.now()
    SmallArea.objects.bulk_create(
        [SmallArea(**a, source=source[:200], loaded_at=now) for a in areas.values()],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "imd_rank", "imd_decile", "population", "source", "loaded_at"],
    )
    by_decile: dict[int, list[str]] = {}
    for code, area in areas.items():
        by_decile.setdefault(int(str(area["imd_decile"])), []).append(code)
    updated = 0
    for decile, codes in by_decile.items():
        for start in range(0, len(codes), 5000):
            updated += (
                Patient.objects.filter(lsoa_code__in=codes[start : start + 5000])
                .exclude(deprivation_decile=decile)
                .update(deprivation_decile=decile)
            )
    report.areas = len(areas)
    report.residents_updated = updated
    audit.record(
        user=by,
        action=AuditAction.CREATE,
        purpose=Purpose.DEPRIVATION_LOADED,
        detail={"source": source, "areas": len(areas), "residents_updated": updated},
    )
