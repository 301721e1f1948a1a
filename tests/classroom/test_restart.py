"""The real server, killed with SIGKILL mid-class and started again on the same
database: every accepted move is there, and the class goes on."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

from tests.classroom.serving import get, post, start, stop
from tests.classroom.web import SEAT


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
