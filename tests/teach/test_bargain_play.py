"""``play --as PARTY``: where the scenario declares strategies for the party's table, the
student bargains against the other side's declared strategy inside the run (by default;
``--bargain`` is an alias, ``--script`` replays the record); the menu in plain words with
the student's utility, in a stable order, a page at a time; the end compares with the
strategies and the record; a bargaining saved with ``--save`` resumes as it was made."""

from __future__ import annotations

import json
from pathlib import Path

from negotiation import persist
from negotiation.behaviour.scenario import simulate
from negotiation.behaviour.strategies import Move, MoveKind
from negotiation.teach.bargaining import PAGE, Menu, comparison, play_bargain, tables
from tests.cli.test_cli import assert_user_error, flat
from tests.conftest import engine_of, invoke

STRATEGIES = "labour-contract-2026-strategies"
ARGS = ("play", "-s", STRATEGIES, "--as", "union", "-d", "pay_deal", "--days-per-round", "30")


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
    assert ("The declared strategies, on the same rounds: no agreement (the deadline, "
            "2026-03-31), your BATNA 0.250") in text  # fmt: skip
    assert "The recorded timeline: no agreed values on pay_deal (it ends drafted)" in text


def test_bargain_is_an_alias_of_the_default() -> None:
    answers = "2\n1\n"
    default = invoke(*ARGS, input=answers)
    alias = invoke(*ARGS, "--bargain", input=answers)
    assert default.exit_code == alias.exit_code == 0, default.output
    assert default.stdout == alias.stdout
    assert "bargaining on pay_deal as union" in default.stdout


def test_script_replays_the_record_where_strategies_are_declared() -> None:
    result = invoke("play", "-s", STRATEGIES, "--as", "union", "--script", input="quit\n")
    assert result.exit_code == 0, result.output
    assert "play> quit" in result.stdout and "bargain>" not in result.stdout
    assert tables(engine_of(STRATEGIES), "union") == ["new_contract", "pay_deal"]
    assert tables(engine_of(STRATEGIES), "conciliation_service") == []
    assert tables(engine_of("ukraine-2025-12"), "ukraine") == []  # no strategies: script


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
    assert_user_error(invoke("play", "-s", STRATEGIES, "--as", "union"),
                      "name a document: union can bargain on new_contract, pay_deal (-d ID), "
                      "or give --script to replay the record")  # fmt: skip
    assert_user_error(invoke(*ARGS, "--predict"), "add --script to replay the record instead")
    assert_user_error(invoke(*ARGS, "--until", "2026-02-01"), "are for the scripted play")
    assert_user_error(invoke(*ARGS, "--script"), "are for bargaining, not with --script")
    assert_user_error(invoke(*ARGS, "--script", "--bargain"), "give --script or --bargain")
    assert_user_error(invoke("play", "-s", "ukraine-2025-12", "--as", "ukraine", "-d", "x"),
                      "the scenario declares no strategies for ukraine")  # fmt: skip
    typo = invoke("play", "-s", STRATEGIES, "--as", "union", "-d", "pay_dea")
    assert_user_error(typo, "unknown document 'pay_dea'; did you mean 'pay_deal'?")
    assert "bargaining on" not in typo.stdout  # refused before anything is shown


def test_a_saved_bargaining_resumes_where_it_stopped(tmp_path: Path) -> None:
    """Saved after each answer (the mode, the table, the answers in the menu's words);
    resumed, the saved answers are replayed and the bargaining goes on to the same end as
    one played straight through."""
    path = tmp_path / "s.json"
    first = invoke(*ARGS, "--save", str(path), input="2\nquit\n")
    assert first.exit_code == 0, first.output
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["command"] == "play"
    assert saved["options"] == {"as": "union", "mode": "bargain", "document": "pay_deal",
                                "days_per_round": "30", "seed": "0"}  # fmt: skip
    assert saved["choices"] == [{"on": "2026-01-01", "move": "offer rise 6 %"}]
    resumed = invoke("resume", str(path), input="1\n")
    assert resumed.exit_code == 0, resumed.output
    assert "2026-01-01: you (saved): offer rise 6 %" in resumed.stdout
    straight = invoke(*ARGS, input="2\n1\n")
    end = "You (union): agreed rise 3 % on 2026-03-02, your utility 0.500"
    assert end in resumed.stdout and end in straight.stdout
    assert len(json.loads(path.read_text(encoding="utf-8"))["choices"]) == 2


def test_a_saved_bargaining_that_cannot_be_replayed_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    assert invoke(*ARGS, "--save", str(path), input="2\nquit\n").exit_code == 0
    session = persist.loads(path.read_bytes(), str(path))
    edited = session.model_copy(update={"choices": (
        persist.Choice(on=session.choices[0].on, move="offer rise 99 %"),)})
    persist.save(path, edited)
    assert_user_error(invoke("resume", str(path)), "choice 1 ('offer rise 99 %' on 2026-01-01)")


def test_a_play_session_saved_without_a_mode_resumes_as_a_script(tmp_path: Path) -> None:
    """A session saved before play bargained by default has no mode: a scripted play,
    even where the scenario now declares strategies for the party."""
    path = tmp_path / "s.json"
    made = invoke("play", "-s", STRATEGIES, "--as", "union", "--script", "--save", str(path),
                  input="scripted\nquit\n")  # fmt: skip
    assert made.exit_code == 0, made.output
    session = persist.loads(path.read_bytes(), str(path))
    assert session.options["mode"] == "script"
    old = {k: v for k, v in session.options.items() if k != "mode"}
    persist.save(path, session.model_copy(update={"options": old}))
    resumed = invoke("resume", str(path), input="quit\n")
    assert resumed.exit_code == 0, resumed.output
    assert "play> quit" in resumed.stdout and "bargain>" not in resumed.stdout


MEDIATED = "river-basin-2026-mediated"


def test_a_student_mediates_and_the_parties_answer_by_their_strategies() -> None:
    """As the mediator: the texts it may put, the one whose worst-off party is best off
    first (the declared rule's own first draft); the parties' answers come back; putting
    the same text again, the parties' falling targets meet it."""
    engine = engine_of(MEDIATED)
    assert tables(engine, "basin_commission") == ["water_compact"]
    menus: list[Menu] = []

    def ask(menu: Menu) -> Move | None:
        menus.append(menu)
        return menu.offers[0].move

    played = play_bargain(engine, "basin_commission", ask)
    first, second = menus[0], menus[1]
    worst = [c.utility for c in first.offers]
    assert worst == sorted(worst, reverse=True) and len(first.offers) == 84
    assert first.responses == () and first.table is None
    assert second.table is not None and second.table.endswith(
        "upland rejected, midvale rejected, lowmarsh rejected")
    rule = simulate(engine, "water_compact")
    assert first.offers[0].move.package == rule.transcript.turns[0].move.package
    drafts = [e for e in played.run.trace.entries if e.event_kind == "offer"]
    assert len(drafts) == len(menus) and all(e.by == ("basin_commission",) for e in drafts)
    assert all("the student playing basin_commission" in (e.assumption or "") for e in drafts)
    o = played.run.transcript.outcome
    assert o.agreed and not played.stopped
    said = comparison(played)
    assert said.startswith("You (mediating as basin_commission): agreed upland_share 50 %")
    assert "The declared mediator rule, on the same rounds: agreed" in said


def test_mediate_on_the_command_line_and_stop() -> None:
    done = invoke("play", "-s", MEDIATED, "--as", "basin_commission", input="1\n" * 40)
    assert done.exit_code == 0, done.output
    text = flat(done.stdout)
    assert "mediating on water_compact as basin_commission" in text
    assert "your turn (basin_commission, the mediator): put one text to upland, midvale" in text
    assert "You (mediating as basin_commission): agreed" in text
    stopped = invoke("play", "-s", MEDIATED, "--as", "basin_commission", input="quit\n")
    assert stopped.exit_code == 0 and "stopped before the end" in stopped.stdout
