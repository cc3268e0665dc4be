"""Speed of the pages people use: every page each demo user can reach, at the demo's scale.

Signs in as each demo user (the Django test client, in process, against the demo's own
database: SQLite by default, PostgreSQL with DATABASE_URL) and times each page they reach
from their home page, plus one record page, one referral, one visit and the CSDS exports,
with the number of database queries each page makes. Prints the slowest pages and writes
bench/results/pages-<database>.json.

    python bench/pages.py                      # the demo in ./data (build it: scripts/demo)
    WRAPAROUND_DATA_DIR=/tmp/demo python bench/pages.py --repeats 7
    DATABASE_URL=postgres://... python bench/pages.py

Targets (issue 11): every page p95 under 300 ms; no page whose queries grow with the rows it
shows (the query count is the same for a 10-row and a 200-row page); a month's CSDS export
under 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wraparound.config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from wraparound.caseload.models import Patient, Visit  # noqa: E402
from wraparound.demo.place import DEMO_USERS as DEMO_PLACE_USERS  # noqa: E402
from wraparound.door.policy import visible_patients  # noqa: E402
from wraparound.referrals.models import Referral  # noqa: E402
from wraparound.web.features import features_for  # noqa: E402

try:  # the code before least privilege (for a "before" run) had no record sections
    from wraparound.access.roles import Section
    from wraparound.door.policy import sections_for

    REFERRALS: Any = Section.REFERRALS
except ImportError:  # pragma: no cover

    def sections_for(user: Any) -> set[Any]:
        return {None}

    REFERRALS = None

DEMO_USERS = tuple(user.username for user in DEMO_PLACE_USERS)  # the README's


def _pages_for(user: Any) -> list[tuple[str, str]]:
    """(label, url) for every page this user reaches from home, and one of each record kind."""
    pages = [("home", "/")]
    pages += [(feature.title, url) for feature, url in features_for(user)]
    person = visible_patients(Patient.objects.all(), user).order_by("pk").first()
    if person is not None:
        pages.append(("a person's record", f"/people/{person.pk}/"))
        pages.append(("Find a person: search", "/people/?q=" + person.family_name[:3]))
    referral = (
        Referral.objects.filter(patient__in=visible_patients(Patient.objects.all(), user))
        .order_by("-pk")
        .first()
        if REFERRALS in sections_for(user)
        else None
    )
    if referral is not None:
        pages.append(("a referral", f"/referrals/{referral.pk}/"))
    staff = getattr(user, "staff_member", None)
    if staff is not None:
        visit = Visit.objects.filter(assigned_to=staff, date=timezone.localdate()).first()
        if visit is not None:
            pages.append(("a visit", f"/my-day/visits/{visit.pk}/"))
    if any(url.startswith("/metrics/") for _label, url in pages):
        end = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
        start = end.replace(day=1)
        window = f"?from={start.isoformat()}&to={end.isoformat()}"
        for table in ("cyp101", "cyp102", "cyp104", "cyp201"):
            pages.append((f"CSDS {table} for a month", f"/metrics/exports/{table}.csv{window}"))
    return pages


def p95(values: list[float]) -> float:
    """The 95th percentile, nearest rank (with 11 repeats: the slowest but one)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def time_page(client: Client, url: str, repeats: int, **headers: str) -> dict[str, Any]:
    """Median and p95 of ``repeats`` GETs of ``url``, its query count and status."""
    seconds, queries, status = [], 0, 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, **headers)
            _ = response.content
            seconds.append(time.perf_counter() - started)
        queries, status = len(captured.captured_queries), response.status_code
    return {
        "median_ms": round(statistics.median(seconds) * 1000, 1),
        "p95_ms": round(p95(seconds) * 1000, 1),
        "queries": queries,
        "status": status,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--slowest", type=int, default=10)
    parser.add_argument("--tag", default="")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    database = connection.vendor
    users = get_user_model().objects.filter(username__in=DEMO_USERS)
    if users.count() != len(DEMO_USERS):
        print("The demo place is not built here: run scripts/demo first.", file=sys.stderr)
        return 2
    rows = []
    for user in sorted(users, key=lambda u: DEMO_USERS.index(u.username)):
        client = Client()
        client.force_login(user)
        for label, url in _pages_for(user):
            client.get(url)  # warm: templates compiled, caches filled, as for a real user
            rows.append(
                {
                    "user": user.username,
                    "page": label,
                    "url": url,
                    **time_page(client, url, args.repeats),
                }
            )
    rows.sort(key=lambda r: -r["p95_ms"])
    print(f"{database}: {len(rows)} pages, {args.repeats} timed requests each")
    print(f"{'user':13} {'page':32} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'status':>6}")
    for row in rows[: args.slowest]:
        print(
            f"{row['user']:13} {row['page'][:32]:32} {row['median_ms']:>10} {row['p95_ms']:>8} "
            f"{row['queries']:>8} {row['status']:>6}"
        )
    over = [r for r in rows if r["p95_ms"] >= 300 and "CSDS" not in r["page"]]
    exports = [r for r in rows if "CSDS" in r["page"]]
    print(
        f"pages with p95 >= 300 ms: {len(over)}; slowest CSDS month: "
        f"{max((r['p95_ms'] for r in exports), default=0) / 1000:.2f} s"
    )
    out = ROOT / "bench" / "results" / f"pages-{database}{args.tag}.json"
    out.write_text(
        json.dumps(
            {
                "command": " ".join(["python", "bench/pages.py", *sys.argv[1:]]),
                "database": database,
                "machine": platform.platform(),
                "patients": Patient.objects.count(),
                "repeats": args.repeats,
                "pages": rows,
            },
            indent=2,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
