"""Reading and writing the benchmark format ``hhc-routing/1``: the format of the home-care
routing benchmark instances and solutions that ``bench/planner.py`` reads and writes."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from wraparound.planning.model import Break, Problem, ProblemError, Staff, SyncGap, Visit, Weights
from wraparound.planning.plan import BreakStop, Plan, VisitStop
from wraparound.planning.travel import (
    EuclideanTravel,
    GreatCircleTravel,
    MatrixTravel,
    TravelTimeModel,
)

FORMAT = "hhc-routing/1"


def _minutes(value: Any, field: str) -> int:
    # The library plans in whole minutes; the benchmark files write them as floats.
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ProblemError(field, f"must be a number of minutes, got {value!r}")
    if value != int(value):
        raise ProblemError(field, f"must be whole minutes, got {value!r}")
    return int(value)


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ProblemError(field, f"must be a number, got {value!r}")
    return float(value)


def _get(obj: Mapping[str, Any], key: str, field: str) -> Any:
    if not isinstance(obj, Mapping):
        raise ProblemError(field, "must be an object")
    if key not in obj:
        raise ProblemError(f"{field}.{key}", "is missing")
    return obj[key]


def _pair(value: Any, field: str) -> tuple[int, int]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ProblemError(field, "must be a pair [from, to]")
    return _minutes(value[0], field), _minutes(value[1], field)


def _travel(spec: Any, n_places: int) -> TravelTimeModel:
    if not isinstance(spec, Mapping):
        raise ProblemError("travel", "must be an object")
    kind = spec.get("kind", "euclidean")
    decimals = spec.get("decimals")
    if decimals is not None and (not isinstance(decimals, int) or decimals < 0):
        raise ProblemError("travel.decimals", "must be a whole number or null")
    truncate = spec.get("rounding", "half_up") == "truncate"
    if kind == "euclidean":
        return EuclideanTravel(_number(spec.get("speed", 1.0), "travel.speed"), decimals, truncate)
    if kind == "haversine":
        return GreatCircleTravel(
            _number(spec.get("speed_kmh", 30.0), "travel.speed_kmh"),
            _number(spec.get("circuity", 1.0), "travel.circuity"),
            decimals,
            truncate,
        )
    if kind == "matrix":
        rows = _get(spec, "minutes", "travel")
        if not isinstance(rows, list) or len(rows) != n_places:
            raise ProblemError("travel.minutes", f"must have {n_places} rows")
        matrix = []
        for i, row in enumerate(rows):
            if not isinstance(row, list) or len(row) != n_places:
                raise ProblemError(f"travel.minutes[{i}]", f"must have {n_places} entries")
            matrix.append(tuple(_number(x, f"travel.minutes[{i}]") for x in row))
        return MatrixTravel(tuple(matrix))
    raise ProblemError("travel.kind", f"unknown kind {kind!r}")


def _staff(raw: Any, i: int) -> Staff:
    f = f"staff[{i}]"
    sid = _get(raw, "id", f)
    if not isinstance(sid, str):
        raise ProblemError(f"{f}.id", "must be a string")
    start, end = _pair(_get(raw, "shift", f), f"{f}.shift")
    breaks = []
    for b_i, b in enumerate(raw.get("breaks") or []):
        lo, hi = _pair(_get(b, "window", f"{f}.breaks[{b_i}]"), f"{f}.breaks[{b_i}].window")
        length = _minutes(_get(b, "duration", f"{f}.breaks[{b_i}]"), f"{f}.breaks[{b_i}].duration")
        breaks.append(Break(lo, hi, length))
    max_work = raw.get("max_work")
    capacity = raw.get("capacity")
    return Staff(
        id=sid,
        shift_start=start,
        shift_end=end,
        start_place=_minutes(_get(raw, "start_location", f), f"{f}.start_location"),
        end_place=_minutes(_get(raw, "end_location", f), f"{f}.end_location"),
        skills=frozenset(raw.get("skills") or []),
        breaks=tuple(breaks),
        max_work=None if max_work is None else _minutes(max_work, f"{f}.max_work"),
        capacity=None if capacity is None else _minutes(capacity, f"{f}.capacity"),
    )


def _visit(raw: Any, i: int) -> Visit:
    f = f"visits[{i}]"
    vid = _get(raw, "id", f)
    if not isinstance(vid, str):
        raise ProblemError(f"{f}.id", "must be a string")
    lo, hi = _pair(_get(raw, "window", f), f"{f}.window")
    penalty = raw.get("penalty")
    return Visit(
        id=vid,
        place=_minutes(_get(raw, "location", f), f"{f}.location"),
        duration=_minutes(_get(raw, "duration", f), f"{f}.duration"),
        earliest=lo,
        latest=hi,
        skills=frozenset(raw.get("skills") or []),
        staff_required=_minutes(raw.get("staff_required", 1), f"{f}.staff_required"),
        demand=_minutes(raw.get("demand", 0), f"{f}.demand"),
        penalty=None if penalty is None else _number(penalty, f"{f}.penalty"),
        preferred_staff=tuple(raw.get("preferred_staff") or []),
    )


def read_problem(data: Any) -> Problem:
    """A ``Problem`` from a parsed hhc-routing/1 instance; ``ProblemError`` names a bad field."""
    if not isinstance(data, Mapping):
        raise ProblemError("instance", "must be a JSON object")
    if data.get("format", FORMAT) != FORMAT:
        raise ProblemError("format", f"must be {FORMAT!r}")
    raw_places = _get(data, "locations", "instance")
    if not isinstance(raw_places, list):
        raise ProblemError("locations", "must be a list of pairs")
    places = []
    for i, p in enumerate(raw_places):
        if not isinstance(p, list | tuple) or len(p) != 2:
            raise ProblemError(f"locations[{i}]", "must be a pair")
        places.append((_number(p[0], f"locations[{i}]"), _number(p[1], f"locations[{i}]")))
    raw_staff = _get(data, "staff", "instance")
    raw_visits = _get(data, "visits", "instance")
    if not isinstance(raw_staff, list):
        raise ProblemError("staff", "must be a list")
    if not isinstance(raw_visits, list):
        raise ProblemError("visits", "must be a list")
    sync = []
    for i, g in enumerate(data.get("sync") or []):
        f = f"sync[{i}]"
        sync.append(
            SyncGap(
                str(_get(g, "first", f)),
                str(_get(g, "second", f)),
                _minutes(_get(g, "min_gap", f), f"{f}.min_gap"),
                _minutes(_get(g, "max_gap", f), f"{f}.max_gap"),
            )
        )
    obj = data.get("objective") or {}
    if not isinstance(obj, Mapping):
        raise ProblemError("objective", "must be an object")
    weights = Weights(
        travel=_number(obj.get("travel", 1.0), "objective.travel"),
        lateness=_number(obj.get("tardiness", 0.0), "objective.tardiness"),
        max_lateness=_number(obj.get("max_tardiness", 0.0), "objective.max_tardiness"),
        continuity=_number(obj.get("continuity", 0.0), "objective.continuity"),
        overtime=_number(obj.get("overtime", 0.0), "objective.overtime"),
        staff_used=_number(obj.get("staff_used", 0.0), "objective.staff_used"),
        hard_windows=bool(obj.get("hard_windows", True)),
        hard_shift_end=bool(obj.get("hard_shift_end", True)),
    )
    return Problem(
        places=tuple(places),
        staff=tuple(_staff(s, i) for i, s in enumerate(raw_staff)),
        visits=tuple(_visit(v, i) for i, v in enumerate(raw_visits)),
        sync=tuple(sync),
        weights=weights,
        travel=_travel(data.get("travel") or {}, len(places)),
        name=str(data.get("name", "")),
    )


def write_solution(plan: Plan) -> dict[str, Any]:
    """The plan as an hhc-routing/1 solution (a JSON-ready dict)."""
    routes = []
    for r in plan.routes:
        stops: list[dict[str, Any]] = []
        for s in r.stops:
            if isinstance(s, VisitStop):
                stops.append({"visit": s.visit, "start": s.start})
            elif isinstance(s, BreakStop):
                stops.append({"break": True, "start": s.start})
        routes.append({"staff": r.staff, "stops": stops})
    return {"instance": plan.problem.name, "routes": routes, "unserved": list(plan.unserved)}
