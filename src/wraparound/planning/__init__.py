"""Routing and rostering for a day of community visits: pure Python, no Django.

Build a ``Problem`` (or read one with ``hhc_format.read_problem``), then
``plan_day`` it; ``insert_urgent`` fits a new visit into a running day and
``explain`` says why a visit is unserved or late.
"""

from wraparound.planning.day import plan_day
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
from wraparound.planning.urgent import insert_urgent

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
