"""Rota and demand files: a whole week, once; a gap or an overlap is named by row."""

from __future__ import annotations

import pytest

from wraparound.demand.files import WeekFileError, read_weekly_demand, read_weekly_rota

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _rota(rows):
    return ["day,start,end,crews", *rows]


def _whole_week():
    return [f"{d},00:00,08:00,1" for d in DAYS] + [f"{d},08:00,24:00,4" for d in DAYS]


def test_a_whole_week_rota_gives_crews_for_each_of_the_168_hours():
    crews = read_weekly_rota(_rota(_whole_week()))
    assert len(crews) == 168 and crews[7] == 1 and crews[8] == 4 and crews[167] == 4


def test_a_rota_with_a_gap_names_the_first_hour_missing():
    rows = [r for r in _whole_week() if not r.startswith("Wed,08")]
    with pytest.raises(WeekFileError, match="Wednesday 08:00 is in no row: the week has a gap"):
        read_weekly_rota(_rota(rows))


def test_a_rota_with_an_overlap_names_both_rows():
    rows = [*_whole_week(), "Mon,07:00,09:00,2"]
    with pytest.raises(WeekFileError) as refused:
        read_weekly_rota(_rota(rows))
    assert refused.value.row == 16 and "Monday 07:00 overlaps row 2" in str(refused.value)


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("Funday,00:00,01:00,1", "day"),
        ("Mon,00:30,01:00,1", "start"),
        ("Mon,05:00,04:00,1", "end"),
        ("Mon,00:00,01:00,-1", "crews"),
        ("Mon,00:00,01:00,two", "crews"),
    ],
)
def test_a_bad_rota_row_names_its_column(row, column):
    with pytest.raises(WeekFileError) as refused:
        read_weekly_rota(_rota([row]))
    assert (refused.value.row, refused.value.column) == (2, column)


def test_a_file_without_a_column_says_which():
    with pytest.raises(WeekFileError, match="crews: the header lacks this column"):
        read_weekly_rota(["day,start,end", "Mon,00:00,24:00"])


def _demand(skip=None, extra=()):
    rows = ["day,hour,calls"]
    for d in DAYS:
        for h in range(24):
            if (d, h) != skip:
                rows.append(f"{d},{h},1.5")
    return rows + list(extra)


def test_a_whole_week_of_demand_reads_as_168_rates():
    assert read_weekly_demand(_demand()) == [1.5] * 168


def test_demand_with_a_gap_or_a_repeat_is_refused():
    with pytest.raises(WeekFileError, match="Friday 17:00 is in no row"):
        read_weekly_demand(_demand(skip=("Fri", 17)))
    with pytest.raises(WeekFileError, match="Friday 17:00 is given in row"):
        read_weekly_demand(_demand(extra=["Fri,17,2"]))
    with pytest.raises(WeekFileError) as refused:
        read_weekly_demand(["day,hour,calls", "Mon,24,1"])
    assert refused.value.column == "hour"
