"""The real server, killed with SIGKILL mid-class and started again on the same
database: every accepted move is there, and the class goes on."""

from __future__ import annotations

import json
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

from tests.classroom.conftest import SEAT, csrf_of
from tests.conftest import SEED

LINK = re.compile(r"(http://127\.0\.0\.1:\d+)/instructor/([A-Za-z0-9_-]+)")
STARTUP = 30.0  # seconds a server may take to listen (a loaded machine)


def start(db: Path) -> tuple[subprocess.Popen[bytes], str, str]:
    """A server on a free port of 127.0.0.1: (process, base URL, instructor token)."""
    command = [sys.executable, "-m", "negotiation.cli", "classroom", "-s", SEED]
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


def actions(base: str, token: str) -> list[list[dict[str, str]]]:
    data = json.loads(get(f"{base}/instructor/{token}/export.json"))
    return [g["actions"] for g in data["groups"]]


def test_a_killed_server_resumes_every_group_with_every_accepted_move(tmp_path: Path) -> None:
    t0 = time.monotonic()
    db = tmp_path / "class.sqlite"
    proc, base, token = start(db)
    try:
        me = f"{base}/instructor/{token}"
        assert post(f"{me}/groups", me, name="A", party=["ukraine", "russia"]) == 303
        assert post(f"{me}/groups", me, name="B", party=["united_states"]) == 303
        seats = SEAT.findall(get(me))
        assert len(seats) == 3
        assert post(f"{me}/groups/1", me, do="start") == 303
        assert post(f"{me}/groups/2", me, do="start") == 303
        ukraine, russia, us = (f"{base}/seat/{s}" for s in seats)
        move = "ukraine comments on twenty_eight_point_plan"
        assert post(f"{ukraine}/act", ukraine, do="move", move=move) == 303
        deadline = "united_states sets deadline thanksgiving_deadline"
        assert post(f"{us}/act", us, do="move", move=deadline) == 303
        assert post(f"{russia}/act", russia, do="move", move="ukraine signs x") == 409  # refused
        assert post(f"{russia}/act", russia, do="pass") == 303  # the clock moves on
        before = actions(base, token)
    finally:
        stop(proc, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    assert [len(a) for a in before] == [3, 2]  # refused moves are not stored
    proc, base, again = start(db)
    try:
        assert again == token
        assert actions(base, token) == before
        page = get(f"{base}/seat/{seats[0]}")
        assert "2025-11-27" in page and "Your turn" in page  # the class goes on
        assert post(f"{base}/seat/{seats[0]}/act", f"{base}/seat/{seats[0]}", do="pass") == 303
        assert len(actions(base, token)[0]) == 4
    finally:
        stop(proc, signal.SIGINT)
    assert proc.returncode == 130  # Ctrl-C stops it as it stops explore and sample
    assert time.monotonic() - t0 < 60
