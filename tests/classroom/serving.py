"""The real classroom server in a subprocess, and plain HTTP to it (stdlib only)."""

from __future__ import annotations

import signal
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks.classroom_load import start_server
from tests.classroom.web import csrf_of
from tests.conftest import SEED


def start(db: Path, scenario: str = SEED) -> tuple[subprocess.Popen[bytes], str, str]:
    """A server on a free port of 127.0.0.1: (process, base URL, instructor token)."""
    return start_server(db, scenario)


def stop(proc: subprocess.Popen[bytes], how: signal.Signals) -> None:
    """Signal the server, wait for it (killing it if it lingers), close the pipe."""
    proc.send_signal(how)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    if proc.stdout is not None:
        proc.stdout.close()


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as r:
        return str(r.read().decode("utf-8"))


def post(url: str, page_url: str, **fields: str | list[str]) -> int:
    """POST a form as the page at ``page_url`` would (with its CSRF token); the status
    (a 303 is not followed)."""
    data = urllib.parse.urlencode({"csrf": csrf_of(get(page_url)), **fields}, doseq=True)

    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(Stay)
    try:
        with opener.open(url, data=data.encode(), timeout=10) as r:
            return int(r.status)
    except urllib.error.HTTPError as e:
        return int(e.code)
