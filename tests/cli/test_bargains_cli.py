"""``sample --strategies``, ``sample --grid`` and ``explore --strategies`` on the bundled
teaching scenario, and clean errors (exit 2) for wrong input."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import assert_user_error, flat
from tests.conftest import invoke

S = ("-s", "labour-contract-2026-strategies", "-d", "pay_deal", "--days-per-round", "7")


def test_sample_with_strategies_shows_the_deadline_effect() -> None:
    result = invoke("sample", *S, "--strategies", "-n", "5")
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "5 strategy-driven runs on pay_deal, seed 0" in text
    assert "union: boulware e 0.2; employer: conceder e 3" in text
    assert "Agreement 100.0%" in text
    assert "agreed: rise 4.25 %" in text
    assert "the deadline effect" in text and "-5 days" in text
    assert "union 0.708 [0.708 - 0.708]" in text
    assert "Assumptions behind these numbers" in text


def test_sample_with_strategies_as_json_is_the_same_for_a_seed() -> None:
    args = ("sample", *S, "--grid", "employer=random", "-n", "6", "--seed", "2", "-f", "json")
    one, two = invoke(*args), invoke(*args)
    assert one.exit_code == 0, one.output
    a, b = json.loads(one.stdout), json.loads(two.stdout)
    a.pop("elapsed"), b.pop("elapsed")
    assert a == b
    assert a["matches"][0]["strategies"] == {"union": "boulware e 0.2", "employer": "random"}


def test_a_grid_prints_a_tournament_table() -> None:
    result = invoke("sample", *S, "--grid", "union=boulware,hardliner",
                    "--grid", "employer=conceder:3", "-n", "2")  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "Tournament on labour-contract-2026-strategies, pay_deal: 2 pair(s)" in lines[0]
    rows = [line.split() for line in lines if line.startswith(("  boulware", "  hardliner"))]
    assert rows[0][:5] == ["boulware", "e", "0.25", "conceder", "e"]
    assert rows[0][6] == "100.0%" and rows[1][4] == "0.0%"


def test_explore_with_strategies_lists_the_outcomes() -> None:
    result = invoke("explore", *S, "--strategies")
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "1 path(s); complete" in text
    assert "1 agreed: rise 4.25 %, -5 days to the due date" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--grid", "union"), "expected PARTY=STRATEGY,STRATEGY"),
        (("--grid", "unoin=boulware"), "'unoin' has no declared strategy"),
        (("--grid", "union=bulware"), "unknown strategy 'bulware'"),
        (("--grid", "union=boulware:2"), "'e' must be below 1"),
        (("--grid", "union=responses:0.7"), "responses takes accept:target"),
        (("--grid", "union=hardliner:1"), "hardliner takes no parameter"),
        (("--grid", "union=linear", "--grid", "union=boulware"), "'union' is given twice"),
    ],
)
def test_wrong_grids_are_usage_errors(args: tuple[str, ...], message: str) -> None:
    result = invoke("sample", *S, *args, "-n", "1")
    assert result.exit_code == 2
    assert message in flat(result.output)
    assert "Traceback" not in result.output


def test_strategy_options_without_strategies_and_unknown_names() -> None:
    result = invoke("sample", "-d", "pay_deal", "-n", "1")
    assert result.exit_code == 2 and "--document need(s) --strategies" in flat(result.output)
    assert_user_error(invoke("sample", "-s", "labour-contract-2026-strategies", "--strategies",
                             "-d", "nope", "-n", "1"), "unknown document 'nope'")
    assert_user_error(invoke("explore", "--strategies"), "declares no strategies")
