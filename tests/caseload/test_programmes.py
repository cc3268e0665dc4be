import datetime as dt

from wraparound.caseload.programmes import HEALTHY_CHILD_PROGRAMME, contacts_due_on, contacts_from

BORN = dt.date(2026, 1, 15)


def test_the_healthy_child_programme_has_its_five_mandated_contacts_in_their_windows():
    contacts = {
        c.name: (c.opens_on, c.closes_on) for c in contacts_from(HEALTHY_CHILD_PROGRAMME, BORN)
    }
    assert contacts == {
        "Antenatal contact": (
            dt.date(2025, 10, 23),
            dt.date(2026, 1, 14),
        ),  # from 28 weeks of pregnancy
        "New birth visit": (dt.date(2026, 1, 25), dt.date(2026, 1, 29)),  # 10-14 days
        "6 to 8 week review": (dt.date(2026, 2, 26), dt.date(2026, 3, 12)),
        "9 to 12 month review": (dt.date(2026, 10, 15), dt.date(2027, 1, 15)),
        "2 to 2½ year review": (dt.date(2028, 1, 15), dt.date(2028, 7, 15)),
    }


def test_only_contacts_whose_window_is_open_are_due_on_a_day():
    assert [
        c.name for c in contacts_due_on(HEALTHY_CHILD_PROGRAMME, BORN, dt.date(2026, 1, 27))
    ] == ["New birth visit"]
    assert contacts_due_on(HEALTHY_CHILD_PROGRAMME, BORN, dt.date(2026, 6, 1)) == []
