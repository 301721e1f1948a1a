"""Output a machine or a user copies never wraps: the CLI tests again, from a directory
more than 150 characters deep and with a 40-column terminal in the environment."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli import test_cli
from tests.conftest import invoke

FIXTURES = ("MINI", "FAILING", "INVALID", "MALFORMED")

TESTS: list[Callable[[], None]] = [
    test_cli.test_run_text_timeline,
    test_cli.test_run_branch_and_until,
    test_cli.test_run_markdown,
    test_cli.test_run_exits_1_when_an_expectation_fails,
    test_cli.test_unreadable_and_malformed_scenarios_are_user_errors,
    test_cli.test_show_state_at_a_date,
    test_cli.test_why_blocked_lists_every_reason,
    test_cli.test_why_bad_move,
    test_cli.test_diff_text,
    test_cli.test_validate_ok,
    test_cli.test_validate_reports_every_located_problem,
]


@pytest.fixture
def deep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI fixtures copied under a directory path of more than 150 characters, the
    test module pointed at the copies, and COLUMNS=40."""
    folder = tmp_path.joinpath(*[f"a-rather-long-folder-name-{i:02d}" for i in range(6)])
    folder.mkdir(parents=True)
    assert len(str(folder)) > 150
    for name in FIXTURES:
        original = Path(getattr(test_cli, name))
        copy = folder / original.name
        shutil.copy2(original, copy)
        monkeypatch.setattr(test_cli, name, str(copy))
    monkeypatch.setattr(test_cli, "HERE", folder)
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("LINES", "10")
    return folder


@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.__name__)
def test_cli_from_a_deep_path(test: Callable[[], None], deep: Path) -> None:
    test()


def test_located_lines_are_whole(deep: Path) -> None:
    """Every ``INVALID path`` header and every ``file:line:column`` problem is one line."""
    invalid = test_cli.INVALID
    result = invoke("validate", test_cli.MINI, invalid)
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert f"OK  {test_cli.MINI}" in lines
    assert f"INVALID  {invalid} (3 problems)" in lines
    problems = [line for line in lines if line.startswith(f"  {invalid}:")]
    assert len(problems) == 3
    assert all(line.split(":")[1].isdigit() for line in problems)  # file:line:column
    error = invoke("run", "-s", str(deep / "missing.yaml"))
    assert error.stderr.splitlines()[0] == (
        f"error: {deep / 'missing.yaml'}: no such scenario file: {deep / 'missing.yaml'}"
    )
