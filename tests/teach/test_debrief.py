"""A group's debrief: the main document's agreement day against the deadlines, each
party's utility against its BATNA, and the group's path as report frames."""

from __future__ import annotations

import datetime as dt

import pytest

from negotiation.analysis.space import OutcomeSpace
from negotiation.model.state import State
from negotiation.runtime.engine import Engine
from negotiation.teach.debrief import agreed_package, debrief, main_document, standings
from negotiation.teach.group import INSTRUCTOR, Action, Group
from tests.conftest import engine_of

LABOUR = "labour-contract-2026-interests"


def played(engine: Engine, *seats: str) -> Group:
    """A group whose students pass every turn, to the end."""
    g = Group.open(engine, seats).take(Action(INSTRUCTOR, "start"))
    while g.status == "running":
        g = g.take(Action(g.waiting_for[0], "pass"))
    return g


@pytest.fixture(scope="module")
def labour() -> Engine:
    return engine_of(LABOUR)


def test_the_main_document_is_the_one_interests_value_else_a_deadline_names(
    labour: Engine, seed_engine: Engine
) -> None:
    assert main_document(labour) == "new_contract"
    # no interests: the first document a deadline's requirement names
    assert main_document(seed_engine) == "twenty_eight_point_plan"


def test_the_agreement_day_against_each_due_date(labour: Engine) -> None:
    g = played(labour, "conciliation_service")  # union and employer follow the script
    d = debrief(g)
    assert (d.document, d.agreed_on, d.agreed_state) == (
        "new_contract",
        dt.date(2026, 3, 16),
        "signed",
    )
    assert d.agreement == "2026-03-16 (signed)"
    marks = {m.deadline: m for m in d.deadlines}
    assert marks["ratification_deadline"].due == dt.date(2026, 4, 30)
    assert marks["ratification_deadline"].against == "45 days before"
    assert marks["signing_bonus_option"].against == "10 days after"  # due 2026-03-06
    assert marks["old_contract_sunset"].against == "15 days before"


def test_no_agreement_when_a_student_never_signs(labour: Engine) -> None:
    d = debrief(played(labour, "union"))
    assert d.agreed_on is None and d.agreement == "none"
    assert {m.against for m in d.deadlines} == {"-"}


def test_batnas_are_read_on_the_group_s_state_and_no_package_shows_dash(labour: Engine) -> None:
    d = debrief(played(labour, "conciliation_service"))
    by = {s.party: s for s in d.standings}
    assert by["union"].batna == 0.55 and by["union"].because is None
    # the strike notice was served on the group's path: the employer's BATNA falls
    assert by["employer"].batna == 0.4 and by["employer"].because == "fact strike_notice_served"
    # the engine records point statuses (agreed, dropped), not options: no package
    assert by["union"].utility is None
    assert by["union"].words == "- vs BATNA 0.550"


def test_a_state_that_names_its_options_gives_each_party_its_delayed_utility(
    labour: Engine,
) -> None:
    g = played(labour, "conciliation_service")
    doc = g.state.documents["new_contract"]
    named = {"wages": "3 %", "hours": "36 h", "overtime": "double time"}
    named |= {"pensions": "6 %", "training": "5 days"}
    state = State.model_validate(
        {
            **g.state.model_dump(),
            "documents": {
                **g.state.documents,
                "new_contract": doc.model_copy(update={"points": named}),
            },
        }
    )
    day = dt.date(2026, 3, 16)
    days = (day - labour.start_date()).days
    by = {s.party: s for s in standings(labour, state, "new_contract", day)}
    # union: (5 * 3/6 + 2 * 1.5/2.5 + 1 * 1 + 1.5 * 3/3 + 0.5 * 5/5) / 10, less 0.001 a day
    assert by["union"].utility == pytest.approx(0.67 - 0.001 * days)
    # employer: (4 * 3/6 + 3 * 1/2.5 + 0 + 0 + 0.5 * 0.2) / 10.5, discounted 0.998 a day
    assert by["employer"].utility == pytest.approx(3.3 / 10.5 * 0.998**days)
    assert by["union"].words.endswith("(above)") and by["employer"].words.endswith("(below)")
    # a point that names no option: no package
    half = {**named, "training": "agreed"}
    space = OutcomeSpace.of(next(d for d in labour.scenario.documents if d.id == "new_contract"))
    assert agreed_package(space, doc.model_copy(update={"points": named})) is not None
    assert agreed_package(space, doc.model_copy(update={"points": half})) is None


def test_the_group_s_frames_replay_its_path(labour: Engine) -> None:
    g = played(labour, "conciliation_service")
    frames = g.frames()
    assert frames[0].kind == "start" and frames[-1].state == g.state
    assert [f.index for f in frames] == list(range(len(frames)))
    written = [e for line in g.log for e in line.entries]
    assert [e for f in frames for e in f.entries] == written
    days = [f.date for f in frames]
    assert days == sorted(days)
