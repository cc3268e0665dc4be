"""The capacity pages at the demo's scale: the board (24 hours of crews against a year of
demand, the wards and their curves), the virtual ward's list, the falls calls, the monthly
virtual-ward return, and a ward stay over FHIR.

Signs in as the demo's users (the Django test client, in process, against the demo's own
database: SQLite by default, PostgreSQL with DATABASE_URL), warms each page once, then times
it. Prints a table and writes bench/results/capacity-board-<database>.json.

    python bench/capacity_board.py                          # the demo in ./data
    DATABASE_URL=postgres://... python bench/capacity_board.py --repeats 21

Target (issue 16): the capacity board under 300 ms at the demo's scale.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wraparound.config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

# bench/ is on the path when this runs as a script: the same timing as every page's bench.
from pages import time_page  # noqa: E402

from wraparound.access.actors import System  # noqa: E402
from wraparound.capacity.models import DemandHour, Ward, WardKind, WardStay  # noqa: E402
from wraparound.caseload.models import Patient  # noqa: E402
from wraparound.fhir.actions import issue_token  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    users = get_user_model().objects
    ward = Ward.objects.filter(kind=WardKind.VIRTUAL_WARD).first()
    if ward is None or not users.filter(username="consultant").exists():
        print("The demo place is not built here: run scripts/demo first.", file=sys.stderr)
        return 2
    month = timezone.localdate().strftime("%Y-%m")
    stay = WardStay.objects.filter(ward=ward).order_by("-pk").first()
    token, _ = issue_token(username="consultant", by=System("bench"))
    asks = [
        ("manager", "capacity board", "/capacity/", {}),
        ("teamleader", "capacity board", "/capacity/", {}),
        ("consultant", "virtual ward list", f"/capacity/wards/{ward.pk}/", {}),
        ("coordinator", "falls calls", "/capacity/falls/", {}),
        ("manager", "virtual-ward return (month)", f"/capacity/virtual-ward-return.csv?month={month}", {}),
        ("consultant", "FHIR Encounter (ward stay)", f"/fhir/Encounter/ward-stay-{stay.pk}",
         {"HTTP_AUTHORIZATION": f"Bearer {token}"}),
    ]  # fmt: skip
    rows = []
    for username, label, url, headers in asks:
        client = Client()
        client.force_login(users.get(username=username))
        client.get(url, **headers)  # warm, as for a real user
        timed = time_page(client, url, args.repeats, **headers)
        rows.append({"user": username, "page": label, "url": url, **timed})
    database = connection.vendor
    print(
        f"{database}: {Patient.objects.count():,} residents, {WardStay.objects.count():,} ward "
        f"stays, {DemandHour.objects.count():,} demand hours; {args.repeats} timed requests each"
    )
    print(f"{'user':12} {'page':30} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'status':>6}")
    for row in rows:
        print(
            f"{row['user']:12} {row['page']:30} {row['median_ms']:>10} {row['p95_ms']:>8} "
            f"{row['queries']:>8} {row['status']:>6}"
        )
    board = [r for r in rows if r["page"] == "capacity board"]
    print(f"capacity board p95: {max(r['p95_ms'] for r in board)} ms (target < 300 ms)")
    out = ROOT / "bench" / "results" / f"capacity-board-{database}.json"
    out.write_text(
        json.dumps(
            {
                "command": " ".join(["python", "bench/capacity_board.py", *sys.argv[1:]]),
                "database": database,
                "machine": platform.platform(),
                "cpus": os.cpu_count(),
                "residents": Patient.objects.count(),
                "ward_stays": WardStay.objects.count(),
                "demand_hours": DemandHour.objects.count(),
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
