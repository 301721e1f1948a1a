"""Imprecise dates on display: ``show --at``, ``diff`` and the report mark what may not yet
have happened by the day asked (an event dated by a range or a month is ordered at its
first day), and keep the ``~``/range/month markers of every date (tests/cli/ranges.yaml:
``east_accepts`` is dated 2025-12-02..2025-12-09)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import flat
from tests.conftest import ROOT, invoke

RANGES = str(ROOT / "tests" / "cli" / "ranges.yaml")
RANGED = (
    "east_accepts, dated 2025-12-02..2025-12-09: ordered at 2025-12-02, possibly as late "
    "as 2025-12-09"
)


def _show(day: str, *more: str) -> str:
    result = invoke("show", "-s", RANGES, "--at", day, *more)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(
    ("day", "listed"),
    [
        ("2025-12-01", False),  # the day before the range: not counted yet
        ("2025-12-02", True),  # its first day: counted, not certain
        ("2025-12-08", True),  # the day before its last
        ("2025-12-09", False),  # its last day: certain by the close
        ("2025-12-10", False),
    ],
)
def test_show_at_marks_an_event_whose_range_runs_past_the_day(day: str, listed: bool) -> None:
    out = flat(_show(day))
    assert (f"May not yet have happened by the close of {day}" in out) is listed
    assert (RANGED in out) is listed


def test_an_event_skipped_by_its_if_is_not_listed() -> None:
    """west_withdraws (2025-12-03..2025-12-20) is skipped: the state does not count it."""
    out = flat(_show("2025-12-05"))
    assert RANGED in out
    assert "west_withdraws" not in out


def test_show_at_marks_a_month_dated_event_through_the_month() -> None:
    assert "draft_tabled, dated 2025-11 (month)" in flat(_show("2025-11-29"))
    assert "draft_tabled" not in flat(_show("2025-11-30"))


def test_show_json_is_unchanged_by_the_marks() -> None:
    doc = json.loads(_show("2025-12-05", "--format", "json"))
    assert set(doc) == {"scenario", "branch", "at", "state"}


def test_diff_keeps_every_date_marker_and_marks_the_days_inside_a_range() -> None:
    result = invoke("diff", "-s", RANGES, "base", "east_holds_out")
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert "EVENT 2025-11 (month): West tables" in out
    assert "EVENT 2025-12-02..2025-12-09: East accepts" in out
    assert "EVENT ~2025-12-15 (inferred): West accepts" in out
    assert f"~ may not yet have happened (base): {RANGED}" in out
    assert "(base, east_holds_out): draft_tabled, dated 2025-11 (month)" in out
    # on 2025-12-15 the range has closed: nothing is marked that day
    states = out.split("State differences", 1)[1]
    assert "may not yet have happened" not in states.split("2025-12-15 base", 1)[1]


@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_the_report_marks_what_may_not_yet_have_happened(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"r{suffix}"
    result = invoke("report", "-s", RANGES, "-o", str(target), "--until", "2025-12-05")
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert "May not yet have happened by the close of 2025-12-05" in page
    assert RANGED in page
    assert "2025-12-02..2025-12-09 *" in page.replace("\\*", "*")  # its trace row
    assert "2025-11 (month) *" not in page.replace("\\*", "*")  # November is over
    later = tmp_path / f"later{suffix}"
    result = invoke("report", "-s", RANGES, "-o", str(later), "--until", "2025-12-09")
    assert result.exit_code == 0, result.output
    page = later.read_text(encoding="utf-8")
    assert "May not yet have happened" not in page
    assert "2025-12-02..2025-12-09" in page


def test_run_and_the_report_keep_an_expectation_s_written_day(tmp_path: Path) -> None:
    for fmt in ("text", "markdown"):
        result = invoke("run", "-s", RANGES, "--format", fmt)
        assert result.exit_code == 0, result.output
        assert "~2025-12-15 (inferred)" in result.stdout.split("Expectations", 1)[1]
        assert "2025-12-02" in result.stdout.split("Expectations", 1)[1]  # a stated day
    target = tmp_path / "r.html"
    assert invoke("report", "-s", RANGES, "-o", str(target)).exit_code == 0
    expectations = target.read_text(encoding="utf-8").split('id="expectations"', 1)[1]
    assert "met ~2025-12-15 (inferred): <code>west accepts accord</code>" in expectations
