"""``play --as PARTY --bargain``: the student bargains against the other side's declared
strategy inside the run; the menu in plain words with the student's utility, in a
stable order, a page at a time; the end compares with the strategies and the record."""

from __future__ import annotations

from negotiation.behaviour.strategies import Move, MoveKind
from negotiation.teach.bargaining import PAGE, Menu, comparison, play_bargain
from tests.cli.test_cli import assert_user_error, flat
from tests.conftest import engine_of, invoke

STRATEGIES = "labour-contract-2026-strategies"
ARGS = ("play", "-s", STRATEGIES, "--as", "union", "--bargain", "-d", "pay_deal",
        "--days-per-round", "30")  # fmt: skip


def test_the_other_side_answers_by_its_strategy_and_the_menu_is_stable() -> None:
    menus: list[Menu] = []

    def ask(menu: Menu) -> Move | None:
        menus.append(menu)
        if len(menus) == 1:
            return menu.offers[0].move  # open at the best for us
        return menu.responses[0].move  # then accept whatever is on the table

    played = play_bargain(engine_of(STRATEGIES), "union", ask, "pay_deal", days_per_round=30)
    first, second = menus
    assert [c.words for c in first.responses] == ["walk away (no agreement)"]
    utilities = [c.utility for c in first.offers]
    assert utilities == sorted(utilities, reverse=True)  # best for the student first
    assert first.offers[0].words == "offer rise 6 %" and first.offers[0].utility == 1.0
    assert len(first.page(0)) == PAGE and len(first.text().splitlines()) <= 24
    assert second.table is not None and second.table.startswith("employer: rise")
    assert second.responses[0].move.kind is MoveKind.accept
    assert second.responses[0].words == "accept employer's offer"
    o = played.run.transcript.outcome
    assert o.agreed and not played.stopped
    assert played.run.trace.final.documents["pay_deal"].points["rise"] == "agreed"
    said = comparison(played)
    assert "You (union): agreed rise" in said
    assert "The declared strategies, on the same rounds: no agreement" in said
    assert "The recorded timeline: no agreed values on pay_deal" in said


def test_play_bargain_on_the_command_line() -> None:
    result = invoke(*ARGS, input="2\nmore\nx\n1\n")
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "2026-01-01: your turn (union); your BATNA 0.250" in text
    assert "2. offer rise 6 % your utility 1.000" in text
    assert "13 more offer(s): 'more' for the next page" in text
    assert "offer (page 2 of 3, best for you first)" in text
    assert "answer with a number from the list" in text  # 'x' is no answer
    assert "you: accept employer's offer" in text
    assert "You (union): agreed rise 3 % on 2026-03-02, your utility 0.500" in text


def test_quitting_and_the_end_of_input_stop_without_a_comparison() -> None:
    for answers in ("quit\n", ""):
        result = invoke(*ARGS, input=answers)
        assert result.exit_code == 0, result.output
        assert "stopped before the end: no comparison" in result.stdout


def test_wrong_input_is_a_usage_error() -> None:
    assert_user_error(invoke("play", "-s", STRATEGIES, "--as", "conciliation_service",
                             "--bargain", "-d", "pay_deal"),
                      "'conciliation_service' has no declared strategy on 'pay_deal'")  # fmt: skip
    assert_user_error(invoke("play", "-s", STRATEGIES, "--as", "union", "--bargain"),
                      "name a document")  # fmt: skip
    result = invoke("play", "-s", STRATEGIES, "--as", "union", "-d", "pay_deal")
    assert result.exit_code == 2 and "need --bargain" in flat(result.output)
