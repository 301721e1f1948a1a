"""`run` lists every broken invariant in text and Markdown as JSON does (exit 1)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import invoke

BROKEN = """\
version: 1
id: broken
title: An invariant the timeline breaks
start: 2025-11-01
horizon: 2025-11-10
parties:
  - {id: a, name: A}
documents:
  - {id: plan, title: Plan}
facts:
  - {id: talks_open}
timeline:
  - {kind: propose, date: 2025-11-02, by: [a], document: plan}
  - {kind: set_fact, date: 2025-11-03, by: [a], fact: talks_open}
invariants:
  - id: nothing_proposed
    never: plan is proposed
  - id: no_talks
    never: fact talks_open
  - id: holds
    never: plan is signed
"""


def _run(tmp_path: Path, fmt: str) -> tuple[int, str]:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    result = invoke("run", "-s", str(path), "-f", fmt)
    return result.exit_code, result.stdout


def test_text_lists_each_broken_invariant_with_its_date(tmp_path: Path) -> None:
    code, out = _run(tmp_path, "text")
    assert code == 1
    section = out.split("Invariants\n", 1)[1]
    assert "BROKEN nothing_proposed on 2025-11-02" in section
    assert "BROKEN no_talks on 2025-11-03" in section
    assert "holds" not in section
    assert "2 of 3 invariants broken" in section


def test_markdown_lists_each_broken_invariant(tmp_path: Path) -> None:
    code, out = _run(tmp_path, "markdown")
    assert code == 1
    section = out.split("## Invariants", 1)[1]
    assert "**BROKEN** nothing_proposed on 2025-11-02" in section
    assert "**BROKEN** no_talks on 2025-11-03" in section


def test_text_and_json_name_the_same_violations(tmp_path: Path) -> None:
    _, text = _run(tmp_path, "text")
    _, data = _run(tmp_path, "json")
    named = [v["invariant"] for v in json.loads(data)["violations"]]
    assert named == ["nothing_proposed", "no_talks"]
    assert all(f"BROKEN {n} on" in text for n in named)


def test_a_run_that_keeps_its_invariants_says_so() -> None:
    result = invoke("run")
    assert result.exit_code == 0
    assert "all 3 invariants held" in result.stdout.split("Invariants\n", 1)[1]
