"""`run` with an unknown fact: the blocked move says "unknown" in text and Markdown; the
JSON final state lists the unknown facts (and leaves the key out when there are none)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import invoke

UNKNOWN = """\
version: 1
id: unknown
title: A guard over an unknown fact
start: 2026-01-01
horizon: 2026-01-31
parties:
  - {id: north, name: North}
facts:
  - {id: quiet, initially: unknown}
documents:
  - id: truce
    title: Truce
    initial_state: agreed_in_principle
    depends_on: [{condition: fact quiet, reason: a quiet front}]
timeline:
  - {kind: sign, date: 2026-01-10, by: north, document: truce}
expect:
  - {at: 2026-01-10, that: fact quiet is unknown}
  - {at: 2026-01-10, that: not fact quiet}
"""


def _run(tmp_path: Path, fmt: str) -> tuple[int, str]:
    path = tmp_path / "unknown.yaml"
    path.write_text(UNKNOWN, encoding="utf-8")
    result = invoke("run", "-s", str(path), "-f", fmt)
    return result.exit_code, result.stdout


def test_text_says_unknown(tmp_path: Path) -> None:
    code, out = _run(tmp_path, "text")
    assert code == 1
    assert "BLOCKED" in out
    assert "truce depends on: a quiet front (fact quiet: unknown, fact quiet is unknown)" in \
        " ".join(out.split())
    assert "expected not (fact quiet), but it is unknown" in " ".join(out.split())
    assert "1 of 2 expectations failed" in out


def test_markdown_says_unknown(tmp_path: Path) -> None:
    code, out = _run(tmp_path, "markdown")
    assert code == 1
    assert "fact quiet: unknown, fact quiet is unknown" in out


def test_json_lists_the_unknown_facts(tmp_path: Path) -> None:
    code, out = _run(tmp_path, "json")
    assert code == 1
    final = json.loads(out)["final"]
    assert final["unknown_facts"] == ["quiet"]
    assert final["facts"] == {}
    assert final["documents"]["truce"]["state"] == "agreed_in_principle"
