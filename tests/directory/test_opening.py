"""Opening times in Europe/London: weekly patterns, 24/7, dates, bank holidays, clock changes."""

from __future__ import annotations

import datetime as dt

import pytest

from wraparound.directory.opening import (
    LONDON,
    DateHours,
    OpeningHours,
    WeeklySession,
    closed_reason,
)

T = dt.time.fromisoformat
TWO_DAYS = dt.timedelta(days=2)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def weekdays(opens: str, closes: str, *, friday: str | None = None) -> OpeningHours:
    return OpeningHours(
        weekly=tuple(
            WeeklySession(day, T(opens), T(friday if day == 4 and friday else closes))
            for day in range(5)
        )
    )


OFFICE = weekdays("08:00", "18:00", friday="17:00")


def test_open_in_the_middle_of_a_session():
    assert closed_reason(OFFICE, at("2026-11-04 11:00")) is None


def test_a_friday_17_00_closing_is_given_in_words_at_closing_time():
    reason = closed_reason(OFFICE, at("2026-11-06 17:00"))
    assert reason == "closed now: closes at 17:00 on Fridays; next open Monday 9 November at 08:00"


def test_a_service_closing_within_30_minutes_does_not_count_as_open():
    assert closed_reason(OFFICE, at("2026-11-06 16:31")) == (
        "closes at 17:00 on Fridays, within 30 minutes"
    )
    assert closed_reason(OFFICE, at("2026-11-06 16:30")) is None


def test_before_opening_says_when_it_opens():
    assert closed_reason(OFFICE, at("2026-11-04 07:00")).startswith(
        "closed now: opens at 08:00 on Wednesdays"
    )


def test_a_day_without_sessions_is_named():
    assert closed_reason(OFFICE, at("2026-11-07 10:00")).startswith("closed on Saturdays")


def test_24_7_is_always_open_even_on_christmas_day():
    assert closed_reason(OpeningHours(always_open=True), at("2026-12-25 03:00")) is None


def test_bank_holidays_use_the_bank_holiday_sessions_or_are_closed():
    # 31 August 2026 is the summer bank holiday, a Monday.
    assert closed_reason(OFFICE, at("2026-08-31 10:00")).startswith("closed on bank holidays")
    with_bank_holiday_hours = OpeningHours(
        weekly=(*OFFICE.weekly, WeeklySession(7, T("10:00"), T("14:00")))
    )
    assert closed_reason(with_bank_holiday_hours, at("2026-08-31 11:00")) is None
    assert closed_reason(with_bank_holiday_hours, at("2026-08-31 15:00")) == (
        "closed now: closes at 14:00 on bank holidays; next open Tuesday 1 September at 08:00"
    )


def test_a_closed_date_overrides_the_weekly_pattern():
    hours = OpeningHours(weekly=OFFICE.weekly, dates=(DateHours(dt.date(2026, 11, 4)),))
    assert closed_reason(hours, at("2026-11-04 11:00")).startswith("closed on 4 November 2026")


def test_specified_hours_on_a_date_replace_the_weekly_pattern():
    hours = OpeningHours(
        weekly=OFFICE.weekly, dates=(DateHours(dt.date(2026, 12, 24), T("08:00"), T("13:00")),)
    )
    assert closed_reason(hours, at("2026-12-24 12:45")) == (
        "closes at 13:00 on 24 December 2026, within 30 minutes"
    )


def test_overnight_sessions_run_past_midnight():
    nights = OpeningHours(weekly=tuple(WeeklySession(d, T("20:00"), T("08:00")) for d in range(7)))
    assert closed_reason(nights, at("2026-11-05 02:00")) is None
    assert closed_reason(nights, at("2026-11-05 12:00")).startswith("closed now: opens at 20:00")


def test_back_to_back_sessions_are_not_closing():
    hours = OpeningHours(
        weekly=(WeeklySession(2, T("08:00"), T("00:00")), WeeklySession(3, T("00:00"), T("08:00")))
    )
    assert closed_reason(hours, at("2026-11-04 23:50")) is None


def test_on_the_day_the_clocks_go_forward_closing_time_is_real_time_not_wall_clock():
    # 29 March 2026: 01:00 GMT becomes 02:00 BST. Open 00:00-02:15 on Sundays is 1h15m long.
    hours = OpeningHours(weekly=(WeeklySession(6, T("00:00"), T("02:15")),))
    # At 00:50 the wall clock says 85 minutes to go; only 25 real minutes are left.
    assert closed_reason(hours, at("2026-03-29 00:50")) == (
        "closes at 02:15 on Sundays, within 30 minutes"
    )
    assert closed_reason(hours, at("2026-03-29 00:40")) is None


def test_on_the_day_the_clocks_go_back_a_session_lasts_an_hour_longer():
    # 25 October 2026: 02:00 BST becomes 01:00 GMT. 00:00-03:00 lasts four real hours.
    hours = OpeningHours(weekly=(WeeklySession(6, T("00:00"), T("03:00")),))
    second_one_o_clock = dt.datetime(2026, 10, 25, 1, 45, tzinfo=LONDON, fold=1)
    assert closed_reason(hours, second_one_o_clock) is None  # 75 real minutes left
    assert closed_reason(hours, at("2026-10-25 02:40")) == (
        "closes at 03:00 on Sundays, within 30 minutes"
    )


def test_a_utc_instant_is_read_in_london_time():
    # 16:45 UTC on a Friday in July is 17:45 BST: closed.
    summer = dt.datetime(2026, 7, 3, 16, 45, tzinfo=dt.UTC)
    assert closed_reason(OFFICE, summer).startswith("closed now: closes at 17:00 on Fridays")


def test_a_2_day_window_accepts_opening_within_two_days():
    friday_evening = at("2026-11-06 19:00")
    assert closed_reason(OFFICE, friday_evening, TWO_DAYS) == (
        "not open in the next 2 days; next open Monday 9 November at 08:00"
    )
    assert closed_reason(OFFICE, at("2026-11-07 09:00"), TWO_DAYS) is None


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        closed_reason(OFFICE, dt.datetime(2026, 11, 6, 12, 0))


@pytest.mark.parametrize(
    ("day", "is_bank_holiday"),
    [
        ("2026-08-31", True),  # summer bank holiday
        ("2026-12-26", False),  # Boxing Day on a Saturday keeps Saturday hours...
        ("2026-12-28", True),  # ...and the substitute Monday is the bank holiday
        ("2028-01-03", True),  # past the end of the table this module used to carry
        ("2031-04-11", True),  # Good Friday, years ahead
        ("2031-04-14", True),  # Easter Monday
        ("2031-04-15", False),
    ],
)
def test_bank_holidays_are_known_for_every_year_not_only_those_typed_in(day, is_bank_holiday):
    """Hazard H11: a table typed in ran out after 2027, so from 2028 every service's
    bank-holiday hours would have been wrong. They come from the ``holidays`` package now."""
    from wraparound.directory.opening import ENGLAND_BANK_HOLIDAYS

    assert (dt.date.fromisoformat(day) in ENGLAND_BANK_HOLIDAYS) is is_bank_holiday


def test_a_service_is_closed_on_a_bank_holiday_in_2030_as_in_2026():
    # Monday 26 August 2030 is the summer bank holiday.
    assert closed_reason(OFFICE, at("2030-08-26 10:00")).startswith("closed on bank holidays")
