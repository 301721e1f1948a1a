"""``negotiation step`` and the pure step-through session behind it."""

from __future__ import annotations

import datetime as dt

import pytest

from negotiation.loader import bundled_names
from negotiation.runtime.engine import Engine
from negotiation.teach.script import advance_to, recorded_frames
from negotiation.teach.step import StepSession
from tests.conftest import CHOICES, SEED, engine_of, invoke

# -- the session ---------------------------------------------------------------------------


def test_back_is_a_pointer_to_the_earlier_snapshot(seed_engine: Engine) -> None:
    s0 = StepSession.start(seed_engine)
    s1, _ = s0.handle("n")
    s2, _ = s1.handle("next")
    s3, reply = s2.handle("b")
    assert s3.index == s1.index
    assert s3.frame is s1.frame  # the same object: nothing recomputed
    assert reply.kind == "frame"
    assert s0.index == 0  # sessions are values: the old one is unchanged


def test_next_at_the_end_and_back_at_the_start_are_notes(seed_engine: Engine) -> None:
    s = StepSession.start(seed_engine)
    same, reply = s.handle("back")
    assert same is s and reply.kind == "note"
    last, _ = s.handle("jump 2099-01-01")
    assert last.index == last.total - 1
    again, reply = last.handle("n")
    assert again is last and "last step" in reply.message


def test_jump_goes_to_the_last_step_on_or_before_the_day(seed_engine: Engine) -> None:
    s, reply = StepSession.start(seed_engine).handle("j 2025-11-28")
    assert s.frame.date == dt.date(2025, 11, 28)
    assert reply.frame is not None and reply.frame.item is not None
    assert reply.frame.item.label == "christmas_extension"
    bad, reply = s.handle("jump 28/11/2025")
    assert bad is s and reply.kind == "error" and "YYYY-MM-DD" in reply.message
    early, reply = s.handle("jump 2025-01-01")
    assert early is s and "before the start" in reply.message


def test_why_uses_the_engines_check_with_the_move_grammar(seed_engine: Engine) -> None:
    s, _ = StepSession.start(seed_engine).handle("j 2025-12-12")
    _, reply = s.handle("why ukraine signs twenty_point_plan")
    assert reply.kind == "why" and reply.move == "ukraine signs twenty_point_plan"
    assert any("security guarantees come first" in r for r in reply.reasons)
    _, reply = s.handle("w ukraine accepts twenty_point_plan")
    assert reply.kind == "why" and reply.reasons == ()
    _, reply = s.handle("why ukraine signz twenty_point_plan")
    assert reply.kind == "error" and "did you mean 'signs'" in reply.message


def test_unknown_commands_and_quit(seed_engine: Engine) -> None:
    s = StepSession.start(seed_engine)
    _, reply = s.handle("dance")
    assert reply.kind == "error" and "help" in reply.message
    done, reply = s.handle("q")
    assert done.finished and reply.kind == "quit"


def test_deadlines_ahead_count_days_left(seed_engine: Engine) -> None:
    s, _ = StepSession.start(seed_engine).handle("j 2025-12-11")
    _, reply = s.handle("b")  # the last step of 2025-12-10, after the elections offer
    assert reply.frame is not None and reply.frame.date == dt.date(2025, 12, 10)
    ahead = {a.deadline: a for a in reply.ahead}
    assert ahead["thanksgiving_deadline"].due == dt.date(2025, 12, 25)
    assert ahead["thanksgiving_deadline"].days_left == 15
    assert ahead["elections_window"].status == "waiting"


@pytest.mark.parametrize("name", bundled_names())
def test_the_recorded_path_ends_where_the_engine_run_ends(name: str) -> None:
    engine = engine_of(name)
    for branch in [None, *(b.id for b in engine.scenario.branches)]:
        frames = recorded_frames(engine, branch)
        assert frames[-1].state.key() == engine.run(branch).final.key(), (name, branch)
        dates = [f.date for f in frames]
        assert dates == sorted(dates)


def test_the_clock_stops_on_each_due_day(seed_engine: Engine) -> None:
    start = seed_engine.initial_state()
    after_set = seed_engine.apply(start, seed_engine.timeline()[1]).state
    stops = advance_to(seed_engine, after_set, dt.date(2025, 12, 1))
    assert [s.state.date for s in stops if s.entries] == [dt.date(2025, 11, 27)]
    assert stops[-1].state.date == dt.date(2025, 12, 1)
    assert advance_to(seed_engine, stops[-1].state, dt.date(2025, 12, 1)) == []


def test_a_session_may_run_past_the_horizon(seed_engine: Engine) -> None:
    frames = recorded_frames(seed_engine, None, dt.date(2026, 1, 1))
    final = frames[-1].state
    assert final.date == dt.date(2026, 1, 1) and final.closed
    assert final.deadlines["thanksgiving_deadline"].status.value == "missed"
    assert final.deadlines["thanksgiving_deadline"].resolved_on == dt.date(2025, 12, 25)


# -- the command ---------------------------------------------------------------------------

SCRIPT = "n\nn\nn\nn\nn\nn\nw ukraine signs twenty_point_plan\nj 2025-12-10\nb\ns\nh\nq\n"


def test_step_is_scriptable_through_stdin() -> None:
    result = invoke("step", "-s", SEED, input=SCRIPT)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "step-through from 2025-11-01 to the close of 2025-12-12" in out
    assert "step> n" in out  # each command is echoed
    # the event, its source and claim status, what changed
    assert "EVENT  President Trump gives Ukraine until Thanksgiving" in out
    assert "source:  official statement, by trump, via article-2025-12, ¶18" in out
    assert "status:  claimed" in out
    assert "changed: deadline thanksgiving_deadline: inactive -> pending" in out
    # what the clock did, and why
    assert "CLOCK  the clock passes 2025-11-27" in out
    assert "changed: deadline thanksgiving_deadline: pending -> missed" in out
    assert "why:     none of the alternatives holds" in out
    # the deadlines ahead, with days left
    assert "thanksgiving_deadline        pending, due 2025-11-27 (26 days left)" in out
    assert "thanksgiving_deadline        pending, due 2025-12-25 (27 days left)" in out
    # why, state, help, quit
    assert "BLOCKED: ukraine signs twenty_point_plan on 2025-11-28" in out
    assert "security guarantees come first" in out
    assert "Positions" in out and "Deadlines" in out  # the state
    assert "jump, j DATE" in out
    assert out.rstrip().endswith("bye")
    assert all(len(line) <= 100 for line in out.splitlines())


def test_step_ends_cleanly_at_the_end_of_input() -> None:
    result = invoke("step", "-s", CHOICES, input="n\nn\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith("end of input")
    assert invoke("step", "-s", CHOICES, input="").exit_code == 0


def test_step_on_a_branch_and_past_the_horizon() -> None:
    result = invoke("step", "-s", SEED, "--branch", "no_extension", input="j 2025-12-12\n")
    assert result.exit_code == 0, result.output
    assert "branch no_extension" in result.stdout
    assert "christmas_extension" not in result.stdout
    result = invoke("step", "-s", SEED, "--until", "2026-01-01", input="j 2025-12-31\n")
    assert "to the close of 2026-01-01" in result.stdout
    assert "changed: deadline thanksgiving_deadline: pending -> missed" in result.stdout


def test_step_rejects_bad_options() -> None:
    result = invoke("step", "-s", SEED, "--branch", "nope")
    assert result.exit_code == 2 and "unknown branch" in result.stderr
    result = invoke("step", "-s", SEED, "--until", "2025-13-01")
    assert result.exit_code == 2 and "not a real calendar date" in result.stderr
    result = invoke("step", "-s", "no-such-scenario")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_jump_lands_on_the_first_event_of_the_day(seed_engine: Engine) -> None:
    s, reply = StepSession.start(seed_engine).handle("j 2025-12-11")
    day = [f for f in s.frames if f.date == dt.date(2025, 12, 11)]
    assert len(day) > 1  # a day of many events: the jump lands on the first
    assert s.frame is day[0] and reply.message == ""
    assert s.frames[s.index - 1].date < dt.date(2025, 12, 11)
    on, _ = s.handle("n")
    assert on.frame is day[1]  # 'next' walks through the rest of the day
    # a day with no event: the last step before it, and a note that says so
    quiet, reply = s.handle("j 2025-12-01")
    assert quiet.frame.date == dt.date(2025, 11, 28)
    note = "nothing happened on 2025-12-01; at the last step before it (2025-11-28)"
    assert reply.message == note


def test_step_jump_example() -> None:
    result = invoke("step", "-s", SEED, input="j 2025-12-11\nj 2025-12-01\nq\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    frames = recorded_frames(engine_of(SEED))
    first = next(f for f in frames if f.date == dt.date(2025, 12, 11))
    assert f"[{first.index + 1}/{len(frames)}] 2025-12-11" in out
    assert f"[{first.index + 2}/{len(frames)}]" not in out  # the first of the day, no further
    assert "note: nothing happened on 2025-12-01; at the last step before it (2025-11-28)" in out
