"""The planning problem: staff, visits, sync gaps, travel and what we want to minimise.

Shaped like PyVRP's ``Model``: frozen dataclasses that validate themselves, and a
``ProblemBuilder`` that hands out places and checks references as it goes.
All times are integer minutes from the day's origin (midnight in Europe/London
for real days); travel times may be fractional because they are measured.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from wraparound.planning.travel import GreatCircleTravel, TravelTimeModel


class ProblemError(ValueError):
    """A problem that cannot be planned, with the field at fault in ``field``."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Break:
    """A break of ``duration`` minutes that must start between ``earliest`` and ``latest``."""

    earliest: int
    latest: int
    duration: int

    def __post_init__(self) -> None:
        if self.earliest > self.latest:
            raise ProblemError("break.window", "earliest start is after latest start")
        if self.duration < 0:
            raise ProblemError("break.duration", "must not be negative")


@dataclass(frozen=True)
class Staff:
    """A member of staff for the day: where they start and end, when, and what they can do."""

    id: str
    shift_start: int
    shift_end: int
    start_place: int = 0
    end_place: int = 0
    skills: frozenset[str] = frozenset()
    breaks: tuple[Break, ...] = ()
    max_work: int | None = None
    capacity: int | None = None

    def __post_init__(self) -> None:
        if self.shift_start > self.shift_end:
            raise ProblemError(f"staff {self.id}.shift", "starts after it ends")
        if self.max_work is not None and self.max_work < 0:
            raise ProblemError(f"staff {self.id}.max_work", "must not be negative")


@dataclass(frozen=True)
class Visit:
    """A visit to a place: how long, when, needing which skills and how many staff.

    ``penalty`` is the cost of leaving the visit until tomorrow; ``None`` means it
    must happen today. ``preferred_staff`` are the people the patient knows.
    ``pinned_to`` holds the visit to one member of staff (a team leader's decision): no one
    else may do it, and if they are not on duty it cannot be done.
    """

    id: str
    place: int
    duration: int
    earliest: int
    latest: int
    skills: frozenset[str] = frozenset()
    staff_required: int = 1
    demand: int = 0
    penalty: float | None = None
    preferred_staff: tuple[str, ...] = ()
    pinned_to: str | None = None

    def __post_init__(self) -> None:
        if self.earliest > self.latest:
            raise ProblemError(f"visit {self.id}.window", "opens after it closes")
        if self.duration < 0:
            raise ProblemError(f"visit {self.id}.duration", "must not be negative")
        if self.staff_required not in (1, 2):
            raise ProblemError(f"visit {self.id}.staff_required", "must be 1 or 2")

    @property
    def mandatory(self) -> bool:
        return self.penalty is None

    def can_be_done_by(self, staff: Staff) -> bool:
        """Who may do this visit: the skills it needs, and the one person it is held to."""
        return self.skills <= staff.skills and self.pinned_to in (None, staff.id)


@dataclass(frozen=True)
class SyncGap:
    """``min_gap <= start(second) - start(first) <= max_gap``, when both are served."""

    first: str
    second: str
    min_gap: int
    max_gap: int

    def __post_init__(self) -> None:
        if self.min_gap > self.max_gap:
            raise ProblemError(f"sync {self.first}->{self.second}", "min_gap is above max_gap")


@dataclass(frozen=True)
class Weights:
    """What a plan costs: each weight multiplies its component (see ``Cost``)."""

    travel: float = 1.0
    lateness: float = 0.0
    max_lateness: float = 0.0
    continuity: float = 0.0
    overtime: float = 0.0
    staff_used: float = 0.0
    hard_windows: bool = True
    hard_shift_end: bool = True


@dataclass(frozen=True)
class Problem:
    """One day to plan. Build it with ``ProblemBuilder`` or directly; it validates itself."""

    places: tuple[tuple[float, float], ...]
    staff: tuple[Staff, ...]
    visits: tuple[Visit, ...]
    sync: tuple[SyncGap, ...] = ()
    weights: Weights = Weights()
    travel: TravelTimeModel = field(default_factory=GreatCircleTravel)
    name: str = ""

    def __post_init__(self) -> None:
        n = len(self.places)
        _unique((s.id for s in self.staff), "staff")
        _unique((v.id for v in self.visits), "visits")
        for s in self.staff:
            for place, name in ((s.start_place, "start_place"), (s.end_place, "end_place")):
                if not 0 <= place < n:
                    raise ProblemError(f"staff {s.id}.{name}", f"no place {place}")
        staff_ids = {s.id for s in self.staff}
        for v in self.visits:
            if not 0 <= v.place < n:
                raise ProblemError(f"visit {v.id}.place", f"no place {v.place}")
            unknown = set(v.preferred_staff) - staff_ids
            if unknown:
                raise ProblemError(f"visit {v.id}.preferred_staff", f"unknown {sorted(unknown)}")
        visit_ids = {v.id for v in self.visits}
        for g in self.sync:
            for vid in (g.first, g.second):
                if vid not in visit_ids:
                    raise ProblemError(f"sync {g.first}->{g.second}", f"unknown visit {vid}")

    def visit(self, visit_id: str) -> Visit:
        for v in self.visits:
            if v.id == visit_id:
                return v
        raise KeyError(visit_id)


def _unique(ids: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ProblemError(what, f"id {i!r} appears twice")
        seen.add(i)


class ProblemBuilder:
    """Builds a ``Problem`` step by step, the way PyVRP's ``Model`` does."""

    def __init__(self, travel: TravelTimeModel | None = None, name: str = "") -> None:
        self._places: list[tuple[float, float]] = []
        self._staff: list[Staff] = []
        self._visits: list[Visit] = []
        self._sync: list[SyncGap] = []
        self._weights = Weights()
        self._travel: TravelTimeModel = travel or GreatCircleTravel()
        self._name = name

    def add_place(self, lat: float, lon: float) -> int:
        self._places.append((lat, lon))
        return len(self._places) - 1

    def add_staff(
        self,
        id: str,
        shift: tuple[int, int],
        *,
        start_place: int = 0,
        end_place: int | None = None,
        skills: Sequence[str] = (),
        breaks: Sequence[Break] = (),
        max_work: int | None = None,
        capacity: int | None = None,
    ) -> Staff:
        staff = Staff(
            id=id,
            shift_start=shift[0],
            shift_end=shift[1],
            start_place=start_place,
            end_place=start_place if end_place is None else end_place,
            skills=frozenset(skills),
            breaks=tuple(breaks),
            max_work=max_work,
            capacity=capacity,
        )
        self._staff.append(staff)
        return staff

    def add_visit(
        self,
        id: str,
        place: int,
        duration: int,
        window: tuple[int, int],
        *,
        skills: Sequence[str] = (),
        staff_required: int = 1,
        demand: int = 0,
        penalty: float | None = None,
        preferred_staff: Sequence[str] = (),
        pinned_to: str | None = None,
    ) -> Visit:
        visit = Visit(
            id=id,
            place=place,
            duration=duration,
            earliest=window[0],
            latest=window[1],
            skills=frozenset(skills),
            staff_required=staff_required,
            demand=demand,
            penalty=penalty,
            preferred_staff=tuple(preferred_staff),
            pinned_to=pinned_to,
        )
        self._visits.append(visit)
        return visit

    def add_sync(self, first: str, second: str, min_gap: int, max_gap: int) -> SyncGap:
        gap = SyncGap(first, second, min_gap, max_gap)
        self._sync.append(gap)
        return gap

    def set_weights(self, weights: Weights) -> None:
        self._weights = weights

    def build(self) -> Problem:
        return Problem(
            places=tuple(self._places),
            staff=tuple(self._staff),
            visits=tuple(self._visits),
            sync=tuple(self._sync),
            weights=self._weights,
            travel=self._travel,
            name=self._name,
        )
