"""``negotiation simulate``: the transcript as text and JSON on the bundled teaching
scenario, a seed that fixes it, and clean errors for what the scenario lacks."""

from __future__ import annotations

import json
from typing import Any

from tests.cli.test_cli import assert_user_error, flat
from tests.conftest import invoke

STRATEGIES = "labour-contract-2026-strategies"


def doc(*args: str) -> dict[str, Any]:
    result = invoke("simulate", "-s", STRATEGIES, "-f", "json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_the_pay_deal_is_agreed_late_by_a_boulware_union() -> None:
    data = doc("--document", "pay_deal", "--days-per-round", "7")
    turns, outcome = data["turns"], data["outcome"]
    assert [s["kind"] for s in data["strategies"]] == ["boulware", "conceder"]
    assert outcome["agreed"] and outcome["ended_by"] == "accept"
    assert outcome["time"] > 0.9  # late: in the last tenth of the time to 31 March
    assert [t["day"] for t in turns[:3]] == ["2026-01-01", "2026-01-08", "2026-01-15"]
    assert [t["party"] for t in turns[:3]] == ["union", "employer", "union"]
    assert turns[0]["package"] == {"rise": 6.0}  # the union opens at its best
    last_offer = turns[-2]
    assert turns[-1]["move"] == "accept" and turns[-1]["party"] != last_offer["party"]
    assert outcome["package"] == last_offer["package"] == turns[-1]["package"]
    assert outcome["utilities"] == turns[-1]["utilities"]
    union, employer = outcome["utilities"]["union"], outcome["utilities"]["employer"]
    assert union > employer  # Boulware against a conceder gets more


def test_who_opens_and_the_start_day_are_options() -> None:
    data = doc("-d", "pay_deal", "--first", "employer", "--start", "2026-03-01")
    assert data["turns"][0]["party"] == "employer"
    assert data["turns"][0]["day"] == "2026-03-01"
    assert data["start"] == "2026-03-01"
    assert data["outcome"]["day"] <= "2026-03-31"


def test_the_same_seed_gives_the_same_transcript() -> None:
    args = ("simulate", "-s", STRATEGIES, "-d", "pay_deal", "--seed", "3", "-f", "json")
    assert invoke(*args).stdout == invoke(*args).stdout


def test_the_text_transcript() -> None:
    result = invoke("simulate", "-s", STRATEGIES, "-d", "pay_deal", "--days-per-round", "7")
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "one round every 7 days, seed 0" in text
    assert "union: boulware, e 0.2; time runs to old_contract_sunset" in text
    assert "Strategies and interests are assumptions, not facts" in text
    assert "0 2026-01-01 union offers rise 6 % 1.000 0.000" in text
    assert "Agreed on 2026-03-26" in text


def test_the_new_contract_shows_blind_concession_missing_a_narrow_zopa() -> None:
    """On five points the packages each side offers ignore what the other values."""
    data = doc("-d", "new_contract", "--days-per-round", "7")
    assert data["outcome"]["ended_by"] == "deadline"
    assert data["outcome"]["utilities"] == {"union": 0.55, "employer": 0.4}  # the BATNAs
    assert data["outcome"]["day"] == "2026-03-31"


def test_what_the_scenario_lacks_is_a_clean_error() -> None:
    assert_user_error(invoke("simulate", "-s", STRATEGIES), "name a document")
    assert_user_error(
        invoke("simulate", "-s", STRATEGIES, "-d", "pay_dea"), "did you mean 'pay_deal'?"
    )
    assert_user_error(
        invoke("simulate", "-s", STRATEGIES, "-d", "pay_deal", "--first", "emplyer"),
        "no strategy of 'emplyer' on 'pay_deal'; did you mean 'employer'?",
    )
    assert_user_error(
        invoke("simulate", "-s", "labour-contract-2026-interests"), "declares no strategies"
    )
    assert_user_error(
        invoke("simulate", "-s", STRATEGIES, "-d", "pay_deal", "--days-per-round", "0"),
        "--days-per-round",
    )


def test_the_trace_shows_the_moves_as_events_in_the_engine_run() -> None:
    data = doc("-d", "pay_deal", "--days-per-round", "7", "--trace")
    assert data["scenario"] == STRATEGIES and data["document"] == "pay_deal"
    assert data["seed"] == 0 and data["ok"]
    moves = [e for e in data["entries"] if e["ref"] and e["ref"].startswith("bargain_pay_deal")]
    assert moves[0]["event_kind"] == "offer" and moves[0]["by"] == ["union"]
    assert moves[-1]["event_kind"] == "accept_offer" and moves[-1]["kind"] == "event"
    rise = data["final"]["documents"]["pay_deal"]
    assert rise["points"] == {"rise": "agreed"}
    transcript = doc("-d", "pay_deal", "--days-per-round", "7")
    assert rise["values"] == {"rise": f"{transcript['outcome']['package']['rise']:g}"}
    assert "offer" not in rise  # the table is cleared
    assert any(e["event_kind"] == "sign" for e in data["entries"])  # the timeline runs too


def test_the_trace_as_text_and_the_same_seed_gives_the_same_trace() -> None:
    args = ("simulate", "-s", STRATEGIES, "-d", "pay_deal", "--trace", "--seed", "3")
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "union: offer on pay_deal: rise 6" in text
    assert "point pay_deal.rise: open -> agreed" in text
    assert "simulated with seed 3" in text
    assert invoke(*args, "-f", "json").stdout == invoke(*args, "-f", "json").stdout
