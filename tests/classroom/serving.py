"""The real classroom server in a subprocess, and plain HTTP to it (stdlib only)."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from tests.classroom.conftest import csrf_of
from tests.conftest import SEED

LINK = re.compile(r"(http://127\.0\.0\.1:\d+)/instructor/([A-Za-z0-9_-]+)")
STARTUP = 30.0  # seconds a server may take to listen (a loaded machine)


def start(db: Path, scenario: str = SEED) -> tuple[subprocess.Popen[bytes], str, str]:
    """A server on a free port of 127.0.0.1: (process, base URL, instructor token)."""
    command = [sys.executable, "-m", "negotiation.cli", "classroom", "-s", scenario]
    command += ["--port", "0", "--db", str(db)]
    log = db.with_suffix(".stderr").open("ab")
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log)
    log.close()  # the child holds its own copy
    assert proc.stdout is not None
    seen = b""
    deadline = time.monotonic() + STARTUP
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not sel.select(timeout=deadline - time.monotonic()):
                break
            chunk = os.read(proc.stdout.fileno(), 4096)  # unbuffered: select sees all
            if not chunk:
                break
            seen += chunk
            found = LINK.search(seen.decode("utf-8", "replace"))
            if found:
                return proc, found.group(1), found.group(2)
    stop(proc, signal.SIGKILL)
    errors = db.with_suffix(".stderr").read_text(encoding="utf-8", errors="replace")
    raise AssertionError(f"the server did not start: {seen!r} {errors}")


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
