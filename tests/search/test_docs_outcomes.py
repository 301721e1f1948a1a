"""The outcome tables shown in docs/exploring.md are what the commands print."""

from __future__ import annotations

import re

from tests.conftest import ROOT, invoke

DOC = (ROOT / "docs" / "exploring.md").read_text(encoding="utf-8")
SECTION = DOC.split("## The seed case", 1)[1].split("\n## ", 1)[0]


def _shown() -> list[str]:
    return re.findall(r"```text\n(.*?)```", SECTION, flags=re.S)


def _lines(block: str) -> list[str]:
    return [line.rstrip() for line in block.strip().splitlines() if line.strip()]


def test_explore_table_is_real() -> None:
    result = invoke("explore", "-s", "ukraine-2025-12-decisions")
    assert result.exit_code == 0, result.output
    out = [line.rstrip() for line in result.output.splitlines()]
    for line in _lines(_shown()[0]):
        assert line in out, line


def test_sample_table_is_real() -> None:
    result = invoke("sample", "-s", "ukraine-2025-12-decisions", "--runs", "2000", "--seed", "7")
    assert result.exit_code == 0, result.output
    out = [line.rstrip() for line in result.output.splitlines()]
    for line in _lines(_shown()[1]):
        assert line in out, line
