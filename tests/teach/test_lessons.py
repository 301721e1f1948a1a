"""docs/teaching.md: every tagged observation is asserted here, every command runs.

Each test below is registered for the tag it checks (``@observes("L1.2")``); a test
fails if a tag in the lesson plans has no test, or a test names a tag the plans lost.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from negotiation.model.events import Meet
from negotiation.teach.compare import Comparison, compare
from negotiation.teach.play import PlaySession
from negotiation.teach.script import recorded_frames
from tests.conftest import ROOT, engine_of, invoke

DOC = ROOT / "docs" / "teaching.md"
TEXT = DOC.read_text(encoding="utf-8")
TAG = re.compile(r"\*\*\[(L\d+\.\d)\]\*\*")
OBSERVED: dict[str, Callable[..., None]] = {}
UKRAINE, TRADE = "ukraine-2025-12", "trade-deal-2026"


def observes(tag: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def register(test: Callable[..., None]) -> Callable[..., None]:
        OBSERVED[tag] = test
        return test

    return register


def out(*args: str, input: str | None = None) -> str:
    result = invoke(*args, input=input)
    assert result.exit_code == 0, result.output
    return result.stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def played(name: str, party: str, answers: dict[str, str], until: str | None = None) -> Comparison:
    """Play ``party``: the record everywhere except ``answers`` (item or point id ->
    answer); a blocked scripted move is passed."""
    engine = engine_of(name)
    day = dt.date.fromisoformat(until) if until else None
    s = PlaySession.begin(engine, party, until=day)
    while not s.finished:
        d = s.decision
        assert d is not None
        where = d.item.label if d.item else d.point.id if d.point else ""
        answer = answers.get(where, "scripted")
        if answer == "scripted" and d.scripted is not None and d.scripted.reasons:
            answer = "pass"
        s = s.answer(answer)
        assert s.reply != "error", s.notice
    return compare(s.recorded, s)


def outcome(c: Comparison, what: str) -> tuple[str, str]:
    o = next(o for group in (c.deadlines, c.documents, c.others) for o in group if o.what == what)
    return o.recorded, o.yours


# -- the plans and the tests agree ------------------------------------------------------------


def test_every_observation_in_the_plans_has_a_test() -> None:
    tags = TAG.findall(TEXT)
    assert len(tags) == len(set(tags)), "a tag is used twice"
    assert set(tags) == set(OBSERVED), (
        sorted(set(tags) - set(OBSERVED)),
        sorted(set(OBSERVED) - set(tags)),
    )


def test_there_are_five_lessons_each_with_scenario_commands_observations_questions() -> None:
    lessons = re.split(r"^## Lesson \d", TEXT, flags=re.MULTILINE)[1:]
    assert len(lessons) >= 5
    for lesson in lessons:
        for part in ("**Scenario", "**Commands.**", "**What students should observe.**",
                     "**Discussion questions.**"):  # fmt: skip
            assert part in lesson
        assert "```console" in lesson and "$ negotiation " in lesson
        assert TAG.search(lesson)


NOTES = ("**Objectives.**", "**Timing (45 minutes).**", "**Expected answers.**",
         "**Debrief questions.**")  # fmt: skip


def _numbered(block: str) -> int:
    return len(re.findall(r"^\d+\. ", block, flags=re.MULTILINE))


def test_every_lesson_has_instructor_notes_whose_plan_takes_45_minutes() -> None:
    lessons = re.split(r"^## Lesson \d", TEXT, flags=re.MULTILINE)[1:]
    lessons[-1] = lessons[-1].split("\n## ", 1)[0]  # the classroom section is no lesson
    assert len(lessons) == 10
    for n, lesson in enumerate(lessons, start=1):
        where = [lesson.find(h) for h in NOTES]
        assert -1 not in where and where == sorted(where), (n, where)  # all four, in order
        assert lesson.index("**Discussion questions.**") < where[0]
        timing = lesson[where[1] : where[2]]
        minutes = [int(m) for m in re.findall(r"^- (\d+) min: ", timing, flags=re.MULTILINE)]
        assert sum(minutes) == 45, (n, minutes)
        # the plan names only this lesson's observations
        named = set(re.findall(r"\[(L\d+\.\d)\]", timing))
        assert named and named <= set(TAG.findall(lesson[: where[0]])), (n, named)
        asked = lesson[lesson.index("**Discussion questions.**") : where[0]]
        answered = lesson[where[2] : where[3]]
        assert _numbered(answered) == _numbered(asked) > 0, n  # one answer per question
        assert lesson[where[3] :].count("?") >= 3, n


def commands() -> list[tuple[list[str], str]]:
    """Every ``$ negotiation ...`` line, with the ``step>``/``play>``/``bargain>`` lines
    after it."""
    found: list[tuple[list[str], str]] = []
    for block in re.findall(r"```console\n(.*?)```", TEXT, re.DOTALL):
        for line in block.splitlines():
            if line.startswith("$ negotiation "):
                found.append((shlex.split(line)[2:], ""))
            elif line.startswith(("step> ", "play> ", "bargain> ")):
                args, typed = found[-1]
                found[-1] = (args, typed + line.split("> ", 1)[1] + "\n")
    return found


@pytest.mark.parametrize(("args", "typed"), commands(), ids=lambda x: " ".join(x)[:60])
def test_every_command_in_the_plans_runs(
    args: list[str], typed: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # files the commands write land here
    result = invoke(*args, input=typed or None)
    assert result.exit_code == 0, result.output
    assert "end of input" not in result.stdout  # the typed answers were enough


# -- lesson 1: deadlines and extensions -----------------------------------------------------------

STEP_SIX = "n\nn\nn\nn\nn\nn\nq\n"


@observes("L1.1")
def test_l1_1_the_deadline_is_set_on_a_date_range_and_claimed() -> None:
    text = out("step", "-s", UKRAINE, input=STEP_SIX)
    at = text.index("EVENT  President Trump gives Ukraine until Thanksgiving")
    block = text[at : text.index("step>", at)]
    assert "date:    ~2025-11-01..2025-11-27 (inferred)" in block
    assert "status:  claimed" in block
    assert "thanksgiving_deadline        pending, due 2025-11-27 (26 days left)" in block


@observes("L1.2")
def test_l1_2_missed_but_the_threatened_consequence_waits() -> None:
    text = out("step", "-s", UKRAINE, input=STEP_SIX)
    assert "DEADLINE deadline thanksgiving_deadline missed: consequence threatened" in flat(text)
    engine = engine_of(UKRAINE)
    state = engine.run(until=dt.date(2025, 11, 27)).final
    assert state.deadlines["thanksgiving_deadline"].status.value == "missed"
    assert engine.evaluate("united_states supports ukraine", state)


@observes("L1.3")
def test_l1_3_extended_after_expiry_back_to_pending() -> None:
    text = out("step", "-s", UKRAINE, input="j 2025-11-28\nq\n")
    assert "changed: deadline thanksgiving_deadline due: 2025-11-27 -> 2025-12-25" in text
    assert "changed: deadline thanksgiving_deadline: missed -> pending" in text
    assert "thanksgiving_deadline        pending, due 2025-12-25 (27 days left)" in text
    assert "US support continues until Christmas" in text and "status:  claimed" in text


@observes("L1.4")
def test_l1_4_without_the_extension_it_stays_missed() -> None:
    engine = engine_of(UKRAINE)
    final = engine.run("no_extension").final
    assert final.deadlines["thanksgiving_deadline"].status.value == "missed"
    assert engine.evaluate("united_states supports ukraine", final)


@observes("L1.5")
def test_l1_5_support_ends_only_when_enforced() -> None:
    engine = engine_of("ukraine-2025-12-christmas-enforced")
    christmas = engine.run(until=dt.date(2025, 12, 25)).final
    assert christmas.deadlines["thanksgiving_deadline"].status.value == "missed"
    assert engine.evaluate("united_states supports ukraine", christmas)
    after = engine.run(until=dt.date(2025, 12, 26)).final
    assert after.deadlines["thanksgiving_deadline"].status.value == "enforced"
    assert not engine.evaluate("united_states supports ukraine", after)


@observes("L1.6")
def test_l1_6_accepting_before_christmas_meets_the_deadline() -> None:
    answers = {"plan_20_comments_updated": "ukraine accepts twenty_point_plan"}
    c = played(UKRAINE, "ukraine", answers, until="2026-01-01")
    assert outcome(c, "thanksgiving_deadline") == (
        "missed on 2025-12-25 (due 2025-12-25)",
        "met on 2025-12-10 (due 2025-12-25)",
    )


@observes("L1.7")
def test_l1_7_a_conditional_extension_and_an_automatic_consequence() -> None:
    text = out("run", "-s", TRADE)
    assert "the condition held at the cut-off; due date moves to 2026-09-30" in flat(text)
    engine = engine_of(TRADE)
    june = engine.run("no_tariff_deal", until=dt.date(2026, 6, 30)).final
    assert june.deadlines["negotiation_deadline"].status.value == "expired"
    assert not engine.evaluate("trade_forum mediates for northland", june)


@observes("L1.8")
def test_l1_8_predictions_are_asked_before_each_step_and_scored() -> None:
    args = ("play", "--as", "ukraine", "-s", UKRAINE, "--until", "2026-01-01", "--predict")
    text = flat(out(*args, input="proposed\nsame\nquit\n"))
    asked = "predict: after this step, what will document twenty_eight_point_plan be?"
    assert text.index(asked) < text.index("The White House puts out a 28-point peace plan.")
    assert (
        "you predicted document twenty_eight_point_plan: proposed; it is proposed (right)" in text
    )
    assert "you predicted deadline thanksgiving_deadline: inactive; it is pending (not quite)" in (
        text
    )


# -- lesson 2: sequencing ------------------------------------------------------------------


@observes("L2.1")
def test_l2_1_signing_is_blocked_for_two_reasons() -> None:
    text = flat(out("why", "ukraine signs twenty_point_plan", "--at", "2025-12-12"))
    assert text.startswith("BLOCKED")
    assert "twenty_point_plan is under_negotiation; sign needs it to be agreed_in_principle" in text
    assert "the security guarantees come first" in text


@observes("L2.2")
def test_l2_2_the_gate_is_a_labelled_assumption() -> None:
    text = flat(out("show", "--assumptions"))
    assert "document twenty_point_plan guard" in text
    assert "is our modelling, not a stated rule" in text


@observes("L2.3")
def test_l2_3_the_window_counts_from_the_guarantee() -> None:
    engine = engine_of("ukraine-2025-12-guarantees-elections")
    ds = engine.run().final.deadlines["elections_window"]
    assert (ds.anchor, ds.opens, ds.due) == (
        dt.date(2026, 2, 16), dt.date(2026, 4, 17), dt.date(2026, 5, 17),
    )  # fmt: skip
    assert (ds.status.value, ds.resolved_on) == ("met", dt.date(2026, 5, 3))
    early = engine.run("vote_too_early").final.deadlines["elections_window"]
    assert early.status.value == "early"


@observes("L2.4")
def test_l2_4_points_agreed_before_the_whole() -> None:
    text = out("show", "-s", TRADE, "--at", "2026-04-06")
    row = next(line for line in text.splitlines() if line.startswith("trade_agreement"))
    assert "revised" in row
    for part in ("rules_of_origin agreed", "quotas bracketed", "tariffs open"):
        assert part in flat(text)


@observes("L2.5")
def test_l2_5_signing_waits_for_every_acceptance() -> None:
    text = flat(out("why", "northland and southland sign trade_agreement", "-s", TRADE,
                    "--at", "2026-07-20"))  # fmt: skip
    assert text.startswith("BLOCKED")
    assert "sign needs it to be agreed_in_principle" in text
    engine = engine_of(TRADE)
    assert engine.evaluate("southland accepts trade_agreement",
                           engine.run(until=dt.date(2026, 7, 20)).final)  # fmt: skip
    july = engine.run(until=dt.date(2026, 7, 21))
    assert july.final.documents["trade_agreement"].state == "agreed_in_principle"
    fired = [e.ref for e in july.entries if e.kind == "rule" and e.date == dt.date(2026, 7, 21)]
    assert fired == ["agree_when_all_accept"]


@observes("L2.6")
def test_l2_6_without_northlands_acceptance_nothing_follows() -> None:
    engine = engine_of(TRADE)
    s = PlaySession.begin(engine, "northland")
    while not s.finished:
        d = s.decision
        assert d is not None
        label = d.item.label if d.item else ""
        blocked = d.scripted is not None and bool(d.scripted.reasons)
        s = s.answer("pass" if label == "northland_accepts" or blocked else "scripted")
    skipped = [line.text for line in s.log if line.kind == "skipped"]
    assert any("Southland Assembly votes to ratify" in t for t in skipped)
    c = compare(s.recorded, s)
    assert outcome(c, "trade_agreement")[1] == "revised"
    assert outcome(c, "negotiation_deadline")[1] == "expired on 2026-09-30 (due 2026-09-30)"
    assert outcome(c, "relation trade_forum mediates_for northland") == ("yes", "no")


# -- lesson 3: credible commitments --------------------------------------------------------------


@observes("L3.1")
def test_l3_1_the_precedent_is_zelenskys_attributed_opinion() -> None:
    text = out("step", "-s", UKRAINE, input="j 2025-12-11\nq\n")
    frames = recorded_frames(engine_of(UKRAINE))
    entry = next(e for f in frames for e in f.entries if e.ref == "budapest_memorandum_failed")
    assert entry.date == dt.date(2025, 12, 11)
    assert entry.attribution is not None
    assert entry.attribution.display() == "opinion, by zelensky, via article-2025-12, ¶7 [claimed]"
    assert "2025-12-11" in text


@observes("L3.2")
def test_l3_2_conditional_support_and_a_text_still_drafted() -> None:
    engine = engine_of(UKRAINE)
    dec11 = engine.run(until=dt.date(2025, 12, 11)).final
    pos = dec11.positions["ukraine|security_guarantees"]
    assert pos.stance == "supports_with_conditions" and len(pos.conditions) == 3
    assert engine.run().final.documents["security_guarantees"].state == "drafted"


@observes("L3.3")
def test_l3_3_a_window_counted_from_a_condition() -> None:
    text = out("show", "--at", "2025-12-12")
    row = next(line for line in text.splitlines() if line.startswith("elections_window"))
    assert "waiting" in row and "2026" not in row
    ds = engine_of(UKRAINE).run().final.deadlines["elections_window"]
    assert ds.due is None and ds.anchor is None


@observes("L3.4")
def test_l3_4_the_guarantee_anchors_the_window() -> None:
    text = flat(out("run", "-s", "ukraine-2025-12-guarantees-elections"))
    assert (
        "window elections_window anchored on 2026-02-16: opens 2026-04-17, closes 2026-05-17"
        in text
    )


@observes("L3.5")
def test_l3_5_without_the_guarantee_the_window_never_starts() -> None:
    c = played("ukraine-2025-12-guarantees-elections", "united_states",
               {"vote_security_guaranteed": "pass"})  # fmt: skip
    assert outcome(c, "elections_window") == (
        "met on 2026-05-03 (due 2026-05-17)",
        "waiting (no due date yet)",
    )


# -- lesson 4: two-level games ---------------------------------------------------------------------


@observes("L4.1")
def test_l4_1_signed_one_parliament_ratified_not_in_force() -> None:
    text = out("step", "-s", TRADE, input="j 2026-10-14\ns\nq\n")
    row = next(line for line in text.splitlines() if line.startswith("trade_agreement "))
    assert row.split()[:3] == ["trade_agreement", "3", "signed"]  # document, version, state
    assert "southland.parliamen" in row  # ratified by (the cell folds at the page width)
    assert "in_force" not in row


@observes("L4.2")
def test_l4_2_the_second_vote_brings_it_into_force() -> None:
    engine = engine_of(TRADE)
    trace = engine.run(until=dt.date(2026, 11, 18))
    st = trace.final
    assert st.documents["trade_agreement"].state == "in_force"
    assert st.deadlines["ratification_deadline"].status.value == "met"
    assert st.deadlines["joint_committee_window"].anchor == dt.date(2026, 11, 18)
    fired = [e.ref for e in trace.entries if e.kind == "rule" and e.date == dt.date(2026, 11, 18)]
    assert "in_force_when_ratified" in fired


@observes("L4.3")
def test_l4_3_a_stalled_parliament() -> None:
    final = engine_of(TRADE).run("northland_parliament_stalls").final
    assert final.documents["trade_agreement"].state == "signed"
    ds = final.deadlines["ratification_deadline"]
    assert (ds.status.value, ds.resolved_on) == ("missed", dt.date(2026, 12, 31))
    assert final.deadlines["joint_committee_window"].status.value == "waiting"
    text = out("diff", "base", "northland_parliament_stalls", "-s", TRADE)
    assert "ratification_deadline" in text


@observes("L4.4")
def test_l4_4_the_parliaments_vote_is_the_students_decision() -> None:
    c = played(TRADE, "northland", {"northland_ratifies": "pass"})
    assert outcome(c, "trade_agreement") == ("in_force", "signed")
    assert outcome(c, "ratification_deadline") == (
        "met on 2026-11-18 (due 2026-12-31)",
        "missed on 2026-12-31 (due 2026-12-31)",
    )


@observes("L4.5")
def test_l4_5_the_members_assembly_ratifies() -> None:
    engine = engine_of("labour-contract-2026")
    st = engine.run(until=dt.date(2026, 3, 25)).final
    assert st.documents["new_contract"].ratified_by == ("union.members_assembly",)
    ds = st.deadlines["ratification_deadline"]
    assert (ds.status.value, ds.resolved_on) == ("met", dt.date(2026, 3, 25))


# -- lesson 5: spoilers and absent parties -------------------------------------------------


@observes("L5.1")
def test_l5_1_russia_is_absent_from_every_meeting() -> None:
    meetings = [e for e in engine_of(UKRAINE).timeline() if isinstance(e, Meet)]
    assert [m.id for m in meetings] == [
        "reconstruction_meeting", "coalition_meeting", "security_guarantees_talks",
    ]  # fmt: skip
    assert all("russia" in m.absent and "russia" not in m.attendees for m in meetings)
    assert flat(out("run", "-s", UKRAINE)).count("Russia is not at the table") == 3
    text = out("step", "-s", UKRAINE, input="n\n" * 40)  # every step, each shown once
    assert flat(text).count("Russia is not at the table") == 3


@observes("L5.2")
def test_l5_2_russia_has_no_scripted_decision() -> None:
    text = out("play", "--as", "russia", "-s", UKRAINE)
    assert "0 scripted decisions of yours" in text
    assert "every outcome matches the record" in text


@observes("L5.3")
def test_l5_3_russias_stances_are_unknown() -> None:
    final = engine_of(UKRAINE).run().final
    documents = ["twenty_eight_point_plan", "twenty_point_plan", "security_guarantees",
                 "reconstruction"]  # fmt: skip
    assert all(final.stance("russia", d) == "unknown" for d in documents)
    text = out("show", "--at", "2025-12-12")
    positions = text[text.index("Positions") : text.index("Relations")]
    assert "russia" not in positions
    assert "ukraine on security_guarantees: supports_with_conditions" in positions


@observes("L5.4")
def test_l5_4_nothing_stops_russia_from_acting() -> None:
    text = out("why", "russia rejects twenty_point_plan", "--at", "2025-12-12")
    assert text.startswith("ALLOWED")
    plan = next(d for d in engine_of(UKRAINE).scenario.documents if d.id == "twenty_point_plan")
    assert plan.requires_acceptance == "unknown"


@observes("L5.5")
def test_l5_5_the_opposition_relation_is_an_assumption() -> None:
    final = engine_of(UKRAINE).run().final
    assert "russia|opposes|ukraine" in final.relations
    text = flat(out("show", "--assumptions"))
    assert "relation russia|opposes|ukraine" in text
    assert "the source does not use that word" in text


# -- lesson 6: BATNA and ZOPA ----------------------------------------------------------------

INTERESTS = "labour-contract-2026-interests"


def zopa_json(*args: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(out("zopa", "-s", INTERESTS, "-f", "json", *args))
    return doc


@observes("L6.1")
def test_l6_1_interests_are_listed_as_assumptions() -> None:
    text = flat(out("show", "--assumptions", "-s", INTERESTS))
    for party in ("union", "employer"):
        assert (f"interest of {party} in new_contract Invented for teaching; no source states "
                f"the {party}'s priorities") in text  # fmt: skip
    assert not engine_of(UKRAINE).scenario.interests


@observes("L6.2")
def test_l6_2_in_january_the_zopa_is_empty() -> None:
    doc = zopa_json("--at", "2026-01-05")
    assert doc["space_size"] == 5616 and doc["exact"]
    assert doc["zopa_size"] == 0 and doc["nash"] is None
    assert [(p["batna"], p["best_utility"]) for p in doc["parties"]] == [
        (0.55, 0.996), (0.6, pytest.approx(0.992, abs=5e-4)),
    ]  # fmt: skip
    assert "empty: no package gives every party at least its BATNA" in out(
        "zopa", "-s", INTERESTS, "--at", "2026-01-05"
    )


@observes("L6.3")
def test_l6_3_the_strike_notice_makes_it_ripe() -> None:
    text = out("zopa", "-s", INTERESTS, "--over", "2026-01-01..2026-04-30")
    assert "On 2026-01-01 the ZOPA is empty." in text
    assert "Ripe: the ZOPA opens on 2026-02-16." in text
    before, on = zopa_json("--at", "2026-02-15"), zopa_json("--at", "2026-02-16")
    assert (before["parties"][1]["batna"], on["parties"][1]["batna"]) == (0.6, 0.4)
    assert on["parties"][1]["batna_set_by"] == "fact strike_notice_served"
    assert before["zopa_size"] == 0 < on["zopa_size"]
    engine = engine_of(INTERESTS)
    notice = engine.run(until=dt.date(2026, 2, 16)).final
    assert engine.evaluate("fact strike_notice_served", notice)


@observes("L6.4")
def test_l6_4_the_nash_package_trades_across_points() -> None:
    doc = zopa_json("--at", "2026-02-16")
    assert doc["zopa_size"] == 184
    assert doc["nash"]["labels"] == {"wages": "6 %", "hours": "37.5 h", "overtime": "double time",
                                     "pensions": "3 %", "training": "4 days"}  # fmt: skip
    shares = {  # each point's weight as a share of the party's total weight
        x.party: {p: pi.weight / sum(q.weight for q in x.points.values())
                  for p, pi in x.points.items()}
        for x in engine_of(INTERESTS).scenario.interests
    }  # fmt: skip
    ends = {"wages": ("6 %", "0 %"), "overtime": ("double time", "time and a quarter"),
            "hours": ("35 h", "37.5 h"), "pensions": ("6 %", "3 %")}  # (union's, employer's)
    for point, (union_best, employer_best) in ends.items():
        cares_more = max(shares, key=lambda party, point=point: shares[party][point])
        got = doc["nash"]["labels"][point]
        assert got == (union_best if cares_more == "union" else employer_best), point
    assert doc["nash"]["index"] in {p["index"] for p in zopa_json("--at", "2026-02-16", "-n", "0")
                                    ["frontier"]}  # fmt: skip


@observes("L6.5")
def test_l6_5_delay_costs_close_the_zone() -> None:
    doc = json.loads(out("zopa", "-s", INTERESTS, "--over", "2026-02-16..2026-04-30",
                         "-f", "json"))  # fmt: skip
    sizes = {d["date"]: d["zopa_size"] for d in doc["days"]}
    assert (sizes["2026-02-16"], sizes["2026-03-11"], sizes["2026-04-07"]) == (184, 41, 1)
    assert doc["closes"] == ["2026-04-08"]
    days = sorted(sizes)
    assert all(sizes[a] >= sizes[b] for a, b in itertools.pairwise(days))
    accepted = engine_of(INTERESTS).run(until=dt.date(2026, 3, 11)).final
    assert accepted.documents["new_contract"].state == "agreed_in_principle"


@observes("L6.6")
def test_l6_6_a_strike_hurts_both_and_widens_the_zone() -> None:
    text = out("zopa", "-s", INTERESTS, "--over", "2026-02-20..2026-04-30",
               "--branch", "no_wage_move")  # fmt: skip
    assert "It stays open to 2026-04-30." in text
    doc = json.loads(out("zopa", "-s", INTERESTS, "--over", "2026-03-01..2026-03-02",
                         "--branch", "no_wage_move", "-f", "json"))  # fmt: skip
    first, second = doc["days"]
    assert (first["zopa_size"], second["zopa_size"]) == (88, 2269)
    assert (first["batnas"], second["batnas"]) == ([0.55, 0.4], [0.4, 0.3])


@observes("L6.7")
def test_l6_7_patience_is_power() -> None:
    a = json.loads(out("solve", "--delta1", "0.9", "--delta2", "0.8", "-f", "json"))
    b = json.loads(out("solve", "--delta1", "0.8", "--delta2", "0.9", "-f", "json"))
    assert a["first_share"] == pytest.approx(0.714, abs=0.001)
    assert b["first_share"] == pytest.approx(0.357, abs=0.001)
    assert a["agreement_round"] == b["agreement_round"] == 1


# -- lesson 7: the deadline effect, measured ------------------------------------------------

DEADLINE_EFFECT = "trade-deal-2026-deadline-effect"
TIMETABLE = "2026-02-16"  # the day the forum sets its timetable for the trade talks


def simulated(scenario: str, document: str, *args: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(out("simulate", "-s", scenario, "--document", document,
                                         "-f", "json", *args))  # fmt: skip
    return doc


def quota(kind: str, branch: str = "base") -> dict[str, Any]:
    return simulated(DEADLINE_EFFECT, f"quota_{kind}", "--start", TIMETABLE, "--branch", branch)


def half_way(run: dict[str, Any], party: str = "northland") -> dt.date:
    """The first day ``party`` offers a package worth no more than halfway from its best
    (1.0) to what it agreed."""
    agreed = run["outcome"]["utilities"][party]
    mark = (1.0 + agreed) / 2
    return dt.date.fromisoformat(next(
        t["day"] for t in run["turns"]
        if t["party"] == party and t["move"] == "offer" and t["utilities"][party] <= mark
    ))  # fmt: skip


def assumption_lines(scenario: str) -> str:
    return flat(out("show", "--assumptions", "-s", scenario))


def same_interests_in_every_copy(scenario: str, prefix: str) -> int:
    sc = engine_of(scenario).scenario
    copies = {d.id for d in sc.documents if d.id.startswith(prefix)}
    for party in ("northland", "southland"):
        mine = [x for x in sc.interests if x.party == party and x.document in copies]
        assert len(mine) == len(copies)
        assert len({(x.model_dump_json(exclude={"document"})) for x in mine}) == 1, party
    return len(copies)


@observes("L7.1")
def test_l7_1_strategies_and_interests_are_assumptions() -> None:
    text = assumption_lines(DEADLINE_EFFECT)
    sc = engine_of(DEADLINE_EFFECT).scenario
    assert len(sc.strategies) == 6 and all(s.assumption for s in sc.strategies)
    for s in sc.strategies:
        assert s.assumption and flat(s.assumption) in text
    assert "Invented for teaching; no source says how Northland concedes." in text
    assert same_interests_in_every_copy(DEADLINE_EFFECT, "quota_") == 3


@observes("L7.2")
def test_l7_2_the_later_they_concede_the_later_they_agree() -> None:
    runs = {k: quota(k, "no_tariff_deal") for k in ("conceder", "linear", "boulware")}
    assert all(r["outcome"]["agreed"] for r in runs.values())
    days = [r["outcome"]["day"] for r in runs.values()]
    times = [r["outcome"]["time"] for r in runs.values()]
    assert days == sorted(days) and len(set(days)) == 3
    assert times[0] < 0.3 < times[1] < 0.9 < times[2]  # early, mid-way, in the last tenth
    deadline = dt.date(2026, 6, 30)
    assert (deadline - dt.date.fromisoformat(days[2])).days <= 7  # a week before it, or less
    assert days == ["2026-03-24", "2026-05-24", "2026-06-23"]


@observes("L7.3")
def test_l7_3_boulware_gives_ground_late() -> None:
    marks = {k: half_way(quota(k, "no_tariff_deal")) for k in ("conceder", "linear", "boulware")}
    assert marks["conceder"] < marks["linear"] < marks["boulware"]
    assert marks == {"conceder": dt.date(2026, 2, 20), "linear": dt.date(2026, 4, 5),
                     "boulware": dt.date(2026, 6, 6)}  # fmt: skip


@observes("L7.4")
def test_l7_4_the_strategy_decides_when_not_what() -> None:
    shares = {quota(k, b)["outcome"]["package"]["share"]
              for k in ("conceder", "linear", "boulware") for b in ("base", "no_tariff_deal")}
    assert shares == {50.0}


@observes("L7.5")
def test_l7_5_an_extension_moves_the_cluster() -> None:
    short, extended = quota("boulware", "no_tariff_deal"), quota("boulware")
    assert short["outcome"]["day"] == "2026-06-23" < "2026-06-30"
    assert extended["outcome"]["day"] == "2026-09-17"
    assert extended["outcome"]["time"] > 0.9
    engine = engine_of(DEADLINE_EFFECT)
    state = engine.run(until=dt.date(2026, 6, 15)).final
    assert state.deadlines["quota_deadline"].due == dt.date(2026, 9, 30)
    by_day = {(t["day"], t["party"]): t["package"]["share"] for t in extended["turns"]}
    before = by_day[("2026-06-14", "northland")], by_day[("2026-06-15", "southland")]
    after = by_day[("2026-06-16", "northland")], by_day[("2026-06-17", "southland")]
    assert after[0] > before[0] and after[1] < before[1]  # both step back after 15 June
    assert after == (79.0, 21.0)
    for kind in ("conceder", "linear"):  # they agreed before the extension: nothing changes
        assert quota(kind)["outcome"] == quota(kind, "no_tariff_deal")["outcome"]
        assert quota(kind)["outcome"]["day"] < "2026-06-15"


@observes("L7.6")
def test_l7_6_the_moves_are_events_of_the_run() -> None:
    text = out("simulate", "-s", DEADLINE_EFFECT, "--start", TIMETABLE, "--document",
               "quota_boulware", "--trace")  # fmt: skip
    assert "southland: accepts the offer on quota_boulware" in text
    doc = json.loads(out("simulate", "-s", DEADLINE_EFFECT, "--start", TIMETABLE, "--document",
                         "quota_boulware", "--trace", "-f", "json"))  # fmt: skip
    moves = [e for e in doc["entries"] if (e["ref"] or "").startswith("bargain_quota_boulware")]
    first, last = moves[0], moves[-1]
    assert (first["date"], first["by"], first["event_kind"]) == ("2026-02-16", ["northland"],
                                                                 "offer")  # fmt: skip
    assert first["changes"][0]["after"] == "northland: share 80"
    assert (last["date"], last["by"], last["event_kind"]) == ("2026-09-17", ["southland"],
                                                              "accept_offer")  # fmt: skip
    assert all("no source says it happened" in m["assumption"] for m in moves)
    quota_doc = doc["final"]["documents"]["quota_boulware"]
    assert quota_doc["points"] == {"share": "agreed"} and quota_doc["values"] == {"share": "50"}


# -- lesson 8: ripeness ------------------------------------------------------------------------

RIPENESS = "trade-deal-2026-ripeness"


def ripe_json(*args: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(out("zopa", "-s", RIPENESS, "-f", "json", *args))
    return doc


@observes("L8.1")
def test_l8_1_interests_and_batnas_are_assumptions() -> None:
    text = assumption_lines(RIPENESS)
    for party in ("Northland", "Southland"):
        assert (f"Invented for teaching; no source states what the fishing ground is worth to "
                f"{party} or what it expects with no accord.") in text  # fmt: skip
    assert not engine_of(UKRAINE).scenario.interests


@observes("L8.2")
def test_l8_2_at_first_the_zone_is_empty() -> None:
    doc = ripe_json("--at", "2026-03-01")
    assert doc["space_size"] == 217 and doc["exact"] and doc["zopa_size"] == 0
    for p in doc["parties"]:
        assert p["batna"] == 0.7 and p["best_utility"] >= 0.9 > p["batna"]


@observes("L8.3")
def test_l8_3_hurting_one_side_is_not_enough() -> None:
    base = json.loads(out("zopa", "-s", RIPENESS, "--over", "2026-02-01..2026-08-31",
                          "-f", "json"))  # fmt: skip
    days = {d["date"]: d for d in base["days"]}
    assert days["2026-04-06"]["batnas"] == [0.35, 0.7] and days["2026-04-06"]["zopa_size"] == 0
    assert days["2026-05-03"]["zopa_size"] == 0
    assert days["2026-05-04"]["batnas"] == [0.35, 0.35] and days["2026-05-04"]["zopa_size"] > 0
    assert "Ripe: the ZOPA opens on 2026-05-04." in out(
        "zopa", "-s", RIPENESS, "--over", "2026-02-01..2026-08-31")
    one = out("zopa", "-s", RIPENESS, "--over", "2026-02-01..2026-08-31",
              "--branch", "one_side_hurts")  # fmt: skip
    assert "It stays empty to 2026-08-31." in one and "Ripe" not in one


@observes("L8.4")
def test_l8_4_delay_costs_close_the_ripe_moment() -> None:
    doc = json.loads(out("zopa", "-s", RIPENESS, "--over", "2026-05-04..2026-08-31",
                         "-f", "json"))  # fmt: skip
    sizes = {d["date"]: d["zopa_size"] for d in doc["days"]}
    days = sorted(sizes)
    assert all(sizes[a] >= sizes[b] for a, b in itertools.pairwise(days))
    assert (sizes["2026-05-04"], sizes["2026-08-20"], sizes["2026-08-21"]) == (35, 1, 0)
    assert doc["closes"] == ["2026-08-21"]


@observes("L8.5")
def test_l8_5_the_accepted_accord_is_in_the_zone_not_the_nash_package() -> None:
    engine = engine_of(RIPENESS)
    final = engine.run(until=dt.date(2026, 5, 25)).final
    accord = final.documents["fishing_accord"]
    agreed = {p: float(v) for p, v in (accord.values or {}).items()}
    assert agreed == {"share": 60.0, "closed_season": 12.0}
    doc = ripe_json("--at", "2026-05-25", "--limit", "0")
    inside = [z for z in doc["zopa"] if z["package"] == agreed]
    assert inside, "the accepted package lies in the zone"
    nash = doc["nash"]
    assert nash["package"] != agreed and nash["labels"] == {"share": "66 %",
                                                           "closed_season": "12 weeks"}
    n, s = inside[0]["gains"]
    assert n < s  # closer to Northland's BATNA than to Southland's
    weights = {x.party: x.points["closed_season"].weight / sum(q.weight for q in x.points.values())
               for x in engine.scenario.interests if x.document == "fishing_accord"}
    assert max(weights, key=weights.__getitem__) == "southland"  # it weighs the season more


# -- lesson 9: concession strategies compared ---------------------------------------------

CONCESSIONS = "trade-deal-2026-concessions"


def fund(copy: str) -> dict[str, Any]:
    return simulated(CONCESSIONS, f"fund_{copy}")["outcome"]


@observes("L9.1")
def test_l9_1_the_strategies_are_assumptions() -> None:
    text = assumption_lines(CONCESSIONS)
    sc = engine_of(CONCESSIONS).scenario
    assert {s.kind.value for s in sc.strategies} == {
        "boulware", "linear", "conceder", "hardliner", "tit_for_tat"}
    for s in sc.strategies:
        assert s.assumption and flat(s.assumption) in text
    assert same_interests_in_every_copy(CONCESSIONS, "fund_") == 7


@observes("L9.2")
def test_l9_2_the_later_northland_concedes_the_more_it_gets() -> None:
    runs = [fund(k) for k in ("conceder", "linear", "boulware")]
    assert all(r["agreed"] for r in runs)
    gets = [r["utilities"]["northland"] for r in runs]
    shares = [r["package"]["share"] for r in runs]
    days = [r["day"] for r in runs]
    assert gets == sorted(gets) and shares == sorted(shares) and days == sorted(days)
    assert len(set(days)) == 3
    assert (shares, days) == ([44.0, 50.0, 57.0], ["2026-04-29", "2026-05-20", "2026-06-15"])


@observes("L9.3")
def test_l9_3_the_hardliner_gets_nothing() -> None:
    hard, conceder = fund("hardliner"), fund("conceder")
    assert not hard["agreed"] and hard["ended_by"] == "deadline" and hard["day"] == "2026-06-30"
    assert hard["utilities"] == {"northland": 0.3, "southland": 0.3}
    assert hard["utilities"]["northland"] < conceder["utilities"]["northland"]


@observes("L9.4")
def test_l9_4_tit_for_tat_gets_the_most_against_a_linear_opponent() -> None:
    runs = {k: fund(k) for k in ("boulware", "linear", "conceder", "hardliner", "tit_for_tat")}
    best = max(runs, key=lambda k: runs[k]["utilities"]["northland"])
    assert best == "tit_for_tat"
    assert runs[best]["package"]["share"] == 59.0 and runs[best]["day"] == "2026-06-21"
    agreed = [r["day"] for r in runs.values() if r["agreed"]]
    assert runs[best]["day"] == max(agreed)


@observes("L9.5")
def test_l9_5_reciprocators_deadlock() -> None:
    for copy in ("reciprocators", "tit_for_tat_vs_hardliner"):
        r = fund(copy)
        assert not r["agreed"] and r["ended_by"] == "deadline", copy
    run = simulated(CONCESSIONS, "fund_reciprocators")
    opening = {t["party"]: t["package"] for t in run["turns"][:2]}
    for t in run["turns"]:  # neither ever moves from its opening offer
        assert t["package"] == opening[t["party"]]


@observes("L9.6")
def test_l9_6_no_deal_wastes_value() -> None:
    for copy in ("boulware", "linear", "conceder", "tit_for_tat", "hardliner", "reciprocators"):
        r = fund(copy)
        total = sum(r["utilities"].values())
        assert total == pytest.approx(1.0 if r["agreed"] else 0.6), copy


# -- lesson 10: single-text mediation ----------------------------------------------------

MEDIATED = "river-basin-2026-mediated"


def mediated(*args: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(out("simulate", "-s", MEDIATED, "-f", "json", *args))
    return doc


def answers(turns: list[dict[str, Any]], day: str) -> dict[str, str]:
    return {t["party"]: t["move"] for t in turns if t["day"] == day}


@observes("L10.1")
def test_l10_1_the_mediators_rule_is_an_assumption() -> None:
    text = assumption_lines(MEDIATED)
    sc = engine_of(MEDIATED).scenario
    kinds = {s.party: s.kind.value for s in sc.strategies}
    assert kinds == {"basin_commission": "mediator", "upland": "boulware",
                     "midvale": "linear", "lowmarsh": "conceder"}
    for x in [*sc.strategies, *sc.interests]:
        assert flat(x.assumption) in text
    assert "strategy of basin_commission in water_compact" in text


@observes("L10.2")
def test_l10_2_the_script_alone_misses_the_dry_season() -> None:
    final = json.loads(out("run", "-s", MEDIATED, "-f", "json"))["final"]
    assert final["deadlines"]["dry_season"]["status"] == "missed"
    assert final["deadlines"]["dry_season"]["due"] == "2026-03-31"
    assert final["deadlines"]["levee_ultimatum"]["status"] == "missed"
    assert "values" not in final["documents"]["water_compact"]


@observes("L10.3")
def test_l10_3_all_reject_the_first_draft_and_the_conceder_says_yes_first() -> None:
    turns = mediated()["turns"]
    first = turns[0]
    assert first["party"] == "basin_commission"
    assert first["package"] == {"upland_share": 50.0, "flood_fund": 30.0, "monitoring": "monthly"}
    assert [round(first["utilities"][p], 3) for p in ("upland", "midvale", "lowmarsh")] == [
        0.625, 0.625, 0.667]
    assert answers(turns, "2026-03-02") == {"basin_commission": "offer", "upland": "reject",
                                            "midvale": "reject", "lowmarsh": "reject"}
    yes = {}
    for t in turns:
        if t["move"] == "accept":
            yes.setdefault(t["party"], (t["day"], t["round"]))
    assert yes == {"lowmarsh": ("2026-03-07", 5), "midvale": ("2026-03-23", 21),
                   "upland": ("2026-03-24", 22)}


@observes("L10.4")
def test_l10_4_two_yeses_are_not_a_compact() -> None:
    turns = mediated()["turns"]
    assert answers(turns, "2026-03-23") == {"basin_commission": "offer", "upland": "reject",
                                            "midvale": "accept", "lowmarsh": "accept"}
    trace = mediated("--trace")
    agreed = {e["date"] for e in trace["entries"]
              if any(c["what"].startswith("value water_compact") for c in e["changes"])}
    assert agreed == {"2026-03-25"}  # not on the 23rd, when two of three said yes
    text = flat(out("simulate", "-s", MEDIATED, "--trace"))
    assert "accepted on water_compact: nobody -> lowmarsh" in text


@observes("L10.5")
def test_l10_5_all_three_accept_six_days_before_the_dry_season() -> None:
    o = mediated()["outcome"]
    assert o["agreed"] and (o["day"], o["round"]) == ("2026-03-25", 23)
    assert o["package"] == {"upland_share": 50.0, "flood_fund": 30.0, "monitoring": "quarterly"}
    us = {p: round(u, 3) for p, u in o["utilities"].items()}
    assert us == {"upland": 0.7, "midvale": 0.475, "lowmarsh": 0.611}
    assert max(us, key=us.__getitem__) == "upland" and min(us, key=us.__getitem__) == "midvale"
    final = mediated("--trace")["final"]
    assert final["deadlines"]["dry_season"]["status"] == "met"
    assert (dt.date(2026, 3, 31) - dt.date.fromisoformat(o["day"])).days == 6


@observes("L10.6")
def test_l10_6_one_outcome_in_every_run_and_one_path() -> None:
    sampled = json.loads(out("sample", "-s", MEDIATED, "--strategies", "--runs", "20",
                             "-f", "json"))  # fmt: skip
    assert sampled["agreement"]["share"] == 1.0
    assert [o["count"] for o in sampled["outcomes"]] == [20]
    assert sampled["days"] == [{"days_to_due": -6, "count": 20}]
    explored = json.loads(out("explore", "-s", MEDIATED, "--strategies", "-f", "json"))
    assert explored["paths"] == 1 and explored["complete"]
