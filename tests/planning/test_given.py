import pytest

from wraparound.planning import EuclideanTravel, ProblemBuilder, ProblemError
from wraparound.planning.given import plan_from_routes


def _problem():
    b = ProblemBuilder(travel=EuclideanTravel())
    base = b.add_place(0, 0)
    a, c = b.add_place(0, 10), b.add_place(0, 20)
    b.add_staff("ann", (0, 600), start_place=base)
    b.add_staff("bob", (0, 600), start_place=base)
    b.add_visit("v1", a, 30, (0, 600))
    b.add_visit("v2", c, 30, (0, 600))
    b.add_visit("both", a, 20, (0, 600), staff_required=2)
    return b.build()


def test_given_routes_are_timed_in_the_order_given():
    plan = plan_from_routes(_problem(), {"ann": ["v2", "v1"], "bob": []})
    assert plan.route_of("ann").visits == ("v2", "v1")
    assert plan.unserved == ("both",)


def test_a_double_handed_visit_sits_in_both_routes_at_one_start():
    plan = plan_from_routes(_problem(), {"ann": ["both", "v1"], "bob": ["both", "v2"]})
    starts = [s.start for r in plan.routes for s in r.stops if getattr(s, "visit", "") == "both"]
    assert len(starts) == 2 and starts[0] == starts[1]


def test_unknown_staff_or_visits_are_refused_by_name():
    with pytest.raises(ProblemError, match=r"routes\.zed"):
        plan_from_routes(_problem(), {"zed": ["v1"]})
    with pytest.raises(ProblemError, match=r"no visit 'v9'"):
        plan_from_routes(_problem(), {"ann": ["v9"]})
