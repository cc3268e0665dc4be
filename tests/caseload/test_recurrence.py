import datetime as dt

import pytest

from wraparound.caseload.recurrence import LONDON, Schedule, local_moment, occurs_on, window_on

MONDAY = dt.date(2026, 11, 23)


def days(n: int, start: dt.date = MONDAY) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range(n)]


def test_daily_is_due_every_day_from_its_start():
    s = Schedule("daily", starts_on=MONDAY + dt.timedelta(days=2))
    assert [occurs_on(s, d) for d in days(4)] == [False, False, True, True]


def test_given_weekdays_are_due_only_on_those_days():
    s = Schedule("weekdays", starts_on=MONDAY, weekdays=(1, 3, 5))  # Mon, Wed, Fri
    assert [d.isoweekday() for d in days(14) if occurs_on(s, d)] == [1, 3, 5, 1, 3, 5]


def test_every_n_days_counts_from_the_start_date():
    s = Schedule("every_n_days", starts_on=MONDAY, interval_days=3)
    assert [d for d in days(10) if occurs_on(s, d)] == [
        MONDAY + dt.timedelta(days=k) for k in (0, 3, 6, 9)
    ]


def test_once_is_due_only_on_its_date():
    s = Schedule("once", starts_on=MONDAY + dt.timedelta(days=1))
    assert [d for d in days(7) if occurs_on(s, d)] == [MONDAY + dt.timedelta(days=1)]


def test_nothing_is_due_after_the_end_date():
    s = Schedule("daily", starts_on=MONDAY, ends_on=MONDAY + dt.timedelta(days=2))
    assert sum(occurs_on(s, d) for d in days(7)) == 3


def test_a_window_is_local_time_on_an_ordinary_day():
    start, end = window_on(MONDAY, dt.time(7, 30), dt.time(9, 30))
    assert start.isoformat() == "2026-11-23T07:30:00+00:00"
    assert (end - start) == dt.timedelta(hours=2)


def test_a_window_keeps_its_wall_clock_time_on_the_day_the_clocks_go_forward():
    start, _ = window_on(dt.date(2026, 3, 29), dt.time(7, 30), dt.time(9, 30))
    assert start.astimezone(LONDON).time() == dt.time(7, 30)
    assert start.astimezone(LONDON).utcoffset() == dt.timedelta(hours=1)
    assert start.astimezone(dt.UTC).time() == dt.time(6, 30)


def test_a_window_keeps_its_wall_clock_time_on_the_day_the_clocks_go_back():
    start, _ = window_on(dt.date(2026, 10, 25), dt.time(7, 30), dt.time(9, 30))
    assert start.astimezone(LONDON).utcoffset() == dt.timedelta(0)
    assert start.astimezone(dt.UTC).time() == dt.time(7, 30)


def test_a_window_across_the_spring_gap_spans_one_real_hour_less():
    start, end = window_on(dt.date(2026, 3, 29), dt.time(0, 30), dt.time(3, 30))
    assert end - start == dt.timedelta(hours=2)


def test_a_time_in_the_skipped_hour_moves_past_the_gap():
    moment = local_moment(dt.date(2026, 3, 29), dt.time(1, 30))
    assert moment.astimezone(LONDON).time() == dt.time(2, 30)


def test_an_unknown_recurrence_is_refused():
    with pytest.raises(ValueError, match="unknown recurrence"):
        occurs_on(Schedule("fortnightly", starts_on=MONDAY), MONDAY)
