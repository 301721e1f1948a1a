"""The load test of issue 13: 60 simulated students in 20 groups of 3 play the seed
scenario to the end against the real server (uvicorn in a subprocess, 127.0.0.1, a
free port, a database in a temporary folder). No error status, no lost move: every
action the server accepted is a row in the database afterwards, in each seat's order.
The driver (``benchmarks/classroom_load.py``) bounds the run in requests and time.
"""

from __future__ import annotations

import pytest

pytest.importorskip("httpx2", reason="the dev extra (httpx2) is not installed")

from benchmarks.classroom_load import PARTIES, LoadResult, run_class

GROUPS, SEATS = 20, 3


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> LoadResult:
    res = run_class(GROUPS, SEATS, seed=13, budget=240.0, workdir=tmp_path_factory.mktemp("load"))
    print(res.summary())  # shown with -s or -rP: the latencies of this run
    return res


def test_every_student_plays_to_the_end_with_no_error_status(result: LoadResult) -> None:
    assert result.students == GROUPS * SEATS == 60
    assert result.unfinished == []
    assert set(result.statuses) <= {200, 303, 409}, result.statuses  # 409: a refused move
    assert result.statuses[409] == result.refused
    assert result.move_ms and result.pass_ms  # students both moved and passed


def test_no_accepted_move_is_lost(result: LoadResult) -> None:
    assert sorted(result.stored) == sorted(result.accepted) == list(range(1, GROUPS + 1))
    accepted = sum(len(v) for v in result.accepted.values())
    assert accepted == result.statuses[303]  # the students' requests only
    instructor_rows = GROUPS  # one start per group
    assert result.stored_rows == accepted + instructor_rows
    for gid, rows in result.stored.items():
        for party in PARTIES[:SEATS]:
            mine = [r for r in rows if r[0] == party]
            assert mine == [a for a in result.accepted[gid] if a[0] == party], (gid, party)


def test_the_run_is_bounded_and_latencies_are_measured(result: LoadResult) -> None:
    assert result.seconds < 240
    assert result.requests <= result.students * 1500 + 3 * GROUPS
    p50 = result.quantile(result.move_ms, 0.5)
    p95 = result.quantile(result.move_ms, 0.95)
    assert 0 < p50 <= p95 <= max(result.move_ms)
