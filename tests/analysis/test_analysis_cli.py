"""``negotiation zopa`` and ``negotiation solve``: text, JSON and bad input (exit 2, one
message, no traceback)."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import Result

from tests.conftest import ROOT, SPLIT, invoke

WHAT_IF = "labour-contract-2026-interests"


def _id(value: object) -> str:
    """A test id that does not name the checkout's path."""
    return str(value).replace(str(ROOT), "<root>")[:40]


def ok(*args: str) -> str:
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def flat(text: str) -> str:
    """One line, without the frame rich draws around a usage error (which wraps)."""
    return " ".join(re.sub("[│╭╮╰╯─]", " ", text).split())


def assert_user_error(result: Result, fragment: str) -> None:
    """Exit 2, the message on stderr, and no traceback anywhere."""
    assert result.exit_code == 2, result.output
    assert fragment in flat(result.stderr)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_zopa_on_a_day_as_text() -> None:
    text = flat(ok("zopa", "-s", WHAT_IF, "--at", "2026-02-16", "-n", "3"))
    assert "zone of possible agreement on new_contract at the close of 2026-02-16" in text
    assert "exact: all 5,616 packages" in text
    assert "employer 0.400 fact strike_notice_served discount 0.998 a day 46" in text
    assert "Interests are assumptions, not facts:" in text
    assert "184 of 5,616 packages give every party at least its BATNA" in text
    assert ("wages 6 %, hours 37.5 h, overtime double time, pensions 3 %, training 4 days"
            in text)  # fmt: skip
    assert "ZOPA packages, by the Nash criterion (3 of 184)" in text
    assert "Pareto frontier, by union's utility (3 of 108)" in text


def test_zopa_on_a_day_as_json() -> None:
    doc = json.loads(ok("zopa", "-s", WHAT_IF, "--at", "2026-02-16", "-f", "json", "-n", "0"))
    assert (doc["document"], doc["at"], doc["branch"], doc["exact"]) == (
        "new_contract", "2026-02-16", "base", True,
    )  # fmt: skip
    assert doc["points"] == ["wages", "hours", "overtime", "pensions", "training"]
    assert doc["zopa_size"] == len(doc["zopa"]) == 184
    assert doc["frontier_size"] == len(doc["frontier"]) == 108
    assert doc["nash"] == doc["zopa"][0]
    assert doc["nash"]["package"] == {"wages": 6.0, "hours": 37.5, "overtime": "double time",
                                      "pensions": 3.0, "training": 4.0}  # fmt: skip
    employer = doc["parties"][1]
    assert (employer["batna"], employer["batna_set_by"]) == (0.4, "fact strike_notice_served")
    assert employer["assumption"].startswith("Invented for teaching")
    again = ok("zopa", "-s", WHAT_IF, "--at", "2026-02-16", "-f", "json", "-n", "0")
    assert json.loads(again) == doc


def test_zopa_defaults_to_the_end_of_the_run() -> None:
    doc = json.loads(ok("zopa", "-s", WHAT_IF, "-f", "json"))
    assert doc["at"] == "2026-04-30"
    assert doc["zopa_size"] == 0 and doc["nash"] is None and doc["zopa"] == []
    assert "empty: no package gives every party at least its BATNA" in ok("zopa", "-s", WHAT_IF)


def test_zopa_over_a_range_names_the_ripe_day() -> None:
    text = ok("zopa", "-s", WHAT_IF, "--over", "2026-01-01..2026-04-30")
    assert "On 2026-01-01 the ZOPA is empty." in text
    assert "Ripe: the ZOPA opens on 2026-02-16." in text
    assert "It closes on 2026-04-08." in text
    rows = [line for line in text.splitlines() if line.startswith("2026-")]
    assert rows[0].split()[:2] == ["2026-01-01..2026-02-15", "empty"]
    assert rows[1].split()[:4] == ["2026-02-16..2026-03-11", "184", "->", "41"]


def test_zopa_over_as_json_and_on_a_branch() -> None:
    doc = json.loads(ok("zopa", "-s", WHAT_IF, "--over", "2026-02-10..2026-03-10",
                        "--branch", "no_wage_move", "-f", "json"))  # fmt: skip
    assert (doc["ripe"], doc["opens"], doc["closes"]) == ("2026-02-16", ["2026-02-16"], [])
    assert len(doc["days"]) == 29 and doc["branch"] == "no_wage_move"
    by_day = {d["date"]: d for d in doc["days"]}
    assert by_day["2026-03-02"]["batnas"] == [0.4, 0.3]
    assert by_day["2026-03-02"]["zopa_size"] > 10 * by_day["2026-03-01"]["zopa_size"]


BAD_ZOPA = [
    (["zopa"], "scenario 'ukraine-2025-12' declares no interests"),
    (["zopa", "-s", WHAT_IF, "--at", "2025-12-31"], "is before the scenario starts"),
    (["zopa", "-s", WHAT_IF, "--at", "2026-05-01"], "is after the scenario's horizon"),
    (["zopa", "-s", WHAT_IF, "--at", "2026-02-30"], "is not a real calendar date"),
    (["zopa", "-s", WHAT_IF, "--document", "old_contract"],
     "no interest values document 'old_contract'"),
    (["zopa", "-s", WHAT_IF, "--document", "contract"], "unknown document 'contract'"),
    (["zopa", "-s", WHAT_IF, "--over", "2026-01-01"], "expected START..END"),
    (["zopa", "-s", WHAT_IF, "--over", "2026-02-01..2026-01-01"], "is before 2026-02-01"),
    (["zopa", "-s", WHAT_IF, "--over", "2026-01-01..2026-13-01"], "not a real calendar date"),
    (["zopa", "-s", WHAT_IF, "--over", "2025-12-01..2026-01-01"], "before the scenario starts"),
    (["zopa", "-s", WHAT_IF, "--at", "2026-02-01", "--over", "2026-01-01..2026-01-02"],
     "give --at or --over, not both"),
    (["zopa", "-s", WHAT_IF, "--branch", "nope"], "unknown branch 'nope'"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "fragment"), BAD_ZOPA, ids=_id)
def test_zopa_bad_input_exits_2_with_one_message(args: list[str], fragment: str) -> None:
    assert_user_error(invoke(*args), fragment)


def test_solve_prints_the_first_movers_share() -> None:
    text = flat(ok("solve", "--delta1", "0.9", "--delta2", "0.8"))
    assert "400 rounds, offers on a grid of 10,000 steps, player 1 moves first" in text
    assert "First-mover share 0.7140; agreement in round 1." in text
    assert "(1 - d2) / (1 - d1 d2): 0.7143" in text


def test_solve_as_json_with_player_two_first() -> None:
    doc = json.loads(ok("solve", "--delta1", "0.9", "--delta2", "0.8", "--first", "2",
                        "--rounds", "50", "--grid", "1000", "-f", "json"))  # fmt: skip
    assert (doc["first"], doc["rounds"], doc["grid"], doc["agreement_round"]) == (
        "player 2", 50, 1000, 1,
    )  # fmt: skip
    assert doc["first_share"] == doc["players"][1]["share"]
    assert doc["rubinstein_share"] == pytest.approx((1 - 0.9) / (1 - 0.72))
    assert abs(doc["first_share"] - doc["rubinstein_share"]) < 0.01


def test_solve_reads_the_discount_factors_of_a_scenario(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = flat(ok("solve", "-s", SPLIT))
    assert "first 0.9" in text and "second 0.8" in text
    assert "first moves first" in text
    monkeypatch.setenv("NEGOTIATION_SCENARIO", SPLIT)
    assert flat(ok("solve")) == text  # the environment names the scenario
    given = flat(ok("solve", "--delta1", "0.5", "--delta2", "0.5"))  # the factors win
    assert "player 1 0.5" in given


BAD_SOLVE = [
    (["solve"], "give both --delta1 and --delta2"),
    (["solve", "--delta1", "1.5", "--delta2", "0.5"], "delta1 must be a discount factor"),
    (["solve", "-s", WHAT_IF], "has no daily discount factor"),
    (["solve", "-s", SPLIT, "--delta1", "0.5", "--delta2", "0.5"], "not both"),
    (["solve", "--delta1", "0.5", "--delta2", "0.5", "--document", "pie"], "give -s instead"),
    (["solve", "--delta1", "0.5"], "give both --delta1 and --delta2"),
    (["solve", "--delta1", "0.5", "--delta2", "0.5", "--rounds", "0"], "--rounds"),
]


@pytest.mark.parametrize(("args", "fragment"), BAD_SOLVE, ids=_id)
def test_solve_bad_input_exits_2_with_one_message(args: list[str], fragment: str) -> None:
    assert_user_error(invoke(*args), fragment)
