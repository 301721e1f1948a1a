"""A class of simulated students against the real classroom server, on loopback only.

The server is ``negotiation classroom`` in a subprocess (uvicorn, one process) on a free
port of 127.0.0.1 and a database in a temporary folder. An instructor creates the
groups (every seat a student) and starts them; then every student, one asyncio task
each over ``httpx2``, plays to the end as a browser would: GET its seat page, read the
CSRF token, whether it is its turn and its legal moves, and POST a move (drawn from the
legal moves with a seeded generator) or a pass; when it is not its turn it polls the
seat's ``/version`` until something changes. A student stops when its group is
finished (or ended); the whole class is bounded in requests per student and in time,
so a run always stops by itself.

Afterwards the server is stopped and the database read back: every action the server
accepted (a 303 answer) must be a row, in the order each seat made them.

    python -m benchmarks.classroom_load [--groups 20] [--seats 3]

``run_class`` returns a ``LoadResult``; ``tests/classroom/test_load.py`` asserts on it
and ``benchmarks/run.py`` records its p95 as ``classroom_p95_ms``.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import os
import random
import re
import resource
import selectors
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

SCENARIO = "ukraine-2025-12"
PARTIES = ("ukraine", "united_states", "russia")
"""The seats of a group, in the order they are handed out (the scenario's parties)."""
LINK = re.compile(r"(http://127\.0\.0\.1:\d+)/instructor/([A-Za-z0-9_-]+)")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
CARD = re.compile(r'<section class="card" id="group-(\d+)">(.*?)</section>', re.S)
SEAT_ROW = re.compile(r'<tr><td>([^<]+)</td><td><a class="link" href="/seat/([A-Za-z0-9_-]+)"')
OPTION = re.compile(r'<option value="([^"]*)">')
STARTUP = 30.0
"""Seconds the server may take to listen (a loaded machine)."""
MAX_REQUESTS = 1500
"""Requests one student may make before it gives up (the run is then a failure)."""
POLL = 0.2
"""Seconds between two polls of a seat's version while it waits (a browser: 1.5 s)."""


@dataclass
class Student:
    group: int
    party: str
    token: str
    accepted: list[tuple[str, str, str]] = field(default_factory=list)
    """(seat, kind, text) of each action the server accepted, in order."""
    requests: int = 0
    done: bool = False


@dataclass
class LoadResult:
    """What a run measured and what it found in the database afterwards."""

    groups: int
    students: int
    seconds: float = 0.0
    move_ms: list[float] = field(default_factory=list)
    """Latency of each accepted or refused move POST (milliseconds)."""
    pass_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    """Every answer's status code, over every request."""
    refused: int = 0
    """Moves answered 409: legal when the page was read, no longer (another seat moved)."""
    unfinished: list[str] = field(default_factory=list)
    """Students that stopped before their group finished (and why)."""
    accepted: dict[int, list[tuple[str, str, str]]] = field(default_factory=dict)
    """Per group, the seats' accepted actions as the students saw them (seat order)."""
    stored: dict[int, list[tuple[str, str, str]]] = field(default_factory=dict)
    """Per group, the seats' rows in the database, in the order stored."""
    stored_rows: int = 0
    load: tuple[float, float] = (0.0, 0.0)
    """The 1-minute load average before and after the run."""
    server_cpu: float = 0.0
    """CPU seconds the server process used (start, play and stop)."""
    client_cpu: float = 0.0
    """CPU seconds the simulated students used (this process, during the play)."""

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @staticmethod
    def quantile(values: list[float], q: float) -> float:
        if len(values) < 2:
            return values[0] if values else float("nan")
        return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]

    def summary(self) -> str:
        moves = self.move_ms
        return (
            f"{self.students} students in {self.groups} groups: {self.seconds:.1f} s, "
            f"{self.requests} requests, {len(moves)} move POSTs "
            f"(p50 {self.quantile(moves, 0.5):.1f} ms, p95 {self.quantile(moves, 0.95):.1f} ms), "
            f"{len(self.pass_ms)} passes (p95 {self.quantile(self.pass_ms, 0.95):.1f} ms), "
            f"{self.refused} refused, {self.stored_rows} rows stored; statuses "
            f"{dict(sorted(self.statuses.items()))}; cpu: server {self.server_cpu:.1f} s, "
            f"students {self.client_cpu:.1f} s; load {self.load[0]:.1f} -> {self.load[1]:.1f}"
        )


# -- the server ------------------------------------------------------------------------------


def start_server(
    db: Path, scenario: str = SCENARIO
) -> tuple[subprocess.Popen[bytes], str, str]:
    """``negotiation classroom`` on a free port of 127.0.0.1: (process, base, instructor).
    The classroom tests start their servers with it too."""
    command = [sys.executable, "-m", "negotiation.cli", "classroom", "-s", scenario]
    command += ["--host", "127.0.0.1", "--port", "0", "--db", str(db)]
    errors = db.with_suffix(".stderr")
    with errors.open("ab") as log:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log)
    assert proc.stdout is not None
    seen = b""
    deadline = time.monotonic() + STARTUP
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not sel.select(timeout=deadline - time.monotonic()):
                break
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
            found = LINK.search(seen.decode("utf-8", "replace"))
            if found:
                return proc, found.group(1), found.group(2)
    stop_server(proc)
    text = errors.read_text(encoding="utf-8", errors="replace")
    raise RuntimeError(f"the classroom server did not start: {seen!r} {text}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Ctrl-C the server and wait for it (killing it if it lingers)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
    if proc.stdout is not None:
        proc.stdout.close()


def stored_actions(db: Path) -> dict[int, list[tuple[str, str, str]]]:
    """Every row of the database's moves table, per group, in sequence order."""
    out: dict[int, list[tuple[str, str, str]]] = {}
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT group_id, seat, kind, text FROM moves ORDER BY group_id, seq")
        for gid, seat, kind, text in rows:
            out.setdefault(int(gid), []).append((str(seat), str(kind), str(text)))
    finally:
        con.close()
    return out


# -- the class ---------------------------------------------------------------------------------


async def _instructor(client: object, token: str, groups: int, seats: int) -> list[Student]:
    """Create and start the groups; the students, one per seat."""
    me = f"/instructor/{token}"
    get, post = client.get, client.post  # type: ignore[attr-defined]
    page = (await get(me)).text
    csrf = CSRF.search(page).group(1)  # type: ignore[union-attr]
    for n in range(groups):
        form = {"csrf": csrf, "name": f"Table {n + 1}", "party": list(PARTIES[:seats])}
        r = await post(f"{me}/groups", data=form)
        if r.status_code != 303:
            raise RuntimeError(f"creating a group: {r.status_code} {r.text[:300]}")
    students = []
    for gid, card in CARD.findall((await get(me)).text):
        for party, seat in SEAT_ROW.findall(card):
            students.append(Student(int(gid), html.unescape(party), seat))
    for gid in sorted({s.group for s in students}):
        r = await post(f"{me}/groups/{gid}", data={"csrf": csrf, "do": "start"})
        if r.status_code != 303:
            raise RuntimeError(f"starting group {gid}: {r.status_code} {r.text[:300]}")
    return students


async def _student(
    client: object, s: Student, rnd: random.Random, res: LoadResult, deadline: float
) -> None:
    get, post = client.get, client.post  # type: ignore[attr-defined]
    me = f"/seat/{s.token}"
    version = ""
    while s.requests < MAX_REQUESTS and time.monotonic() < deadline:
        s.requests += 1
        r = await get(me)
        res.statuses[r.status_code] += 1
        page = r.text
        if r.status_code != 200:
            res.unfinished.append(f"{s.party} of group {s.group}: GET {r.status_code}")
            return
        if "The group is finished." in page or "The group is ended." in page:
            s.done = True
            return
        if 'id="turn">Your turn' in page:
            csrf = CSRF.search(page).group(1)  # type: ignore[union-attr]
            legal = [html.unescape(m) for m in OPTION.findall(page)]
            move = rnd.choice(legal) if legal and rnd.random() < 0.6 else ""
            form = {"csrf": csrf, "do": "move" if move else "pass", "move": move}
            s.requests += 1
            t0 = time.perf_counter()
            r = await post(f"{me}/act", data=form)
            ms = (time.perf_counter() - t0) * 1000
            res.statuses[r.status_code] += 1
            (res.move_ms if move else res.pass_ms).append(ms)
            if r.status_code == 303:
                s.accepted.append((s.party, "move" if move else "pass", move))
            elif r.status_code == 409 and move:
                res.refused += 1  # another seat's move made it illegal: read the page again
            else:
                res.unfinished.append(f"{s.party} of group {s.group}: POST {r.status_code}")
                return
            continue
        seen = version
        while s.requests < MAX_REQUESTS and time.monotonic() < deadline:  # wait for a change
            await asyncio.sleep(POLL * (0.5 + rnd.random()))
            s.requests += 1
            r = await get(f"{me}/version")
            res.statuses[r.status_code] += 1
            version = r.text.strip()
            if r.status_code != 200 or version != seen:
                break
    res.unfinished.append(f"{s.party} of group {s.group}: out of requests or time")


async def _class(
    base: str, token: str, groups: int, seats: int, seed: int, budget: float, res: LoadResult
) -> list[Student]:
    import httpx2  # the dev extra's client (Starlette's test client uses it)

    limits = httpx2.Limits(max_connections=groups * seats + 1, max_keepalive_connections=None)
    async with httpx2.AsyncClient(base_url=base, limits=limits, timeout=60.0) as client:
        students = await _instructor(client, token, groups, seats)
        deadline = time.monotonic() + budget
        rnds = [random.Random(seed * 1_000 + n) for n in range(len(students))]
        t0 = time.perf_counter()
        pairs = zip(students, rnds, strict=True)
        await asyncio.gather(*(_student(client, s, rnd, res, deadline) for s, rnd in pairs))
        res.seconds = time.perf_counter() - t0
    return students


def _cpu(who: int) -> float:
    use = resource.getrusage(who)
    return use.ru_utime + use.ru_stime


def run_class(
    groups: int = 20,
    seats: int = 3,
    seed: int = 13,
    budget: float = 240.0,
    workdir: Path | None = None,
) -> LoadResult:
    """Serve a fresh classroom, play ``groups`` groups of ``seats`` students to the end
    (at most ``budget`` seconds of play), stop the server and read the database back."""
    res = LoadResult(groups, groups * seats)
    with tempfile.TemporaryDirectory(prefix="classroom-load-") as tmp:
        db = (workdir or Path(tmp)) / "class.sqlite"
        res.load = (os.getloadavg()[0], 0.0)
        kids = _cpu(resource.RUSAGE_CHILDREN)
        proc, base, token = start_server(db)
        try:
            me = _cpu(resource.RUSAGE_SELF)
            students = asyncio.run(_class(base, token, groups, seats, seed, budget, res))
            res.client_cpu = _cpu(resource.RUSAGE_SELF) - me
        finally:
            stop_server(proc)
        res.server_cpu = _cpu(resource.RUSAGE_CHILDREN) - kids
        res.load = (res.load[0], os.getloadavg()[0])
        for s in students:
            res.accepted.setdefault(s.group, []).extend(s.accepted)
        stored = stored_actions(db)
        res.stored_rows = sum(len(v) for v in stored.values())
        res.stored = {
            gid: [a for a in rows if a[0] != "instructor"] for gid, rows in stored.items()
        }
    return res


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--seats", type=int, default=3, choices=(1, 2, 3))
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    res = run_class(args.groups, args.seats, args.seed)
    print(res.summary())
    return 0 if not res.unfinished and res.statuses.keys() <= {200, 303, 409} else 1


if __name__ == "__main__":
    raise SystemExit(main())
