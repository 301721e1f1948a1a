"""The CLI on participation: `why` of a move barred by a suspension, a withdrawal or an
exclusion says who and since when; `run` shows the standings that changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import invoke

SCENARIO = """\
id: participation_cli
title: Participation (invented for a test)
illustrative: true
start: 2026-01-01
horizon: 2026-12-31
parties: [{id: east, name: East}, {id: west, name: West}, {id: north, name: North}]
documents:
  - id: accord
    title: Accord
    requires_acceptance: [east, west, north]
    initial_state: signed
  - {id: protocol, title: Protocol}
timeline:
  - {id: notice, kind: leave, date: 2026-01-10, by: west, document: accord,
     effective_after_days: 60}
  - {id: suspended, kind: suspend, date: 2026-02-01, by: east, party: north, document: accord}
  - {id: shut_out, kind: exclude, date: 2026-02-01, by: east, party: west}
"""


@pytest.fixture
def path(tmp_path: Path) -> str:
    file = tmp_path / "participation.yaml"
    file.write_text(SCENARIO, encoding="utf-8")
    return str(file)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_why_a_suspended_party_cannot_ratify(path: str) -> None:
    result = invoke("why", "north ratifies accord", "--at", "2026-02-02", "-s", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("BLOCKED")
    assert "north is suspended from accord since 2026-02-01: it cannot ratify accord" in _flat(
        result.stdout)
    before = invoke("why", "north ratifies accord", "--at", "2026-01-20", "-s", path)
    assert before.stdout.startswith("ALLOWED"), before.output


def test_why_an_excluded_party_cannot_propose(path: str) -> None:
    result = invoke("why", "west proposes protocol", "--at", "2026-02-02", "-s", path)
    assert result.stdout.startswith("BLOCKED"), result.output
    assert "west is excluded from talks since 2026-02-01: it cannot propose" in _flat(
        result.stdout)


def test_why_a_withdrawn_party_cannot_ratify_once_its_withdrawal_is_effective(path: str) -> None:
    result = invoke("why", "west ratifies accord", "--at", "2026-03-11", "-s", path)
    assert result.stdout.startswith("BLOCKED"), result.output
    assert "west has withdrawn from accord since 2026-03-11: it cannot ratify accord" in _flat(
        result.stdout)


def test_run_json_shows_the_standings_and_the_clock_entry(path: str) -> None:
    result = invoke("run", "-s", path, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    parties = data["final"]["documents"]["accord"]["parties"]
    assert parties["west"] == {"status": "withdrawn", "since": "2026-03-11", "effective": None}
    assert parties["north"]["status"] == "suspended"
    assert data["final"]["excluded"] == {"west": {"since": "2026-02-01", "until": None}}
    clock = [e for e in data["entries"] if e["kind"] == "participation"]
    assert [e["date"] for e in clock] == ["2026-03-11"]


def test_why_reads_participation_moves(path: str) -> None:
    again = invoke("why", "west withdraws from accord effective after 30 days", "--at",
                   "2026-01-20", "-s", path)
    assert again.stdout.startswith("BLOCKED"), again.output
    assert "west has already given notice of withdrawal from accord" in _flat(again.stdout)
    readmit = invoke("why", "east readmits north to accord", "--at", "2026-02-02", "-s", path)
    assert readmit.stdout.startswith("ALLOWED"), readmit.output
    wrong = invoke("why", "east suspends nobody from accord", "--at", "2026-02-02", "-s", path)
    assert wrong.exit_code == 2
    assert "unknown party 'nobody'" in wrong.stderr
