"""Residents scored from their records (and rescored when a record changes), and small
areas loaded from the English Indices of Deprivation, each bad line named, nothing
half-written."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.factories import OrganisationFactory, PatientFactory
from wraparound.access.actors import System
from wraparound.access.models import AuditEvent
from wraparound.access.permissions import NoAccess
from wraparound.caseload.models import CodeSystem, Condition, EmergencyAdmission
from wraparound.population.actions import load_deprivation, score_residents
from wraparound.population.models import AdmissionDiagnosis, FrailtyScore, MedicineIssue, SmallArea

ON = dt.date(2026, 12, 1)
SYSTEM = System("tests")
FILE7 = (
    '"LSOA code (2021)","LSOA name (2021)","Local Authority District code (2024)",'
    '"Index of Multiple Deprivation (IMD) Score",'
    '"Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)",'
    '"Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)",'
    '"Total population: mid 2022"'
)


def _code(person, code: str, display: str = "") -> None:
    Condition.objects.create(
        patient=person, system=CodeSystem.SNOMED_CT, code=code, display=display or code
    )


@pytest.mark.django_db
def test_a_resident_is_scored_from_their_record_and_each_score_says_what_made_it():
    person = PatientFactory(date_of_birth=dt.date(1940, 1, 1))
    for code in ("3723001", "5370000", "4855003", "10633002", "1201005"):  # 5 deficits
        _code(person, code)
    _code(person, "386661006")  # fever: not a deficit's code, ignored
    admission = EmergencyAdmission.objects.create(
        patient=person, hospital=OrganisationFactory(), admitted_on=dt.date(2026, 10, 1)
    )
    AdmissionDiagnosis.objects.create(admission=admission, position=1, icd10_code="F00.1")
    AdmissionDiagnosis.objects.create(admission=admission, position=2, icd10_code="W19")
    assert score_residents(patient_ids=[person.pk], on=ON, by=SYSTEM) == 1
    score = FrailtyScore.objects.get(patient=person)
    assert (score.efi_count, score.efi_band, score.efi_deficits) == (5, "mild", [3, 4, 7, 14, 17])
    assert (score.hfrs_points, score.hfrs_band, score.hfrs_groups) == (
        "10.3",
        "intermediate",
        ["F00", "W19"],
    )
    again = score_residents(patient_ids=[person.pk], on=ON, by=SYSTEM)
    assert again == 1 and FrailtyScore.objects.count() == 1  # recomputed in place
    assert AuditEvent.objects.filter(purpose="frailty scores computed").exists()


@pytest.mark.django_db
def test_a_new_entry_on_the_record_rescores_the_person(django_capture_on_commit_callbacks):
    person = PatientFactory(date_of_birth=dt.date(1990, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        _issue_five_medicines(person)
    score = FrailtyScore.objects.get(patient=person)
    assert score.efi_deficits == [26] and score.hfrs_tenths is None  # 36: under 75, no HFRS


def _issue_five_medicines(person) -> None:
    for i, medicine in enumerate(("a", "b", "c", "d", "e")):
        MedicineIssue.objects.create(
            patient=person,
            medicine_code=f"{i}",
            medicine=medicine,
            issued_on=dt.date.today() - dt.timedelta(days=30),
        )


@pytest.mark.django_db
def test_only_the_system_or_an_administrator_scores(place):
    with pytest.raises(NoAccess):
        score_residents(patient_ids=[], on=ON, by=place.users["analyst"])


def _file(*rows: str) -> io.StringIO:
    return io.StringIO("\n".join([FILE7, *rows]) + "\n")


@pytest.mark.django_db
def test_the_indices_file_loads_small_areas_and_gives_residents_their_decile():
    resident = PatientFactory(lsoa_code="E01000001", deprivation_decile=5)
    report = load_deprivation(
        _file(
            'E01000001,"City of London 001A",E09000001,6.2,"29,199",9,"1,615"',
            "E01000002,City of London 001B,E09000001,5.1,30379,2,1493",
        ),
        source="File_7.csv",
        by=SYSTEM,
    )
    assert (report.areas, report.residents_updated, report.errors) == (2, 1, [])
    area = SmallArea.objects.get(code="E01000001")
    assert (area.imd_rank, area.imd_decile, area.population, area.quintile) == (29199, 9, 1615, 5)
    assert SmallArea.objects.get(code="E01000002").core20
    resident.refresh_from_db()
    assert resident.deprivation_decile == 9


@pytest.mark.django_db
def test_bad_lines_of_the_indices_file_are_named_and_nothing_is_loaded():
    report = load_deprivation(
        _file(
            "E01000001,City of London 001A,E09000001,6.2,29199,9,1615",
            "E0100002,City of London 001B,E09000001,5.1,30379,2,1493",
            "E01000003,City of London 001C,E09000001,5.1,30379,11,1493",
            "E01000001,City of London 001A,E09000001,6.2,29199,9,1615",
        ),
        source="File_7.csv",
        by=SYSTEM,
    )
    assert report.errors == [
        "line 3, LSOA code (2021): 'E0100002' is not a 2021 LSOA code (E01 and 6 digits)",
        "line 4, Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of "
        "LSOAs): '11' is not a whole number 1 to 10",
        "line 5, LSOA code (2021): E01000001 is given twice",
    ]
    assert not SmallArea.objects.exists()
    missing = load_deprivation(io.StringIO("LSOA code (2021),name\n"), source="x.csv", by=SYSTEM)
    assert missing.errors == ["line 1, LSOA name (2021): the header lacks this column"]


@pytest.mark.django_db
def test_a_transaction_that_changes_many_rows_rescores_its_people_in_one_task(
    django_capture_on_commit_callbacks, monkeypatch
):
    from wraparound.population import tasks

    batches = []

    class Queue:
        def enqueue(self, **kwargs):
            batches.append(kwargs["patient_ids"])

    monkeypatch.setattr(tasks, "score_people", Queue())
    people = [PatientFactory() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        for person in people:
            _code(person, "3723001")
            _code(person, "5370000")
    assert batches == [sorted(p.pk for p in people)]
