"""Intake: a retry never makes a second referral, likely duplicates are flagged, and a CSV
batch reports each bad row by number, field and reason while importing the good ones."""

from __future__ import annotations

import csv
import io
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PatientFactory
from tests.referrals.conftest import send
from wraparound import cli
from wraparound.access.models import AuditEvent
from wraparound.referrals import actions
from wraparound.referrals.intake import REQUIRED_COLUMNS, import_referrals
from wraparound.referrals.models import Need, Referral, Source, Status

# Idempotency


def test_the_same_idempotency_key_twice_makes_one_referral(people, person):
    first, created_first = actions.receive_referral(
        patient=person,
        source="gp",
        needs=["fall"],
        clinical_summary="Fell",
        idempotency_key="abc-1",
        by=people.users["gp"],
    )
    again, created_again = actions.receive_referral(
        patient=person,
        source="gp",
        needs=["fall"],
        clinical_summary="Fell",
        idempotency_key="abc-1",
        by=people.users["gp"],
    )
    assert (created_first, created_again) == (True, False)
    assert again.pk == first.pk
    assert Referral.objects.count() == 1
    assert AuditEvent.objects.filter(purpose="referral received").count() == 1


def test_losing_a_race_for_the_same_key_returns_the_winners_referral(people, person, monkeypatch):
    winner = send(people, person, key="race-1")
    real_filter = Referral.objects.filter
    calls = []

    def racing(*args, **kwargs):
        # The first look-up misses the winner, as if both requests looked at the same moment.
        calls.append(kwargs)
        found = real_filter(*args, **kwargs)
        return found.none() if len(calls) == 1 else found

    monkeypatch.setattr(Referral.objects, "filter", racing)
    loser, created = actions.receive_referral(
        patient=person,
        source="gp",
        needs=["fall"],
        clinical_summary="Fell",
        idempotency_key="race-1",
        by=people.users["gp"],
    )
    monkeypatch.undo()
    assert (loser.pk, created) == (winner.pk, False)
    assert Referral.objects.count() == 1


def test_a_key_reused_for_a_different_person_is_refused_naming_the_field(people, person):
    send(people, person, key="shared")
    with pytest.raises(ValidationError) as exc:
        send(people, PatientFactory(), key="shared")
    assert "idempotency_key" in exc.value.message_dict
    assert Referral.objects.count() == 1


@pytest.mark.parametrize(
    "field, value",
    [
        ("source", "carrier_pigeon"),
        ("needs", ["broken_leg"]),
        ("needs", []),
        ("clinical_summary", "   "),
        ("idempotency_key", ""),
    ],
)
def test_bad_input_is_refused_naming_the_field(people, person, field, value):
    good = {
        "patient": person,
        "source": "gp",
        "needs": ["fall"],
        "clinical_summary": "Fell",
        "idempotency_key": "k-1",
        "by": people.users["gp"],
    }
    with pytest.raises(ValidationError) as exc:
        actions.receive_referral(**{**good, field: value})
    assert list(exc.value.message_dict) == [field]
    assert not Referral.objects.exists()


# Likely duplicates


def test_an_open_referral_for_the_same_person_and_need_is_flagged_as_a_likely_duplicate(
    people, person
):
    first = send(people, person, needs=["fall", "reduced_function"])
    second = send(people, person, needs=["reduced_function"], by="nurse")
    assert second.pk != first.pk
    assert second.possible_duplicate_of == first
    assert second.events.get(kind="received").detail == {"possible_duplicate_of": first.pk}


def test_a_different_need_or_person_is_not_a_duplicate(people, person):
    send(people, person, needs=["fall"])
    assert send(people, person, needs=["wound_care"]).possible_duplicate_of is None
    assert send(people, PatientFactory(), needs=["fall"]).possible_duplicate_of is None


def test_a_closed_referral_is_not_a_duplicate(people, person):
    first = send(people, person, needs=["fall"])
    actions.return_to_referrer(
        referral_id=first.pk, reason="Seen by GP", destination="GP", by=people.users["coordinator"]
    )
    assert send(people, person, needs=["fall"]).possible_duplicate_of is None


# CSV batches

BAD_ROWS = {
    # how a row is spoiled -> the field the report must name
    "nhs_number": lambda row: row.update(nhs_number="9434765918"),  # fails Modulus 11
    "needs": lambda row: row.update(needs="fall;broken_leg"),
    "source": lambda row: row.update(source="pigeon"),
    "date_of_birth": lambda row: row.update(date_of_birth="31/02/1940"),
    "clinical_summary": lambda row: row.update(clinical_summary=""),
    "idempotency_key": lambda row: row.update(idempotency_key=""),
    "referring_organisation": lambda row: row.update(referring_organisation="ZZZ99"),
    "received_at": lambda row: row.update(received_at="yesterday"),
    "wrong_birthday": lambda row: row.update(date_of_birth="1900-01-01"),  # no such person
    "future": lambda row: row.update(received_at="2999-01-01T09:00:00+00:00"),
}
REPORTED_FIELD = {"wrong_birthday": "nhs_number", "future": "received_at"}


def _rows(patients, count, bad_every, rng):
    rows, spoiled = [], {}
    kinds = list(BAD_ROWS)
    for i in range(count):
        patient = patients[i % len(patients)]
        row = {
            "idempotency_key": f"batch-{i:05d}",
            "nhs_number": patient.nhs_number,
            "date_of_birth": patient.date_of_birth.isoformat(),
            "source": rng.choice(Source.values),
            "needs": ";".join(rng.sample(Need.values, rng.randint(1, 3))),
            "clinical_summary": f"Referral {i}: needs a visit",
            "referring_organisation": "" if i % 3 else "P81001",
            "received_at": "" if i % 2 else "2026-11-20T09:30:00",
        }
        if i % bad_every == bad_every - 1:
            kind = kinds[len(spoiled) % len(kinds)]
            BAD_ROWS[kind](row)
            spoiled[i + 2] = REPORTED_FIELD.get(kind, kind)  # the header is row 1
        rows.append(row)
    return rows, spoiled


def _csv(rows) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def patients(db):
    return [PatientFactory() for _ in range(60)]


def test_a_batch_of_1000_rows_with_20_bad_imports_980_and_names_each_bad_row_and_field(
    people, patients
):
    rows, spoiled = _rows(patients, 1000, 50, random.Random(7))
    assert len(spoiled) == 20
    text = _csv(rows)
    report = import_referrals(io.StringIO(text), by=people.users["gp"], source_name="batch.csv")
    assert report.rows == 1000
    assert report.imported == 980 and report.already_present == 0
    assert {(e.row, e.field) for e in report.errors} == set(spoiled.items())
    assert all(e.reason for e in report.errors)
    assert Referral.objects.count() == 980
    assert not Referral.objects.filter(status=Status.RECEIVED).exists()  # all triaged
    imported = AuditEvent.objects.get(action="import")
    assert imported.detail["imported"] == 980 and imported.detail["refused_rows"] == sorted(spoiled)

    again = import_referrals(io.StringIO(text), by=people.users["gp"])
    assert again.imported == 0 and again.already_present == 980
    assert Referral.objects.count() == 980


def test_a_batch_row_error_says_why(people, patients):
    rows, _ = _rows(patients, 3, 1000, random.Random(1))
    rows[1]["needs"] = "fall;broken_leg"
    report = import_referrals(io.StringIO(_csv(rows)), by=people.users["gp"])
    (error,) = report.errors
    assert str(error).startswith("row 3, needs: Not a presenting need: broken_leg")


def test_only_the_coordination_centre_imports_for_another_organisation(people, patients):
    rows, _ = _rows(patients, 2, 1000, random.Random(2))
    for row in rows:
        row["referring_organisation"] = "P81001"  # the GP practice
    report = import_referrals(io.StringIO(_csv(rows)), by=people.users["nurse"])
    assert {(e.row, e.field) for e in report.errors} == {
        (2, "referring_organisation"),
        (3, "referring_organisation"),
    }
    report = import_referrals(io.StringIO(_csv(rows)), by=people.users["coordinator"])
    assert report.imported == 2 and not report.errors
    assert set(Referral.objects.values_list("referring_organisation__ods_code", flat=True)) == {
        "P81001"
    }


def test_a_file_without_a_required_column_is_refused_whole(people):
    with pytest.raises(ValidationError) as exc:
        import_referrals(io.StringIO("nhs_number,needs\n9434765919,fall\n"), by=people.users["gp"])
    assert "idempotency_key" in exc.value.message_dict["columns"][0]
    assert set(REQUIRED_COLUMNS) >= {"idempotency_key", "nhs_number", "needs"}


def test_the_import_command_reports_bad_rows_and_exits_2(people, patients, tmp_path):
    rows, spoiled = _rows(patients, 10, 5, random.Random(3))
    path = tmp_path / "referrals.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_referrals", str(path), by="gp", stdout=out)
    assert exc.value.returncode == 2
    text = out.getvalue()
    assert "imported 8 new referrals" in text
    for row, field in spoiled.items():
        assert f"row {row}, {field}:" in text
    # The same file again: nothing new.
    again = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_referrals", str(path), by="gp", stdout=again)
    assert "imported 0 new referrals, 8 already present" in again.getvalue()
    assert Referral.objects.count() == 8


def test_the_command_line_spells_it_import_referrals_with_a_hyphen(monkeypatch):
    seen = []
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda args: seen.append(args)
    )
    cli.main(["wraparound", "import-referrals", "batch.csv", "--by", "gp"])
    assert seen == [["wraparound", "import_referrals", "batch.csv", "--by", "gp"]]


def test_the_import_command_refuses_an_unknown_user_or_missing_file(people, tmp_path):
    with pytest.raises(CommandError, match="no user"):
        call_command("import_referrals", str(tmp_path / "x.csv"), by="nobody")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_referrals", str(tmp_path / "x.csv"), by="gp")


CELL = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cells=st.lists(st.fixed_dictionaries({c: CELL for c in REQUIRED_COLUMNS}), max_size=4))
def test_any_file_content_is_either_imported_or_reported_by_row_and_column(people, cells):
    """The parser never fails on odd input: each row is imported or named with a known field."""
    before = Referral.objects.count()
    text = _csv(cells) if cells else ",".join(REQUIRED_COLUMNS) + "\n"
    report = import_referrals(io.StringIO(text), by=people.users["gp"])
    known = {*REQUIRED_COLUMNS, "referring_organisation", "received_at", "row"}
    assert {e.field for e in report.errors} <= known
    assert set(report.refused_rows) <= set(range(2, 2 + len(cells) * 3))
    assert Referral.objects.count() - before == report.imported


# The hostile test's findings on the importer (each failed on the code as it landed).


def _row(patient, key, summary="Fell at home"):
    return {
        "idempotency_key": key,
        "nhs_number": patient.nhs_number,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "source": "gp",
        "needs": "fall",
        "clinical_summary": summary,
    }


def test_a_cell_over_128_kib_is_refused_naming_its_field_and_the_rest_imported(people, patients):
    rows = [_row(patients[0], "big", "x" * 200_000), _row(patients[1], "after")]
    report = import_referrals(io.StringIO(_csv(rows)), by=people.users["gp"])
    assert [(e.row, e.field) for e in report.errors] == [(2, "clinical_summary")]
    assert report.imported == 1


def test_row_numbers_count_records_not_lines_after_a_multi_line_cell(people, patients):
    rows = [
        _row(patients[0], "one", "Line one\nline two\nline three"),
        _row(patients[1], "two"),
        {**_row(patients[2], "three"), "nhs_number": "9434765918"},
    ]
    report = import_referrals(io.StringIO(_csv(rows)), by=people.users["gp"])
    assert [(e.row, e.field) for e in report.errors] == [(4, "nhs_number")]


def test_an_unbalanced_quote_is_named_instead_of_swallowing_the_next_row(people, patients):
    header = ",".join(REQUIRED_COLUMNS)
    first, second = patients[0], patients[1]
    born_1, born_2 = first.date_of_birth.isoformat(), second.date_of_birth.isoformat()
    text = (
        f"{header}\n"
        f'q1,{first.nhs_number},{born_1},gp,fall,"Fell, no injury\n'
        f'q2,{second.nhs_number},{born_2},gp,fall,Second "row\n'
    )
    report = import_referrals(io.StringIO(text), by=people.users["gp"])
    assert report.imported == 0
    assert [e.row for e in report.errors] == [2]
    assert report.errors[0].field in {"clinical_summary", "row"}
