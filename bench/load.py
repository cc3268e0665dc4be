"""Load on the production server: intake, Patient search, the worklist and My day, at
concurrency 1 to 64, then a count of referrals against what was acknowledged.

Starts ``wraparound serve`` (gunicorn) on loopback against the demo's database (PostgreSQL
with DATABASE_URL; build the place there first with ``wraparound demo --no-serve``), drives
it from client threads that each keep one connection open, and writes
bench/results/load-<database>.json. The clients share the machine with the server, so on a
small machine the figures are a floor, not the server's ceiling.

    DATABASE_URL=postgres://... python bench/load.py
    DATABASE_URL=postgres://... python bench/load.py --concurrency 1,16,32 --seconds 10

Targets (issue 13, on 2 cores): intake >= 200 requests/s with p95 < 150 ms at 32 clients;
Patient search >= 300/s; the worklist's p95 < 300 ms at 16 clients. Nothing acknowledged
may be missing afterwards, and nothing may be stored twice.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import signal
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wraparound.config.settings")
# As in production: no debug pages, no query log kept per connection (the server inherits it).
os.environ.setdefault("WRAPAROUND_DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from serving import CSRF_TOKEN, NHS_NUMBER_SYSTEM, free_port, percentile_ms, referral_body, serve  # noqa: E402

from wraparound.access.actors import System  # noqa: E402
from wraparound.caseload.models import Patient  # noqa: E402
from wraparound.demo.place import DEMO_PASSWORD  # noqa: E402
from wraparound.door.policy import visible_patients  # noqa: E402
from wraparound.fhir.actions import issue_token  # noqa: E402
from wraparound.referrals.models import Referral  # noqa: E402

KEY_PREFIX = f"load-{uuid.uuid4().hex[:8]}-"


def _signed_in(base: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/sign-in/", timeout=10)
    token = CSRF_TOKEN.search(page.text)
    assert token is not None, "no CSRF token on the sign-in page"
    answer = session.post(
        f"{base}/sign-in/",
        data={"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token[1]},
        headers={"Referer": f"{base}/sign-in/"},
        timeout=10,
    )
    assert "sessionid" in session.cookies, f"{username} could not sign in ({answer.status_code})"
    return session


Request = Callable[[requests.Session, int], requests.Response]
# One count for every request of the run, so that a scenario walks the whole list of people:
# a count per client started every client at the same few people, and over runs gave each of
# them hundreds of open referrals (which no person has, and which slowed intake's duplicate
# check run by run).
_SEQUENCE = itertools.count()


def _run(
    make_session: Callable[[], requests.Session], request: Request, clients: int, seconds: float
) -> dict[str, Any]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    # Every client signs in before the clock starts: a sign-in hashes a password (on purpose,
    # slowly), which is not the page being measured.
    sessions = [make_session() for _ in range(clients)]
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        session = sessions[n]
        mine: list[float] = []
        codes: dict[int, int] = {}
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                code = request(session, next(_SEQUENCE)).status_code
            except requests.RequestException:
                code = 0
            mine.append(time.perf_counter() - started)
            codes[code] = codes.get(code, 0) + 1
        with lock:
            latencies.extend(mine)
            for code, count in codes.items():
                statuses[code] = statuses.get(code, 0) + count

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    ordered = sorted(latencies)

    ok = sum(count for code, count in statuses.items() if 200 <= code < 300)
    return {
        "clients": clients,
        "requests": len(latencies),
        "ok": ok,
        "errors": len(latencies) - ok,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "per_second": round(ok / elapsed, 1),
        "p50_ms": percentile_ms(ordered, 0.50),
        "p95_ms": percentile_ms(ordered, 0.95),
        "p99_ms": percentile_ms(ordered, 0.99),
        "mean_ms": round(1000 * statistics.fmean(latencies), 1) if latencies else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", default="1,4,16,32,64")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--only", default="", help="run the scenarios whose name has this")
    parser.add_argument("--out", type=Path, help="where the JSON goes (default bench/results/)")
    args = parser.parse_args()
    levels = [int(c) for c in args.concurrency.split(",")]

    users = get_user_model().objects
    nurse = users.get(username="nurse")
    people = [
        (p.nhs_number, p.date_of_birth.isoformat())
        for p in Patient.objects.order_by("pk").only("nhs_number", "date_of_birth")[:5000]
    ]
    visible = list(
        visible_patients(Patient.objects.all(), nurse)
        .order_by("pk")
        .values_list("nhs_number", flat=True)[:500]
    )
    gp_token, _ = issue_token(username="gp", by=System("bench/load.py"))
    nurse_token, _ = issue_token(username="nurse", by=System("bench/load.py"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(port, args.workers, args.threads)
    acknowledged: dict[str, int] = {}
    ack_lock = threading.Lock()

    def bearer(token: str) -> Callable[[], requests.Session]:
        def make() -> requests.Session:
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {token}"
            return session

        return make

    def intake(session: requests.Session, i: int) -> requests.Response:
        key = f"{KEY_PREFIX}{i}-{uuid.uuid4().hex[:6]}"
        answer = session.post(
            f"{base}/fhir/ServiceRequest",
            data=referral_body(
                *people[i % len(people)], note="Found on the floor, no injury (load test)"
            ),
            headers={"Content-Type": "application/fhir+json", "Idempotency-Key": key},
            timeout=60,
        )
        if answer.status_code in (200, 201):
            with ack_lock:
                acknowledged[key] = int(answer.json()["id"])
        return answer

    def patient_search(session: requests.Session, i: int) -> requests.Response:
        number = visible[i % len(visible)]
        return session.get(
            f"{base}/fhir/Patient",
            params={"identifier": f"{NHS_NUMBER_SYSTEM}|{number}"},
            timeout=60,
        )

    scenarios: list[tuple[str, Callable[[], requests.Session], Request]] = [
        ("intake (POST /fhir/ServiceRequest)", bearer(gp_token), intake),
        ("Patient search (GET /fhir/Patient)", bearer(nurse_token), patient_search),
        (
            "worklist (coordinator)",
            lambda: _signed_in(base, "coordinator"),
            lambda s, i: s.get(f"{base}/referrals/worklist/", timeout=60),
        ),
        (
            "My day (nurse)",
            lambda: _signed_in(base, "nurse"),
            lambda s, i: s.get(f"{base}/my-day/", timeout=60),
        ),
    ]
    results: dict[str, list[dict[str, Any]]] = {}
    try:
        for name, make_session, request in scenarios:
            if args.only.lower() not in name.lower():
                continue
            results[name] = []
            for clients in levels:
                row = _run(make_session, request, clients, args.seconds)
                results[name].append(row)
                print(
                    f"{name:40} {clients:>3} clients  {row['per_second']:>7.1f}/s  "
                    f"p50 {row['p50_ms']:>7.1f}  p95 {row['p95_ms']:>7.1f}  p99 {row['p99_ms']:>7.1f} ms"
                    f"  errors {row['errors']} {row['statuses']}",
                    flush=True,
                )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    stored = dict(
        Referral.objects.filter(idempotency_key__startswith=KEY_PREFIX).values_list(
            "idempotency_key", "pk"
        )
    )
    lost = sorted(k for k in acknowledged if k not in stored)
    changed = sorted(k for k, pk in acknowledged.items() if stored.get(k) not in (None, pk))
    untriaged = Referral.objects.filter(
        idempotency_key__startswith=KEY_PREFIX, status="received"
    ).count()
    print(
        f"\nreferrals acknowledged {len(acknowledged)}, stored {len(stored)}, lost {len(lost)}, "
        f"acknowledged under another id {len(changed)}, left untriaged {untriaged}"
    )
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    out = args.out or ROOT / "bench" / "results" / f"load-{database}.json"
    out.write_text(
        json.dumps(
            {
                "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
                "server": {
                    "workers": args.workers,
                    "threads": args.threads,
                    "server": "gunicorn gthread",
                },
                "seconds_per_level": args.seconds,
                "results": results,
                "referrals": {
                    "acknowledged": len(acknowledged),
                    "stored": len(stored),
                    "lost": len(lost),
                    "acknowledged_under_another_id": len(changed),
                    "untriaged": untriaged,
                },
            },
            indent=1,
        )
    )
    print(f"wrote {out}")
    return 1 if lost or changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
