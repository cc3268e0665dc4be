"""Routing and rostering for a day of community visits: pure Python, no Django.

Build a ``Problem`` (or read one with ``hhc_format.read_problem``), then
``plan_day`` it; ``insert_urgent`` fits a new visit into a running day and
``explain`` says why a visit is unserved or late.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from wraparound.planning.explain import Explanation, explain
from wraparound.planning.model import (
    Break,
    Problem,
    ProblemBuilder,
    ProblemError,
    Staff,
    SyncGap,
    Visit,
    Weights,
)
from wraparound.planning.plan import BreakStop, Cost, Plan, Route, VisitStop
from wraparound.planning.stop import (
    FirstOf,
    MaxIterations,
    MaxRuntime,
    NoImprovement,
    StoppingCriterion,
)
from wraparound.planning.travel import (
    EuclideanTravel,
    GreatCircleTravel,
    MatrixTravel,
    TravelTimeModel,
)

if TYPE_CHECKING:
    from wraparound.planning.day import plan_day
    from wraparound.planning.urgent import insert_urgent

# The search's compiled loops (numba) take a second or more to import, so the names that
# need them load on first use: a web worker that never plans never pays for them. (Each is
# named unlike its module, so importing the module cannot shadow the name.)
_LOADED_ON_USE = {
    "plan_day": "day",
    "insert_urgent": "urgent",
}


def __getattr__(name: str) -> Any:
    if name in _LOADED_ON_USE:
        return getattr(importlib.import_module(f"wraparound.planning.{_LOADED_ON_USE[name]}"), name)
    raise AttributeError(f"module 'wraparound.planning' has no attribute {name!r}")


__all__ = [
    "Break",
    "BreakStop",
    "Cost",
    "EuclideanTravel",
    "Explanation",
    "FirstOf",
    "GreatCircleTravel",
    "MatrixTravel",
    "MaxIterations",
    "MaxRuntime",
    "NoImprovement",
    "Plan",
    "Problem",
    "ProblemBuilder",
    "ProblemError",
    "Route",
    "Staff",
    "StoppingCriterion",
    "SyncGap",
    "TravelTimeModel",
    "Visit",
    "VisitStop",
    "Weights",
    "explain",
    "insert_urgent",
    "plan_day",
]
