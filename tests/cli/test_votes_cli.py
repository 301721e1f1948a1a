"""`run` on failed votes, thresholds and checks on what fired: text, Markdown and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import invoke

VOTES = """\
version: 1
id: votes
title: A failed vote and a count of firings
start: 2026-01-01
horizon: 2026-03-31
parties:
  - {id: north, name: North, bodies: [{id: voters, name: Voters}]}
facts:
  - {id: talks_reopened}
documents:
  - {id: accord, title: Accord, initial_state: signed, ratification_by: [north.voters]}
rules:
  - id: reopen
    when: ratification of accord by north.voters failed
    then: [{kind: set_fact, fact: talks_reopened}]
timeline:
  - {kind: ratify, date: 2026-03-01, by: north.voters, document: accord, result: failed,
     yes: 4900, no: 5100}
expect:
  - {at: 2026-03-01, that: rule reopen has fired once and fact talks_reopened}
  - {at: 2026-03-02, that: rule reopen has fired 2 times}
"""


def _run(tmp_path: Path, fmt: str) -> tuple[int, str]:
    path = tmp_path / "votes.yaml"
    path.write_text(VOTES, encoding="utf-8")
    result = invoke("run", "-s", str(path), "-f", fmt)
    return result.exit_code, result.stdout


def test_text_shows_the_failed_vote_its_counts_and_the_failed_count(tmp_path: Path) -> None:
    code, out = _run(tmp_path, "text")
    assert code == 1
    assert "document accord ratification failed: - -> north.voters" in out
    assert "vote: yes 4,900, no 5,100" in out
    assert "rule reopen has fired 2 times: no, rule reopen has fired once" in out
    assert "1 of 2 expectations failed" in out


def test_markdown_shows_the_same(tmp_path: Path) -> None:
    code, out = _run(tmp_path, "markdown")
    assert code == 1
    assert "document accord ratification failed" in out
    assert "- met 2026-03-01: `rule reopen has fired once and fact talks_reopened`" in out
    assert "  - why: rule reopen has fired 2 times: no, rule reopen has fired once" in out


def test_json_has_failed_by_in_the_final_state(tmp_path: Path) -> None:
    code, out = _run(tmp_path, "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["final"]["documents"]["accord"]["failed_by"] == ["north.voters"]
    assert [x["ok"] for x in doc["expectations"]] == [True, False]


def test_a_count_outside_expect_exits_2_with_its_location(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(VOTES + "invariants:\n  - {id: i, never: rule reopen has fired 2 times}\n",
                    encoding="utf-8")
    result = invoke("run", "-s", str(path))
    assert result.exit_code == 2
    assert "bad.yaml:23:20 (invariants.0.never)" in result.output
    assert "ask it in expect" in result.output
    assert "Traceback" not in result.output
