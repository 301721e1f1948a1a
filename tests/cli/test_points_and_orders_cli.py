"""CLI examples: points over time in ``show --at`` and ``diff``; ``explore --date-orders``
(tests/cli/ranges.yaml: east_accepts 2025-12-02..2025-12-09, west_withdraws
2025-12-03..2025-12-20, west_accepts ~2025-12-15)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli.test_cli import assert_user_error, flat
from tests.conftest import ROOT, invoke

RANGES = str(ROOT / "tests" / "cli" / "ranges.yaml")
GUIDE = (ROOT / "docs" / "writing-scenarios.md").read_text(encoding="utf-8")


def _guide_example(tmp_path: Path) -> str:
    found = re.search(r"```yaml\n([^`]*?id: points_over_time_example.*?)```", GUIDE, re.S)
    assert found
    path = tmp_path / "points.yaml"
    path.write_text(found.group(1), encoding="utf-8")
    return str(path)


def test_show_at_lists_only_points_published_by_then(tmp_path: Path) -> None:
    path = _guide_example(tmp_path)
    before = invoke("show", "-s", path, "--at", "2026-01-11")
    assert before.exit_code == 0, before.output
    assert "ceasefire open (1 of 20 points known)" in flat(before.stdout)
    assert "sanctions" not in before.stdout
    on = flat(invoke("show", "-s", path, "--at", "2026-01-12").stdout)
    assert "(3 of 20 points known)" in on
    assert "plan.elections: Elections within 100 days" in on
    after = invoke("show", "-s", path, "--at", "2026-02-01", "-f", "json").stdout
    plan = json.loads(after)["state"]["documents"][0]
    assert "sanctions" not in plan["points"] and plan["points_known"] == 2


def test_show_json_carries_texts_and_counts(tmp_path: Path) -> None:
    result = invoke("show", "-s", _guide_example(tmp_path), "--at", "2026-01-20", "-f", "json")
    doc = json.loads(result.stdout)["state"]["documents"][0]
    assert doc["points"] == {"ceasefire": "open", "sanctions": "open", "elections": "agreed"}
    assert doc["texts"]["elections"] == "Elections within 120 days"
    assert (doc["points_known"], doc["points_total"]) == (3, 20)


def test_diff_keeps_date_marks_and_lists_what_may_not_have_happened() -> None:
    result = invoke("diff", "-s", RANGES, "base", "east_holds_out")
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert "2025-12-02..2025-12-09" in out
    assert "~2025-12-15 (inferred)" in out
    assert "may not yet have happened (base)" in out


def test_explore_date_orders_text() -> None:
    result = invoke("explore", "--date-orders", "-s", RANGES)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "3 ordering(s) run" in out
    assert "group 1: east_accepts, west_withdraws, west_accepts" in out
    assert ("expectation at 2025-12-02: east accepts accord: holds in 2 of 3 orderings; "
            "fails when west_withdraws comes before east_accepts") in out
    held = out.split("Hold in every ordering:", 1)[1]
    assert "expectation at 2025-12-15: west accepts accord" in held


def test_explore_date_orders_json_and_bound() -> None:
    result = invoke("explore", "--date-orders", "-s", RANGES, "--max-orderings", "2",
                    "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["orderings"], doc["bound"], doc["bound_hit"]) == (2, 2, True)
    text = invoke("explore", "--date-orders", "-s", RANGES, "--max-orderings", "2").stdout
    assert "bound hit: stopped at --max-orderings 2" in text


def test_explore_date_orders_of_a_branch() -> None:
    result = invoke("explore", "--date-orders", "-s", RANGES, "--branch", "east_holds_out")
    assert result.exit_code == 0, result.output
    assert "(east_holds_out)" in result.stdout and "2 ordering(s) run" in result.stdout
    assert "Nothing depends on the order." in result.stdout


def test_max_orderings_without_date_orders_is_a_usage_error() -> None:
    assert_user_error(invoke("explore", "-s", RANGES, "--max-orderings", "5"),
                      "--max-orderings goes with --date-orders")


def test_unknown_branch_for_date_orders_exits_2() -> None:
    result = invoke("explore", "--date-orders", "-s", RANGES, "--branch", "nope")
    assert result.exit_code == 2
    assert "nope" in result.stderr and "Traceback" not in result.output


def test_max_orderings_zero_exits_2() -> None:
    result = invoke("explore", "--date-orders", "-s", RANGES, "--max-orderings", "0")
    assert result.exit_code == 2
    assert "--max-orderings" in result.output and "Traceback" not in result.output
