"""The Friends and Family Test form under load: people answering from their links at once.

Starts ``wraparound serve`` (gunicorn) on loopback against the demo's database (PostgreSQL
with DATABASE_URL; build it first with ``wraparound demo --no-serve``), issues single-use
links through ``feedback.actions.invite_feedback`` (as a nurse would, after completed
visits), then has each client open a link (GET: the form and its CSRF cookie) and send an
answer (POST), as a phone would. Writes bench/results/feedback-<database>.json.

    DATABASE_URL=postgres://... python bench/feedback.py --clients 50 --answers 40

Target (issue 19): the answer (POST) under 100 ms at p95 with 50 answering at once. Two
ways to read "at once", both measured: ``--think 0`` has every client send as fast as the
server answers (a closed loop: the server's ceiling, where the latency is the queue), and
``--think 30`` has each person open their link at a moment of their own in the first 30 s
and take 15 to 45 s between opening the form and sending it, as people do, so that about
50 are answering at any moment. Every
link must count once: answers stored = answers acknowledged, none lost, none twice.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import queue
import random
import signal
import statistics
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wraparound.config.settings")
os.environ.setdefault("WRAPAROUND_DEBUG", "0")  # as in production

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from serving import CSRF_TOKEN, free_port, percentile_ms, serve  # noqa: E402

from wraparound.caseload.models import Visit  # noqa: E402
from wraparound.feedback.actions import invite_feedback  # noqa: E402
from wraparound.feedback.models import Response  # noqa: E402
from wraparound.workforce.models import StaffMember  # noqa: E402


def _links(count: int) -> list[str]:
    """``count`` links, each issued by a nurse of the visit's team after a completed visit."""
    visits = list(
        Visit.objects.filter(status="completed", assigned_to__isnull=False)
        .select_related("assigned_to__user")
        .order_by("-date", "pk")[:count]
    )
    if len(visits) < count:
        raise SystemExit(f"only {len(visits)} completed visits: build a bigger demo place")
    tokens = []
    for visit in visits:
        nurse = visit.assigned_to
        if nurse is None or nurse.team_id != visit.team_id:
            nurse = StaffMember.objects.filter(team=visit.team, role="clinician").first()
        _, token = invite_feedback(visit_id=visit.pk, by=nurse.user)
        tokens.append(token)
    return tokens


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--answers", type=int, default=40, help="answers per client")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="seconds a person takes between opening the form and sending it (0: none)",
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    before = Response.objects.count()
    started = time.monotonic()
    tokens = _links(args.clients * args.answers)
    issuing = time.monotonic() - started
    work: queue.Queue[str] = queue.Queue()
    for token in tokens:
        work.put(token)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(port, args.workers, args.threads)
    opened: list[float] = []
    answered: list[float] = []
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    go = threading.Barrier(args.clients + 1)

    def person() -> None:
        session = requests.Session()  # a phone: its own cookies
        rng = random.Random(threading.get_ident())
        mine_open, mine_answer, codes = [], [], {}
        go.wait()
        if args.think:  # people open their links at their own moments, not all at once
            time.sleep(rng.uniform(0, args.think))
        while True:
            try:
                token = work.get_nowait()
            except queue.Empty:
                break
            url = f"{base}/feedback/{token}/"
            form = session.get(url, timeout=60)
            match = CSRF_TOKEN.search(form.text)
            code = "no form"
            if args.think:  # reading the question and choosing, between half and 1.5 times
                time.sleep(args.think * rng.uniform(0.5, 1.5))
            t1 = time.perf_counter()
            if form.status_code == 200 and match:
                sent = session.post(
                    url,
                    data={
                        "csrfmiddlewaretoken": match[1],
                        "rating": "very_good",
                        "reason": "Kind and on time (load test)",
                    },
                    headers={"Referer": url},
                    allow_redirects=False,
                    timeout=60,
                )
                mine_answer.append(time.perf_counter() - t1)
                code = str(sent.status_code)
            mine_open.append(form.elapsed.total_seconds())
            codes[code] = codes.get(code, 0) + 1
        with lock:
            opened.extend(mine_open)
            answered.extend(mine_answer)
            for k, v in codes.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=person) for _ in range(args.clients)]
    for t in threads:
        t.start()
    go.wait()
    began = time.monotonic()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=60)

    stored = Response.objects.count() - before
    acknowledged = statuses.get("302", 0)
    rows = {}
    for name, latencies in (("open the link (GET)", opened), ("send the answer (POST)", answered)):
        ordered = sorted(latencies)
        rows[name] = {
            "requests": len(ordered),
            "p50_ms": percentile_ms(ordered, 0.50),
            "p95_ms": percentile_ms(ordered, 0.95),
            "p99_ms": percentile_ms(ordered, 0.99),
            "mean_ms": round(1000 * statistics.fmean(ordered), 1),
        }
    pace = f"{args.think:g} s to answer" if args.think else "no pause between requests"
    print(
        f"{args.clients} people answering at once ({pace}), {len(tokens)} links "
        f"({issuing:.1f} s to issue)"
    )
    print(f"{'':26} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, row in rows.items():
        print(
            f"{name:26} {row['requests']:>8} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['p99_ms']:>8}"
        )
    print(
        f"answers per second {acknowledged / elapsed:.1f}; statuses {statuses}; "
        f"acknowledged {acknowledged}, stored {stored}, lost {acknowledged - stored}"
    )
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    mode = "paced" if args.think else "closed-loop"
    out = args.out or ROOT / "bench" / "results" / f"feedback-{database}-{mode}.json"
    out.write_text(
        json.dumps(
            {
                "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
                "server": {"workers": args.workers, "threads": args.threads},
                "clients": args.clients,
                "think_seconds": args.think,
                "links": len(tokens),
                "answers_per_second": round(acknowledged / elapsed, 1),
                "results": rows,
                "statuses": statuses,
                "acknowledged": acknowledged,
                "stored": stored,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"wrote {out}")
    return 0 if stored == acknowledged and statuses.get("302", 0) == len(tokens) else 1


if __name__ == "__main__":
    raise SystemExit(main())
