"""The README stays true: its set-up commands, its example and its output."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT, invoke

README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", README, flags=re.S)


def test_first_screen_has_the_two_setup_commands() -> None:
    first_screen = "\n".join(README.splitlines()[:45])
    run, test = blocks("sh")[:2]
    assert run in first_screen and test in first_screen
    assert "pip install ." in run and run.strip().endswith("negotiation run")
    assert "pip install -e '.[dev]'" in test and "python -m pytest -q" in test


def test_ci_uses_the_readme_commands() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install --quiet -e '.[dev]'" in ci
    assert "python -m pytest -q" in ci
    assert "ruff check ." in ci and "mypy negotiation" in ci


def test_five_line_example_runs() -> None:
    (code,) = blocks("python")
    assert len(code.strip().splitlines()) == 5
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.stdout.split() == ["2025-12-25", "True"]


def test_output_shown_is_real() -> None:
    (shown,) = blocks("text")
    result = invoke("run")
    assert result.exit_code == 0, result.output
    for line in shown.strip().splitlines():
        assert line.rstrip() in result.output, line
