"""``wraparound serve`` runs the production WSGI server, and a web worker answers without
importing the planner (whose compiled loops took 4-20 s to load in a fresh worker)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

WRAPAROUND = Path(sys.executable).with_name("wraparound")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _environment(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "WRAPAROUND_DATA_DIR": str(tmp_path),
    }


def test_wraparound_serve_answers_through_gunicorn_and_stops_cleanly(tmp_path):
    env = _environment(tmp_path)
    subprocess.run([str(WRAPAROUND), "migrate", "-v0"], env=env, check=True, timeout=300)
    port = _free_port()
    server = subprocess.Popen(
        [str(WRAPAROUND), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status = None
        for _ in range(120):  # until it listens (a minute at most)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in/", timeout=5) as r:
                    status, body = r.status, r.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200 and "Sign in" in body
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert server.returncode == 0, output
    assert "gunicorn" in output and "Booting worker" in output


def test_a_web_worker_loads_every_url_without_importing_the_planner():
    code = (
        "import sys, django; django.setup(); import wraparound.config.urls; "
        "print(sorted(m for m in ('numba', 'wraparound.planning.kernel') if m in sys.modules))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wraparound.config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
