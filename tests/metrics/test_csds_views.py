"""GET /metrics/exports/<table>.csv: a download for metrics roles, 403 for anyone else."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from tests.metrics import csds_fixtures
from tests.metrics.csds_fixtures import period
from wraparound.access.models import AuditEvent
from wraparound.caseload.models import Visit

history = csds_fixtures.history


def get(client, h, table="CYP101Referral", user="analyst", **params):
    start, end = period(h)
    query = {"from": start.isoformat(), "to": end.isoformat(), **params}
    client.force_login(h.place.users[user])
    return client.get(reverse("csds:export", args=[table]), query)


def test_the_export_url_is_under_metrics_exports():
    assert reverse("csds:export", args=["CYP101Referral"]) == "/metrics/exports/CYP101Referral.csv"


def test_an_analyst_downloads_the_csv_as_an_attachment(client, history):
    h = history
    response = get(client, h)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    start, end = period(h)
    assert response["Content-Disposition"] == (
        f'attachment; filename="CYP101Referral_{start:%Y%m%d}_{end:%Y%m%d}.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 3
    assert AuditEvent.objects.filter(action="export", username="analyst").count() == 1


def test_a_clinician_is_refused_with_403_and_nothing_is_exported(client, history):
    response = get(client, history, user="nurse")
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="export").count() == 0


def test_signing_in_comes_first(client, history):
    response = client.get(reverse("csds:export", args=["CYP101Referral"]))
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


def test_a_bad_date_is_a_400_naming_it_and_an_unknown_table_a_404(client, history):
    response = get(client, history, to="2026-02-30")
    assert response.status_code == 400
    assert response.content.decode().startswith("to: '2026-02-30' is not a date")
    response = get(client, history, table="CYP999")
    assert response.status_code == 404


def test_failing_values_are_a_422_listing_row_and_column(client, history):
    Visit.objects.filter(pk=history.visits["planned_attended"].pk).update(duration_minutes=0)
    response = get(client, history, table="CYP201CareContact")
    assert response.status_code == 422
    assert (
        "row 3, ClinContDurOfCareCont: 0 is less than the minimum, 1" in response.content.decode()
    )
    assert AuditEvent.objects.filter(action="export").count() == 0
