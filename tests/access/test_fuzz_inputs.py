"""Seeded fuzzing of every way in: no input gets a 5xx, and every 4xx says what was wrong.

1,000 inputs in all here (hypothesis, derandomised so CI sees the same ones); the 10,000
input run is ``python bench/fuzz.py``, which sets ``WRAPAROUND_FUZZ_EXAMPLES`` and a seed.
"""

from __future__ import annotations

import json
import os
import string

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import TOKEN_ISSUER, PatientFactory, in_care_team, on_caseload
from wraparound.fhir.actions import issue_token
from wraparound.fhir.views import RESOURCES

FUZZ = settings(
    # 250 each in the suite (1,000 in all); bench/fuzz.py sets more.
    max_examples=int(os.environ.get("WRAPAROUND_FUZZ_EXAMPLES", "250")),
    deadline=None,
    derandomize="WRAPAROUND_FUZZ_SEED" not in os.environ,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text that has broken parsers before: Unicode digits, bidi controls, impossible dates,
# a clock change's missing hour, huge numbers, formula starts, NUL.
NASTY = st.sampled_from(
    [
        "²",
        "¹²³",
        "٩٤٣",
        "\u202e",
        "2026-02-30",
        "2026-03-29T01:30",
        "2026-03-29T01:30:00+00:00",
        "0001-01-01",
        "9999-12-31",
        "99999999999999999999999",
        "-1",
        "=HYPERLINK(1)",
        "\x00",
        "Patient/1",
        "#p",
        "https://fhir.nhs.uk/Id/nhs-number|9434765919",
    ]
)
TEXT = st.one_of(NASTY, st.text(max_size=40), st.text(string.digits, max_size=12))
JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=20,
)
FIELDS = [
    "resourceType",
    "subject",
    "contained",
    "reasonCode",
    "note",
    "category",
    "authoredOn",
    "identifier",
    "status",
    "intent",
]


@pytest.fixture
def world(place):
    person = PatientFactory()
    on_caseload(person, place.nursing)
    in_care_team(person, place.practice)
    secret, _ = issue_token(username="gp", by=TOKEN_ISSUER)
    return {"auth": {"HTTP_AUTHORIZATION": f"Bearer {secret}"}, "person": person}


def _assert_answered(response, where):
    assert response.status_code < 500, f"{where}: {response.status_code}"
    if response.status_code >= 400 and response["Content-Type"].startswith("application/fhir"):
        issue = response.json()["issue"][0]
        assert issue["diagnostics"], where


@FUZZ
@given(
    body=st.one_of(
        st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=6).map(
            lambda d: {"resourceType": "ServiceRequest", **d}
        ),
        JSON,
    ),
    key=TEXT,
    content_type=st.sampled_from(["application/fhir+json", "application/json", "text/plain"]),
)
def test_fuzzed_service_requests_get_no_5xx(client, world, body, key, content_type):
    response = client.post(
        "/fhir/ServiceRequest",
        data=json.dumps(body),
        content_type=content_type,
        HTTP_IDEMPOTENCY_KEY=key.replace("\x00", "").replace("\n", "")[:200],
        **world["auth"],
    )
    _assert_answered(response, f"POST {body!r}")


@FUZZ
@given(
    resource=st.sampled_from([*RESOURCES, "Nonsense"]),
    id_=TEXT,
    params=st.dictionaries(
        st.sampled_from(["patient", "subject", "identifier", "status", "priority", "authored"]),
        TEXT,
        max_size=3,
    ),
)
def test_fuzzed_fhir_reads_and_searches_get_no_5xx(client, world, resource, id_, params):
    clean_id = id_.replace("/", "").replace("?", "").replace("#", "").replace("\x00", "") or "x"
    read = client.get(f"/fhir/{resource}/{clean_id}", **world["auth"])
    _assert_answered(read, f"GET {resource}/{clean_id!r}")
    search = client.get(
        f"/fhir/{resource}", {k: v.replace("\x00", "") for k, v in params.items()}, **world["auth"]
    )
    _assert_answered(search, f"GET {resource}?{params!r}")


FORMS = {
    "referrals:new": [
        "nhs_number",
        "date_of_birth",
        "source",
        "needs",
        "clinical_summary",
        "token",
    ],
    "caseload:break_glass": ["nhs_number", "date_of_birth", "reason"],
    "caseload:people": ["q"],
    "access:audit_search": ["nhs_number", "date_of_birth"],
}


@FUZZ
@given(
    form=st.sampled_from(sorted(FORMS)),
    values=st.lists(TEXT, min_size=6, max_size=6),
    method=st.sampled_from(["get", "post"]),
)
def test_fuzzed_forms_get_no_5xx(client, place, world, form, values, method):
    client.force_login(place.users["privacy" if form.startswith("access") else "gp"])
    data = {
        name: value.replace("\x00", "") for name, value in zip(FORMS[form], values, strict=False)
    }
    response = getattr(client, method)(reverse(form), data)
    assert response.status_code < 500, f"{form} {data!r}"


@FUZZ
@given(
    visit=st.integers(min_value=0, max_value=2**62),
    outcome=TEXT,
    reason=TEXT,
    table=st.sampled_from(["cyp101", "cyp201", "nonsense"]),
    start=TEXT,
    end=TEXT,
)
def test_fuzzed_outcomes_and_exports_get_no_5xx(
    client, place, visit, outcome, reason, table, start, end
):
    client.force_login(place.users["nurse"])
    recorded = client.post(
        reverse("caseload:record_outcome", args=[visit]),
        {"outcome": outcome.replace("\x00", ""), "missed_reason": reason.replace("\x00", "")},
    )
    assert recorded.status_code < 500, (visit, outcome)
    client.force_login(place.users["analyst"])
    export = client.get(
        f"/metrics/exports/{table}.csv",
        {"from": start.replace("\x00", ""), "to": end.replace("\x00", "")},
    )
    assert export.status_code < 500, (table, start, end)
    if export.status_code == 400:
        assert export.content.decode().split(":")[0] in {"from", "to"}
