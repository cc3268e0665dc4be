"""A cohort: a saved, named query over the residents (age, frailty, emergency admissions,
conditions, deprivation, practice, neighbourhood, caseload, care plan), whose result is
counted by deprivation quintile and by practice as rates per 1,000 with 95% intervals, small
numbers suppressed. The members themselves never leave this module except to the case
finding list, which reads them through the door.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, QuerySet

from wraparound.caseload.models import (
    CarePlan,
    CaseloadEntry,
    CodeSystem,
    Condition,
    EmergencyAdmission,
    Patient,
)
from wraparound.frailty.rates import Rate, rate
from wraparound.organisations.models import Organisation

from .models import EfiBand, HfrsBand

QUINTILES = {1: "1 (most deprived)", 2: "2", 3: "3", 4: "4", 5: "5 (least deprived)"}


@dataclass(frozen=True)
class CohortQuery:
    min_age: int | None = None
    max_age: int | None = None
    efi_bands: tuple[str, ...] = ()
    hfrs_bands: tuple[str, ...] = ()
    admitted_within_months: int | None = None  # an emergency admission in the last N months
    conditions: tuple[str, ...] = ()  # SNOMED CT codes: any of them on the record
    deciles: tuple[int, ...] = ()
    practice_ids: tuple[int, ...] = ()
    neighbourhood_ids: tuple[int, ...] = ()
    on_caseload: bool | None = None
    has_care_plan: bool | None = None

    def as_json(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CohortQuery:
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValidationError({unknown[0]: "is not a part of a cohort's definition"})
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        query = cls(**values)
        query.check()
        return query

    def check(self) -> None:
        """Each rule a definition keeps, each refusal naming its field."""
        for name in ("min_age", "max_age"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 120:
                raise ValidationError({name: "An age is 0 to 120"})
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValidationError({"max_age": "The oldest age is at least the youngest"})
        if set(self.efi_bands) - set(EfiBand.values):
            raise ValidationError({"efi_bands": "Choose fit, mild, moderate or severe"})
        if set(self.hfrs_bands) - set(HfrsBand.values):
            raise ValidationError({"hfrs_bands": "Choose low, intermediate or high"})
        if self.admitted_within_months is not None and not 1 <= self.admitted_within_months <= 60:
            raise ValidationError({"admitted_within_months": "Give 1 to 60 months"})
        if any(not 1 <= d <= 10 for d in self.deciles):
            raise ValidationError({"deciles": "A decile is 1 to 10"})
        if any(not c.isdigit() or len(c) > 18 for c in self.conditions):
            raise ValidationError({"conditions": "Give SNOMED CT concept ids (digits)"})


def _born_by(on: dt.date, age: int) -> dt.date:
    """The latest birthday of someone ``age`` or older on ``on``."""
    try:
        return on.replace(year=on.year - age)
    except ValueError:  # 29 February
        return on.replace(year=on.year - age, day=28)


def members(query: CohortQuery, on: dt.date) -> QuerySet[Patient]:
    """The residents the query selects on ``on`` (not for display: see the module's note)."""
    people = Patient.objects.all()
    if query.min_age is not None:
        people = people.filter(date_of_birth__lte=_born_by(on, query.min_age))
    if query.max_age is not None:
        people = people.filter(date_of_birth__gt=_born_by(on, query.max_age + 1))
    if query.efi_bands:
        people = people.filter(frailty__efi_band__in=query.efi_bands)
    if query.hfrs_bands:
        people = people.filter(frailty__hfrs_band__in=query.hfrs_bands)
    if query.admitted_within_months:
        since = on - dt.timedelta(days=round(30.44 * query.admitted_within_months))
        people = people.filter(
            Exists(
                EmergencyAdmission.objects.filter(
                    patient=OuterRef("pk"), admitted_on__gte=since, admitted_on__lte=on
                )
            )
        )
    if query.conditions:
        people = people.filter(
            Exists(
                Condition.objects.filter(
                    patient=OuterRef("pk"), system=CodeSystem.SNOMED_CT, code__in=query.conditions
                )
            )
        )
    if query.deciles:
        people = people.filter(deprivation_decile__in=query.deciles)
    if query.practice_ids:
        people = people.filter(registered_practice_id__in=query.practice_ids)
    if query.neighbourhood_ids:
        people = people.filter(neighbourhood_id__in=query.neighbourhood_ids)
    if query.on_caseload is not None:
        open_entry = CaseloadEntry.objects.filter(
            patient=OuterRef("pk"), discharged_on__isnull=True
        )
        people = people.filter(Exists(open_entry) if query.on_caseload else ~Exists(open_entry))
    if query.has_care_plan is not None:
        plan = CarePlan.objects.filter(patient=OuterRef("pk"), status=CarePlan.Status.ACTIVE)
        people = people.filter(Exists(plan) if query.has_care_plan else ~Exists(plan))
    return people


@dataclass
class CohortCounts:
    total: Rate
    by_quintile: list[Rate] = field(default_factory=list)
    by_practice: list[Rate] = field(default_factory=list)


def _by(people: QuerySet[Patient], column: str) -> Counter[Any]:
    """How many of ``people`` have each value of ``column`` (one grouped query)."""
    grouped = people.order_by().values(column).annotate(n=Count("pk"))
    return Counter({row[column]: row["n"] for row in grouped})


def counts(query: CohortQuery, on: dt.date) -> CohortCounts:
    """The cohort counted by deprivation quintile and by practice, over all residents."""
    everyone, chosen = Patient.objects.all(), members(query, on)
    deciles_all, deciles = _by(everyone, "deprivation_decile"), _by(chosen, "deprivation_decile")
    quintile_all: Counter[int] = Counter()
    quintile: Counter[int] = Counter()
    for decile, n in deciles_all.items():
        quintile_all[(decile + 1) // 2] += n
    for decile, n in deciles.items():
        quintile[(decile + 1) // 2] += n
    practices_all = _by(everyone, "registered_practice_id")
    practices = _by(chosen, "registered_practice_id")
    names = dict(
        Organisation.objects.filter(pk__in=[p for p in practices_all if p]).values_list(
            "pk", "name"
        )
    )
    return CohortCounts(
        total=rate("All residents", sum(deciles.values()), sum(deciles_all.values())),
        by_quintile=[rate(label, quintile[q], quintile_all[q]) for q, label in QUINTILES.items()],
        by_practice=[
            rate(names.get(p, "No practice") if p else "No practice", practices[p], n)
            for p, n in sorted(practices_all.items(), key=lambda kv: names.get(kv[0], "~"))
        ],
    )
