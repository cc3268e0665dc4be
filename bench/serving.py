"""What the load and fault benches share: a free port on loopback, Wraparound's own commands
started as processes (``wraparound serve``, workers, the sweeper), waiting for the server to
answer, and the FHIR referral a client sends."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

WRAPAROUND = str(Path(sys.executable).with_name("wraparound"))
NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NEED_SYSTEM = "https://wraparound.example.org/CodeSystem/presenting-need"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(*args: str) -> subprocess.Popen[bytes]:
    """``wraparound ARGS...`` in its own process group (so a drill can kill it whole), quiet."""
    return subprocess.Popen(
        [WRAPAROUND, *args],
        env={**os.environ, "WRAPAROUND_ACCESS_LOG": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def serve(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    """``wraparound serve`` on loopback, once it answers; stopped again if it never does."""
    server = start(
        "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads)
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/sign-in/")
    except SystemExit:
        server.kill()
        raise
    return server


def referral_body(number: str, born: str, note: str) -> str:
    """A FHIR ServiceRequest for a fall, naming the person by NHS number and date of birth."""
    return json.dumps(
        {
            "resourceType": "ServiceRequest",
            "status": "active",
            "intent": "order",
            "subject": {"reference": "#p"},
            "contained": [
                {
                    "resourceType": "Patient",
                    "id": "p",
                    "identifier": [{"system": NHS_NUMBER_SYSTEM, "value": number}],
                    "birthDate": born,
                }
            ],
            "reasonCode": [{"coding": [{"system": NEED_SYSTEM, "code": "fall"}]}],
            "note": [{"text": note}],
        }
    )


def percentile_ms(ordered: list[float], q: float) -> float:
    """The ``q`` quantile of sorted latencies in seconds, as milliseconds (nearest rank)."""
    return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)
