"""``negotiation play`` and the pure role-play session behind it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from negotiation.loader import bundled_names
from negotiation.model.errors import MoveError
from negotiation.runtime.engine import Engine
from negotiation.teach.compare import compare
from negotiation.teach.play import PlaySession
from tests.conftest import CHOICES, SEED, engine_of, invoke

UNTIL = dt.date(2026, 1, 1)


def follow_the_record(session: PlaySession) -> PlaySession:
    """Answer every prompt as the record did."""
    while not session.finished:
        if session.question is not None:
            session = session.answer("skip")
            continue
        d = session.decision
        assert d is not None
        scripted = d.scripted
        session = session.answer("scripted" if scripted and not scripted.reasons else "pass")
        assert session.reply != "error", session.notice
    return session


# -- the seed case: one decision changes a later deadline's outcome ---------------------------


def test_accepting_before_christmas_meets_the_extended_deadline(seed_engine: Engine) -> None:
    s = PlaySession.begin(seed_engine, "ukraine", until=UNTIL)
    d = s.decision
    assert d is not None and d.day == dt.date(2025, 12, 10)
    assert d.scripted is not None and d.scripted.label == "ukraine comments on twenty_point_plan"
    labels = [o.label for o in d.options]
    assert "ukraine accepts twenty_point_plan" in labels  # another legal move
    assert labels[-1].startswith("pass")
    blocked = {o.label: o.reasons for o in d.blocked}
    assert any(
        "security guarantees come first" in r for r in blocked["ukraine signs twenty_point_plan"]
    )
    s = follow_the_record(s.answer("ukraine accepts twenty_point_plan"))
    c = compare(s.recorded, s)
    deadline = next(o for o in c.deadlines if o.what == "thanksgiving_deadline")
    assert deadline.changed
    assert deadline.recorded == "missed on 2025-12-25 (due 2025-12-25)"
    assert deadline.yours == "met on 2025-12-10 (due 2025-12-25)"
    # the side by side shows the day the outcomes parted
    christmas = next(day for day in c.days if day.day == dt.date(2025, 12, 25))
    assert "DEADLINE thanksgiving_deadline: pending -> missed" in christmas.recorded
    assert not any("missed" in line for line in christmas.yours)
    decision_day = next(day for day in c.days if day.day == dt.date(2025, 12, 10))
    assert "DEADLINE thanksgiving_deadline: pending -> met" in decision_day.yours


def test_the_seed_comparison_on_the_command_line() -> None:
    result = invoke(
        "play", "--as", "ukraine", "-s", SEED, "--until", "2026-01-01",
        input="ukraine accepts twenty_point_plan\nscripted\nscripted\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "3 scripted decisions of yours up to the close of 2026-01-01" in out
    assert "DECISION 2025-12-10  you play ukraine" in out
    assert "the record: ukraine comments on twenty_point_plan (legal)" in out
    assert "blocked moves:" in out and "security guarantees come first" in out
    assert "(your move) ukraine accepts twenty_point_plan" in out
    assert "then:    DEADLINE deadline thanksgiving_deadline met: requirement met" in out
    assert "YOUR PATH (as ukraine) BESIDE THE RECORD, to the close of 2026-01-01" in out
    lines = out.splitlines()
    at = lines.index("  thanksgiving_deadline   << changed")
    assert lines[at + 1] == "    the record: missed on 2025-12-25 (due 2025-12-25)"
    assert lines[at + 2] == "    your path:  met on 2025-12-10 (due 2025-12-25)"
    assert "2025-12-25 *" in out  # the day on which the two paths differ is marked


def test_choosing_the_record_everywhere_reproduces_it(seed_engine: Engine) -> None:
    s = follow_the_record(PlaySession.begin(seed_engine, "ukraine", until=UNTIL))
    assert s.state.key() == s.recorded[-1].state.key()
    c = compare(s.recorded, s)
    assert c.changed == ()
    assert all(day.same for day in c.days)


@pytest.mark.parametrize("name", [*bundled_names(), CHOICES], ids=lambda n: Path(n).name)
def test_following_the_record_as_any_party_changes_no_outcome(name: str) -> None:
    engine = engine_of(name)
    for party in [p.id for p in engine.scenario.parties]:
        s = follow_the_record(PlaySession.begin(engine, party))
        assert compare(s.recorded, s).changed == (), (name, party)


# -- the rules of play ---------------------------------------------------------------------


def test_a_later_scripted_event_made_illegal_is_skipped_and_logged(choices_engine: Engine) -> None:
    s = PlaySession.begin(choices_engine, "west")
    seen = []
    while not s.finished:
        d = s.decision
        assert d is not None
        seen.append(d.item.label if d.item else d.point.id if d.point else "")
        # west passes on the joint signature; the council's ratification becomes illegal
        s = s.answer("pass" if seen[-1] in ("both_sign", "west_free") else "1")
    skipped = [line for line in s.log if line.kind == "skipped"]
    assert len(skipped) == 1
    assert "your path made it illegal (the record has it)" in skipped[0].text
    assert any("ratify needs it to be signed" in r for r in skipped[0].reasons)
    c = compare(s.recorded, s)
    assert {o.what: o.yours for o in c.documents}["plan"] == "agreed_in_principle"


def test_decision_points_of_the_scenario(choices_engine: Engine) -> None:
    s = PlaySession.begin(choices_engine, "west")
    titles = []
    while not s.finished:
        d = s.decision
        assert d is not None
        titles.append(d.title)
        if d.point is not None and d.point.id == "west_after_miss":
            assert [o.label for o in d.options][:2] == ["enforce", "waive"]
            assert not d.allow_pass or d.options[-1].kind == "pass"
            s = s.answer("waive")  # not a number nor a move: an error, then a choice
            assert s.reply == "error"
            s = s.answer("2")
            continue
        s = s.answer("1")
    assert "West decides what to do about the missed deadline" in titles
    assert "decision point west_free" in titles
    assert s.state.deadlines["accept_deadline"].status.value == "waived"


def test_an_alternative_of_a_dated_decision_point(choices_engine: Engine) -> None:
    s = PlaySession.begin(choices_engine, "east")
    d = s.decision
    assert d is not None and d.item is not None and d.item.label == "east_comments"
    s = s.answer("scripted")
    d = s.decision
    assert d is not None and d.point is not None and d.point.id == "east_reply"
    assert [o.label for o in d.options] == ["accept_now", "silence", "pass (do nothing here)"]
    s = s.answer("1")
    assert s.state.stance("east", "plan") == "accepts"
    assert s.state.deadlines["accept_deadline"].status.value == "met"


def test_answers_that_are_refused(seed_engine: Engine) -> None:
    s = PlaySession.begin(seed_engine, "ukraine", until=UNTIL)
    for answer, fragment in [
        ("ukraine signs twenty_point_plan", "blocked: twenty_point_plan is proposed"),
        ("united_states accepts twenty_point_plan", "you play ukraine"),
        ("ukraine dances", "unknown verb"),
        ("999", "choose 1 to"),
        ("", "choose an option"),
    ]:
        refused = s.answer(answer)
        assert refused.reply == "error" and fragment in refused.notice, answer
        assert refused.decision == s.decision and refused.log == s.log
    checked = s.answer("why ukraine signs twenty_point_plan")
    assert checked.reply == "why" and checked.notice.startswith("BLOCKED")
    with pytest.raises(MoveError):
        PlaySession.begin(seed_engine, "nobody")


def test_back_undoes_the_last_answer(seed_engine: Engine) -> None:
    s = PlaySession.begin(seed_engine, "ukraine", until=UNTIL)
    after = s.answer("ukraine accepts twenty_point_plan")
    undone = after.answer("back")
    assert undone.reply == "back"
    assert undone.state is s.state and undone.decision == s.decision
    assert s.answer("back").reply == "error"


def test_predictions_are_asked_and_scored(seed_engine: Engine) -> None:
    s = PlaySession.begin(seed_engine, "ukraine", predict=True)
    q = s.question
    assert q is not None and q.subject == "document" and q.target == "twenty_eight_point_plan"
    s = s.answer("proposed")  # right
    q = s.question
    assert q is not None and q.subject == "deadline" and q.target == "thanksgiving_deadline"
    assert s.answer("maybe").reply == "error"
    s = s.answer("same")  # wrong: it becomes pending
    assert (s.right, s.asked) == (1, 2)
    lines = [line.text for line in s.log if line.kind == "prediction"]
    assert lines == [
        "you predicted document twenty_eight_point_plan: proposed; it is proposed (right)",
        "you predicted deadline thanksgiving_deadline: inactive; it is pending (not quite)",
    ]


def test_a_student_decision_asks_about_the_deadline_it_may_meet(seed_engine: Engine) -> None:
    s = PlaySession.begin(seed_engine, "ukraine", until=UNTIL, predict=True)
    while s.decision is None:
        s = s.answer("skip")
    s = s.answer("ukraine accepts twenty_point_plan")
    q = s.question
    assert q is not None and (q.subject, q.target) == ("deadline", "thanksgiving_deadline")
    s = s.answer("met")
    assert "you predicted deadline thanksgiving_deadline: met; it is met (right)" in [
        line.text for line in s.log
    ]


def test_play_on_the_command_line_with_predictions() -> None:
    answers = "proposed\npending\nskip\n"
    result = invoke("play", "--as", "ukraine", "-s", SEED, "--predict", input=answers)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "predict: after this step, what will document twenty_eight_point_plan be?" in out
    assert "it is pending (right)" in out
    assert out.rstrip().endswith("no comparison")  # input ended before the end


def test_play_rejects_an_unknown_party() -> None:
    result = invoke("play", "--as", "atlantis", "-s", SEED)
    assert result.exit_code == 2
    assert "unknown party 'atlantis'" in result.stderr


def test_play_help_state_quit() -> None:
    result = invoke("play", "--as", "east", "-s", CHOICES, input="help\nstate\nquit\n")
    assert result.exit_code == 0, result.output
    assert "take the move the record has here" in result.stdout
    assert "Positions" in result.stdout
    assert "no comparison" in result.stdout


def test_a_party_with_no_scripted_decisions_watches_the_record() -> None:
    result = invoke("play", "--as", "russia", "-s", SEED)
    assert result.exit_code == 0, result.output
    assert "0 scripted decisions of yours" in result.stdout
    assert "every outcome matches the record" in result.stdout


def test_undo_is_back(seed_engine: Engine) -> None:
    s = PlaySession.begin(seed_engine, "ukraine", until=UNTIL)
    after = s.answer("ukraine accepts twenty_point_plan")
    undone = after.answer("undo")
    assert undone.reply == "back"
    assert undone.state is s.state and undone.decision == s.decision
    assert s.answer("undo").reply == "error"


def test_play_undo_example() -> None:
    answers = "ukraine accepts twenty_point_plan\nundo\nhelp\nquit\n"
    result = invoke("play", "--as", "ukraine", "-s", SEED, input=answers)
    assert result.exit_code == 0, result.output
    assert "back: undone; you are again at" in result.stdout
    assert "back, b, undo" in result.stdout  # the help names the alias
