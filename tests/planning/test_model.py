"""The model refuses impossible days and names the field at fault."""

from __future__ import annotations

import pytest

from wraparound.planning import Break, ProblemBuilder, ProblemError, Visit


def test_visit_whose_window_closes_before_it_opens_is_refused() -> None:
    with pytest.raises(ProblemError) as e:
        Visit("v1", place=0, duration=10, earliest=600, latest=540)
    assert e.value.field == "visit v1.window"


def test_more_than_two_staff_on_a_visit_is_refused() -> None:
    with pytest.raises(ProblemError, match="staff_required"):
        Visit("v1", place=0, duration=10, earliest=0, latest=10, staff_required=3)


def test_break_window_backwards_is_refused() -> None:
    with pytest.raises(ProblemError, match=r"break\.window"):
        Break(earliest=800, latest=700, duration=30)


def test_preferred_staff_must_be_on_the_day() -> None:
    b = ProblemBuilder()
    b.add_place(52.9, -1.47)
    b.add_staff("rn1", (480, 960))
    b.add_visit("v1", 0, 30, (480, 600), preferred_staff=["rn9"])
    with pytest.raises(ProblemError) as e:
        b.build()
    assert e.value.field == "visit v1.preferred_staff"


def test_sync_gap_naming_an_unknown_visit_is_refused() -> None:
    b = ProblemBuilder()
    b.add_place(52.9, -1.47)
    b.add_visit("v1", 0, 30, (480, 600))
    b.add_sync("v1", "v2", 0, 10)
    with pytest.raises(ProblemError, match="unknown visit v2"):
        b.build()


def test_builder_defaults_end_place_to_start_place() -> None:
    b = ProblemBuilder()
    home = b.add_place(52.9, -1.47)
    b.add_place(52.8, -1.40)
    staff = b.add_staff("rn1", (480, 960), start_place=1)
    assert staff.end_place == 1 and home == 0
