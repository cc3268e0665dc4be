"""Fault drills under load: nothing acknowledged is lost, nothing is stored twice, nothing is
left untriaged, and the audit trail is intact, through kill -9 and a database restart.

Against the demo's PostgreSQL database (DATABASE_URL; build it with ``wraparound demo
--no-serve``), this starts ``wraparound serve``, a ``wraparound worker`` and the sweeper
(``wraparound sweep-referrals``), and keeps referral intake busy from client threads that
time out quickly and retry with the same idempotency key until they are answered. While
they send, it kills a web worker with SIGKILL, kills a task worker with SIGKILL in the middle
of planning (a fresh worker must finish its tasks, once each), and restarts PostgreSQL.
Then it waits for the sweeper and counts. Writes bench/results/faults-postgresql.json.

    DATABASE_URL=postgres://... python bench/faults.py                # needs pg_ctlcluster
    DATABASE_URL=postgres://... python bench/faults.py --clients 8 --pg-cluster "15 main"
    DATABASE_URL=postgres://... python bench/faults.py --clients 4 --seconds 4 --out /tmp/f.json

The last is the small drill ``.ci/run`` runs on a 2,000-resident demo.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wraparound.config.settings")
# As in production: no debug pages, no query log kept per connection (the server inherits it).
os.environ.setdefault("WRAPAROUND_DEBUG", "0")
os.environ["WRAPAROUND_TASK_BACKEND"] = "database"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django_tasks import TaskResultStatus  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402
from serving import free_port, referral_body, serve, start  # noqa: E402

from wraparound.access import audit  # noqa: E402
from wraparound.access.actors import System  # noqa: E402
from wraparound.caseload.models import Patient  # noqa: E402
from wraparound.fhir.actions import issue_token  # noqa: E402
from wraparound.referrals.models import Referral  # noqa: E402
from wraparound.scheduling.models import DayPlan  # noqa: E402
from wraparound.scheduling.tasks import plan_team  # noqa: E402
from wraparound.workforce.models import Shift, StaffMember  # noqa: E402

RUN = uuid.uuid4().hex[:8]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


class Intake:
    """Client threads sending referrals; each retries its key until it is answered."""

    def __init__(self, base: str, token: str, people: list[tuple[str, str]], clients: int) -> None:
        self.base, self.token, self.people, self.clients = base, token, people, clients
        self.acknowledged: dict[str, int] = {}
        self.retries = 0
        self.refused: dict[int, int] = {}
        self.lock = threading.Lock()
        self.running = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        self.running.set()
        self.threads = [
            threading.Thread(target=self._client, args=(n,)) for n in range(self.clients)
        ]
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.running.clear()
        for thread in self.threads:
            thread.join()

    def _client(self, n: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.token}"
        i = 0
        while self.running.is_set():
            key = f"fault-{RUN}-{n}-{i}"
            body = referral_body(
                *self.people[(n * 7919 + i) % len(self.people)],
                note="Found on the floor, no injury (fault drill)",
            )
            for attempt in range(200):  # a client that is not answered keeps trying
                try:
                    answer = session.post(
                        f"{self.base}/fhir/ServiceRequest",
                        data=body,
                        headers={"Content-Type": "application/fhir+json", "Idempotency-Key": key},
                        timeout=2,
                    )
                except requests.RequestException:
                    answer = None
                if answer is not None and answer.status_code in (200, 201):
                    with self.lock:
                        self.acknowledged[key] = int(answer.json()["id"])
                    break
                with self.lock:
                    self.retries += 1
                    if answer is not None and answer.status_code < 500:
                        self.refused[answer.status_code] = (
                            self.refused.get(answer.status_code, 0) + 1
                        )
                time.sleep(min(2.0, 0.05 * (attempt + 1)))
            i += 1


def _reconnect() -> None:
    connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0, help="load between faults")
    parser.add_argument("--pg-cluster", default="15 main", help="for pg_ctlcluster VERSION NAME")
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "bench" / "results" / "faults-postgresql.json",
        help="where the results go (.ci/run's small drill writes outside the repository)",
    )
    args = parser.parse_args()

    people = [
        (p.nhs_number, p.date_of_birth.isoformat())
        for p in Patient.objects.order_by("pk").only("nhs_number", "date_of_birth")[:5000]
    ]
    token, _ = issue_token(username="gp", by=System("bench/faults.py"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(port, workers=3, threads=4)
    sweeper = start("sweep-referrals", "--every", "5")
    drills: list[dict[str, Any]] = []
    intake = Intake(base, token, people, args.clients)
    intake.start()
    try:
        time.sleep(args.seconds)

        # 1. kill -9 a web worker in the middle of the load.
        victim = _children(server.pid)[0]
        os.kill(victim, signal.SIGKILL)
        drills.append({"drill": "kill -9 of a web worker", "pid": victim})
        time.sleep(args.seconds)

        # 2. kill -9 a task worker in the middle of planning; a fresh one must finish the tasks.
        day = Shift.objects.order_by("-date").values_list("date", flat=True).first()
        teams = sorted(
            set(Shift.objects.filter(date=day).values_list("staff__team", flat=True)) - {None}
        )
        leaders = {
            m.team_id: m.user_id
            for m in StaffMember.objects.filter(team__in=teams, role="team_leader").order_by("pk")
        }
        keys = []
        for team_id, leader_id in sorted(leaders.items())[:6]:
            key = f"fault-plan-{RUN}-{team_id}"
            plan_team.enqueue(team_id, day.isoformat(), leader_id, 2.0, key)
            keys.append(key)
        worker = start("worker", "--lease", "5")
        deadline = time.monotonic() + 120
        while (
            time.monotonic() < deadline
            and not DBTaskResult.objects.filter(
                status=TaskResultStatus.RUNNING, args_kwargs__args__4__in=keys
            ).exists()
        ):
            time.sleep(0.2)
        os.killpg(worker.pid, signal.SIGKILL)
        killed_mid_task = DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, args_kwargs__args__4__in=keys
        ).count()
        time.sleep(6)  # past the lease
        fresh = start("worker", "--lease", "5")
        deadline = time.monotonic() + 240
        while (
            time.monotonic() < deadline
            and DBTaskResult.objects.filter(args_kwargs__args__4__in=keys)
            .exclude(status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED])
            .exists()
        ):
            time.sleep(0.5)
        tasks = list(DBTaskResult.objects.filter(args_kwargs__args__4__in=keys))
        plans = DayPlan.objects.filter(task_key__in=keys).values("task_key").annotate(n=Count("id"))
        drills.append(
            {
                "drill": "kill -9 of a task worker mid-planning",
                "tasks": len(tasks),
                "running_when_killed": killed_mid_task,
                "successful": sum(t.status == TaskResultStatus.SUCCESSFUL for t in tasks),
                "plans_per_task": sorted({p["n"] for p in plans}),
                "tasks_with_a_plan": len(plans),
            }
        )

        # 3. restart PostgreSQL under load.
        version, name = args.pg_cluster.split()
        started = time.monotonic()
        as_root = [] if os.geteuid() == 0 else ["sudo", "-n"]
        subprocess.run([*as_root, "pg_ctlcluster", version, name, "restart"], check=True)
        drills.append(
            {"drill": "PostgreSQL restart", "seconds": round(time.monotonic() - started, 1)}
        )
        _reconnect()
        time.sleep(args.seconds)
    finally:
        intake.stop()

    time.sleep(65)  # the sweeper's minute
    _reconnect()
    stored = dict(
        Referral.objects.filter(idempotency_key__startswith=f"fault-{RUN}-").values_list(
            "idempotency_key", "pk"
        )
    )
    lost = [k for k in intake.acknowledged if k not in stored]
    moved = [k for k, pk in intake.acknowledged.items() if stored.get(k) not in (None, pk)]
    twice = (
        Referral.objects.filter(idempotency_key__startswith=f"fault-{RUN}-")
        .values("referring_organisation", "idempotency_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    untriaged = Referral.objects.filter(
        idempotency_key__startswith=f"fault-{RUN}-", status="received"
    ).count()
    audit.seal()  # as ``wraparound audit verify`` does
    chain = audit.verify()
    for process in (server, sweeper, fresh):
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()

    summary = {
        "acknowledged": len(intake.acknowledged),
        "stored": len(stored),
        "lost": len(lost),
        "acknowledged_under_another_id": len(moved),
        "stored_twice": twice,
        "untriaged_after_a_minute": untriaged,
        "client_retries": intake.retries,
        "refusals_4xx": intake.refused,
        "audit_verify": {
            "ok": chain.ok,
            "events": chain.events_checked,
            "unsealed": chain.unsealed,
            "problem": chain.problem,
        },
    }
    print(f"{'drill':40} result")
    for drill in drills:
        print(f"{drill['drill']:40} {json.dumps({k: v for k, v in drill.items() if k != 'drill'})}")
    for key, value in summary.items():
        print(f"{key:40} {value}")
    out: Path = args.out
    out.write_text(
        json.dumps(
            {
                "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "clients": args.clients,
                "drills": drills,
                "summary": summary,
            },
            indent=1,
        )
    )
    print(f"wrote {out}")
    bad = lost or moved or twice or untriaged or not chain.ok or intake.refused
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
