"""Timing rules: earliest starts, breaks on the way, sync gaps met by delaying."""

from __future__ import annotations

import pytest

from wraparound.planning import Break, EuclideanTravel, ProblemBuilder, Weights
from wraparound.planning.schedule import Day, evaluate
from wraparound.planning.tasks import Tasks


def _day(breaks: tuple[Break, ...] = ()) -> Day:
    b = ProblemBuilder(travel=EuclideanTravel())
    b.add_place(0, 0)
    a, c = b.add_place(10, 0), b.add_place(20, 0)
    b.add_staff("x", (480, 1000), breaks=breaks)
    b.add_staff("y", (480, 1000))
    b.add_visit("first", a, 30, (500, 600))
    b.add_visit("second", c, 30, (500, 600))
    b.set_weights(Weights(travel=1.0, lateness=1.0, hard_windows=False, hard_shift_end=False))
    return Day(Tasks(b.build()))


def test_visit_starts_when_its_window_opens_if_the_nurse_is_early() -> None:
    day = _day()
    ev = evaluate(day, [[0, 1], []], [])
    assert ev.timings[0].starts == [500.0, 540.0]


def test_break_that_fits_in_waiting_time_costs_nothing() -> None:
    day = _day((Break(480, 500, 10),))
    ev = evaluate(day, [[0, 1], []], [])
    # Arrive at 490 for a visit that opens at 500: the 10-minute break fills the wait.
    assert ev.timings[0].break_starts == [(0, 480.0)]
    assert ev.timings[0].starts == [500.0, 540.0]


def test_break_goes_before_a_visit_that_would_end_after_its_latest_start() -> None:
    day = _day((Break(480, 500, 15),))
    ev = evaluate(day, [[0, 1], []], [])
    # "first" would run 500-530, past the break's latest start (500), so the break
    # is taken on the way: from 480, arriving max(490, 480) + 15 = 505.
    assert ev.timings[0].break_starts == [(0, 480.0)]
    assert ev.timings[0].starts[0] == pytest.approx(505.0)


def test_break_not_taken_in_its_window_breaks_a_hard_rule() -> None:
    day = _day((Break(400, 420, 15),))
    ev = evaluate(day, [[0, 1], []], [])
    assert any("break" in v for v in ev.violations)


def test_sync_gap_delays_the_earlier_side_until_the_gap_holds() -> None:
    b = ProblemBuilder(travel=EuclideanTravel())
    b.add_place(0, 0)
    near, far = b.add_place(1, 0), b.add_place(50, 0)
    b.add_staff("x", (480, 1000))
    b.add_staff("y", (480, 1000))
    b.add_visit("near", near, 10, (480, 700))
    b.add_visit("far", far, 10, (480, 700))
    b.add_sync("near", "far", 0, 0)
    b.set_weights(Weights(hard_windows=False))
    day = Day(Tasks(b.build()))
    ev = evaluate(day, [[0], [1]], [])
    assert ev.timings[0].starts == ev.timings[1].starts == [530.0]
