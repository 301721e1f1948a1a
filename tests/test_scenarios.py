"""Every bundled scenario loads, runs (base and every branch) and meets its expectations;
plus the Ukraine case checked at its key dates, and the what-ifs and illustrative cases
checked for the properties they promise."""

from __future__ import annotations

import datetime as dt

import pytest

from negotiation import Scenario, Trace
from negotiation.loader import bundled_names
from negotiation.model.events import Sign
from tests.conftest import ROOT, engine_of

SCENARIO_DIR = ROOT / "scenarios"
SCHEMA_LINE = "# yaml-language-server: $schema=scenario.schema.json"

UKRAINE = "ukraine-2025-12"
WHAT_IFS = (
    "ukraine-2025-12-accept-before-christmas",
    "ukraine-2025-12-christmas-enforced",
    "ukraine-2025-12-guarantees-elections",
)
ILLUSTRATIVE = ("labour-contract-2026", "trade-deal-2026")
TRADE_WHAT_IFS = (  # the lessons' what-ifs on the invented trade case (docs/teaching.md)
    "trade-deal-2026-deadline-effect",
    "trade-deal-2026-ripeness",
    "trade-deal-2026-concessions",
)
SOURCE_ID = "article-2025-12"

NAMES = bundled_names()
D = dt.date


def branches(sc: Scenario) -> list[str | None]:
    return [None, *(b.id for b in sc.branches)]


def failures(trace: Trace) -> str:
    lines = [
        f"{x.at} {x.that!r}: " + "; ".join(x.reasons)
        for x in trace.expectations
        if not x.ok
    ]
    return "\n".join(lines)


def run_ukraine(until: str | None = None, branch: str | None = None) -> Trace:
    return engine_of(UKRAINE).run(branch, until=D.fromisoformat(until) if until else None)


# -- every bundled scenario ------------------------------------------------------------


def test_the_expected_scenarios_are_bundled() -> None:
    for name in (UKRAINE, *WHAT_IFS, *ILLUSTRATIVE, *TRADE_WHAT_IFS):
        assert name in NAMES, f"{name} is not bundled (found: {NAMES})"


@pytest.mark.parametrize("name", NAMES)
def test_file_starts_with_the_schema_line_and_a_header(name: str) -> None:
    lines = (SCENARIO_DIR / f"{name}.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[0] == SCHEMA_LINE
    assert lines[1].startswith("#"), "a short comment header follows the schema line"


@pytest.mark.parametrize("name", NAMES)
def test_runs_and_meets_every_expectation(name: str) -> None:
    eng = engine_of(name)
    sc = eng.scenario
    for branch in branches(sc):
        trace = eng.run(branch)
        where = f"{name} [{branch or 'base'}]"
        assert trace.ok, f"{where}: expectations failed:\n{failures(trace)}"
        declared = [x for x in sc.expect if x.branch == branch]
        assert declared, f"{where}: no expectations"
        assert len(trace.expectations) == len(declared), (
            f"{where}: {len(declared)} expectations declared, "
            f"{len(trace.expectations)} checked (one is after the horizon?)"
        )
        blocked = [f"{e.date} {e.ref}: {'; '.join(e.reasons)}" for e in trace.entries
                   if e.kind == "blocked"]
        assert not blocked, f"{where}: blocked events:\n" + "\n".join(blocked)


@pytest.mark.parametrize("name", NAMES)
def test_invariants_hold_at_every_event_date(name: str) -> None:
    eng = engine_of(name)
    sc = eng.scenario
    for branch in branches(sc):
        horizon = eng.horizon(branch)
        assert horizon is not None, f"{name}: every bundled scenario has a horizon"
        days = {e.date.last_day for e in eng.timeline(branch) if e.date is not None}
        days = {d for d in days if d <= horizon} | {horizon}
        for day in sorted(days):
            state = eng.run(branch, until=day).final
            for inv in sc.invariants:
                assert eng.evaluate(inv.condition, state), (
                    f"{name} [{branch or 'base'}] {day}: invariant {inv.id} broken: "
                    + "; ".join(eng.explain(inv.condition, state))
                )


# -- the Ukraine case at its key dates -------------------------------------------------


def test_ukraine_ids_and_dates() -> None:
    sc = engine_of(UKRAINE).scenario
    assert sc.id == "ukraine-2025-12"
    assert sc.version == 1
    assert sc.start is not None
    assert sc.start.sort_date == D(2025, 11, 1)
    assert sc.horizon is not None
    assert sc.horizon.last_day == D(2025, 12, 12)
    assert sc.horizon.inferred
    assert [s.kind.value for s in sc.sources] == ["opinion"]


def test_thanksgiving_passes_missed_with_support_continuing() -> None:
    trace = run_ukraine("2025-11-27")
    dl = trace.final.deadlines["thanksgiving_deadline"]
    assert dl.status.value == "missed"
    assert dl.due == D(2025, 11, 27)
    assert "united_states|supports|ukraine" in trace.final.relations
    missed = [e for e in trace.entries if e.kind == "deadline" and e.ref == "thanksgiving_deadline"]
    assert [e.date for e in missed] == [D(2025, 11, 27)]


def test_extension_after_expiry_moves_the_deadline_to_christmas() -> None:
    trace = run_ukraine("2025-11-28")
    dl = trace.final.deadlines["thanksgiving_deadline"]
    assert dl.status.value == "pending"
    assert dl.due == D(2025, 12, 25)
    assert len(dl.extensions) == 1
    ext = dl.extensions[0]
    assert ext.after_expiry
    assert ext.from_due == D(2025, 11, 27)
    assert ext.to_due == D(2025, 12, 25)
    assert ext.event == "christmas_extension"
    assert ext.by == ("united_states",)


def test_at_the_horizon() -> None:
    trace = run_ukraine()
    final = trace.final
    assert trace.horizon == D(2025, 12, 12)
    assert final.deadlines["thanksgiving_deadline"].status.value == "pending"
    assert final.deadlines["elections_window"].status.value == "waiting"
    assert final.documents["twenty_point_plan"].state == "under_negotiation"
    assert "signed" not in final.documents["twenty_point_plan"].visited
    assert final.documents["twenty_eight_point_plan"].state == "proposed"
    assert final.documents["security_guarantees"].state == "drafted"
    assert "united_states|supports|ukraine" in final.relations
    assert "coalition_of_the_willing|supports|ukraine" in final.relations
    beyond = [e.ref for e in trace.entries if e.kind == "beyond_horizon"]
    assert beyond == ["christmas_deadline_pending"]


def test_no_extension_branch_stays_missed_and_support_continues() -> None:
    final = run_ukraine(branch="no_extension").final
    assert final.deadlines["thanksgiving_deadline"].status.value == "missed"
    assert final.deadlines["thanksgiving_deadline"].due == D(2025, 11, 27)
    assert "united_states|supports|ukraine" in final.relations


def test_signing_the_twenty_point_plan_waits_for_the_guarantees() -> None:
    eng = engine_of(UKRAINE)
    state = eng.run().final
    sign = Sign(date=state.date, by=["ukraine", "united_states"], document="twenty_point_plan")
    reasons = eng.check(state, sign)
    assert any("security_guarantees" in r for r in reasons), reasons


def test_ukraine_fidelity_labels() -> None:
    sc = engine_of(UKRAINE).scenario
    docs = {d.id: d for d in sc.documents}
    for doc_id in ("twenty_eight_point_plan", "twenty_point_plan"):
        assert docs[doc_id].points == "unknown"
        assert docs[doc_id].requires_acceptance == "unknown"
    assert docs["twenty_eight_point_plan"].point_count == 28
    assert docs["twenty_point_plan"].point_count == 20
    assert docs["twenty_point_plan"].derived_from == "twenty_eight_point_plan"
    guard = docs["twenty_point_plan"].depends_on[0]
    assert guard.assumption
    assert guard.attribution is not None
    assert guard.attribution.ref == "¶7"
    assert "inferred" in docs["reconstruction"].title
    parties = {p.id: p for p in sc.parties}
    assert parties["coalition_of_the_willing"].members == "unknown"
    for event in sc.timeline:
        a = event.attribution
        assert a is not None, f"{event.id}: no attribution"
        assert a.via == SOURCE_ID, f"{event.id}: via {a.via!r}"
        assert a.ref and a.ref.startswith("¶"), f"{event.id}: no paragraph ref"
        assert event.date is not None
        assert event.date.inferred, f"{event.id}: the source gives no dates, so all are inferred"
        if a.speaker == "article_author" and a.kind.value == "opinion":
            assert event.kind == "statement"
            assert a.status.value == "claimed"
            assert (event.summary or "").startswith("The author"), event.id
    for meet in (e for e in sc.timeline if e.kind == "meet"):
        assert meet.absent == ["russia"], f"{meet.id}: Russia is absent from every table"
    for d in sc.deadlines:
        assert d.assumption, f"deadline {d.id}: unstated parts must be labelled"
    assert sc.expect, "expectations at the horizon"
    assert {b.id for b in sc.branches} == {"no_extension"}


def test_christmas_extension_is_a_labelled_claim() -> None:
    sc = engine_of(UKRAINE).scenario
    ext = next(e for e in sc.timeline if e.id == "christmas_extension")
    assert ext.kind == "extend_deadline"
    assert ext.attribution is not None
    assert ext.attribution.status.value == "claimed"
    assert ext.date is not None
    assert ext.date.precision == "range"
    assert ext.date.inferred
    assert ext.to.last_day == D(2025, 12, 25)
    assert ext.to.inferred
    assert ext.to.note is not None
    assert "Western" in ext.to.note
    assert ext.assumption


# -- the what-ifs --------------------------------------------------------------------------


@pytest.mark.parametrize("name", WHAT_IFS)
def test_what_if_extends_the_base_and_labels_every_invented_event(name: str) -> None:
    text = (SCENARIO_DIR / f"{name}.yaml").read_text(encoding="utf-8")
    assert f"\nextends: {UKRAINE}\n" in text
    base = engine_of(UKRAINE).scenario
    sc = engine_of(name).scenario
    assert sc.extends == UKRAINE
    assert sc.id != base.id
    assert sc.horizon is not None
    assert base.horizon is not None
    assert sc.horizon.last_day > base.horizon.last_day
    base_ids = {e.id for e in base.timeline}
    added = [e for e in sc.timeline if e.id not in base_ids]
    added += [e for b in sc.branches for e in b.add]
    assert added, f"{name}: adds no events"
    for e in added:
        assert e.assumption, f"{name}: invented event {e.id} carries no assumption"
        assert e.date is not None
        assert e.date.sort_date > base.horizon.last_day, f"{name}: {e.id} is not past the horizon"


@pytest.mark.parametrize("name", TRADE_WHAT_IFS)
def test_trade_what_if_labels_everything_it_invents(name: str) -> None:
    text = (SCENARIO_DIR / f"{name}.yaml").read_text(encoding="utf-8")
    assert "\nextends: trade-deal-2026\n" in text
    base = engine_of("trade-deal-2026").scenario
    sc = engine_of(name).scenario
    assert sc.illustrative and sc.id != base.id
    assert "invented" in sc.title.lower() and "invented" in (sc.summary or "").lower()
    base_events = {e.id for e in base.timeline}
    for e in [e for e in sc.timeline if e.id not in base_events] + [
        e for b in sc.branches for e in b.add
    ]:
        assert e.assumption, f"{name}: invented event {e.id} carries no assumption"
    base_docs = {d.id for d in base.documents}
    added = [d for d in sc.documents if d.id not in base_docs]
    assert added and all(d.assumption for d in added)
    assert sc.interests and all(x.assumption for x in sc.interests)
    assert all(s.assumption for s in sc.strategies)
    assert {x.party for x in sc.interests} <= {"northland", "southland"}  # invented states


def test_what_if_accept_before_christmas() -> None:
    final = engine_of(WHAT_IFS[0]).run().final
    assert final.deadlines["thanksgiving_deadline"].status.value == "met"
    assert "united_states|supports|ukraine" in final.relations


def test_what_if_christmas_enforced() -> None:
    eng = engine_of(WHAT_IFS[1])
    at_christmas = eng.run(until=D(2025, 12, 25)).final
    assert at_christmas.deadlines["thanksgiving_deadline"].status.value == "missed"
    assert "united_states|supports|ukraine" in at_christmas.relations
    final = eng.run().final
    assert final.deadlines["thanksgiving_deadline"].status.value == "enforced"
    assert "united_states|supports|ukraine" not in final.relations


def test_what_if_guarantees_then_elections_inside_the_window() -> None:
    eng = engine_of(WHAT_IFS[2])
    final = eng.run().final
    window = final.deadlines["elections_window"]
    assert window.status.value == "met"
    assert window.anchor == D(2026, 2, 16)
    assert window.opens == D(2026, 4, 17)
    assert window.due == D(2026, 5, 17)
    assert final.documents["security_guarantees"].state == "agreed_in_principle"
    early = eng.run("vote_too_early").final
    assert early.deadlines["elections_window"].status.value == "early"


# -- the illustrative cases ----------------------------------------------------------------


def deadline_patterns(sc: Scenario) -> set[str]:
    """Deadline kinds plus the patterns built on them (conditional extension, drop,
    non-binding, threatened consequence)."""
    out = {d.kind.value for d in sc.deadlines}
    out |= {"conditional_extension" for d in sc.deadlines if d.conditional_extension}
    out |= {
        "threatened" for d in sc.deadlines if d.consequence and d.consequence.mode == "threatened"
    }
    for e in sc.timeline:
        if e.kind == "drop_deadline":
            out.add("nonbinding" if e.nonbinding else "dropped")
    return out


@pytest.mark.parametrize("name", NAMES)
def test_illustrative_scenarios_are_rich_and_say_they_are_invented(name: str) -> None:
    sc = engine_of(name).scenario
    if not sc.illustrative:
        return
    assert len(sc.timeline) >= 15, f"{name}: {len(sc.timeline)} events"
    assert len(deadline_patterns(sc)) >= 3, deadline_patterns(sc)
    assert sc.branches, f"{name}: needs a branch"
    assert "invented" in sc.title.lower()
    assert "invented" in (sc.summary or "").lower()


def test_illustrative_names() -> None:
    assert {n for n in NAMES if engine_of(n).scenario.illustrative} >= set(ILLUSTRATIVE)


def test_labour_contract_patterns() -> None:
    sc = engine_of("labour-contract-2026").scenario
    assert {"default", "option", "sunset", "deadline"} <= {d.kind.value for d in sc.deadlines}
    union = next(p for p in sc.parties if p.id == "union")
    assert "members_assembly" in {b.id for b in union.bodies}
    final = engine_of("labour-contract-2026").run().final
    assert final.documents["new_contract"].ratified_by == ("union.members_assembly",)
    assert final.deadlines["signing_bonus_option"].status.value == "expired"
    strike = engine_of("labour-contract-2026").run("no_wage_move").final
    assert "strike_started" in strike.facts


def test_trade_deal_patterns() -> None:
    sc = engine_of("trade-deal-2026").scenario
    assert {"conditional_extension", "window", "nonbinding", "dropped"} <= deadline_patterns(sc)
    statuses = {p.status.value for d in sc.documents if d.points != "unknown" for p in d.points}
    assert {"open", "bracketed"} <= statuses
    trace = engine_of("trade-deal-2026").run()
    ext = trace.final.deadlines["negotiation_deadline"].extensions
    assert len(ext) == 1
    assert ext[0].conditional
    assert trace.final.documents["trade_agreement"].state == "in_force"
    assert set(trace.final.documents["trade_agreement"].ratified_by) == {
        "northland.parliament",
        "southland.parliament",
    }


# -- cases of the public record ------------------------------------------------------------

RECORD_CASES = {  # base scenario -> its what-if
    "colombia-farc-2016": "colombia-farc-2016-plebiscite-passes",
    "paris-agreement-2015": "paris-agreement-2015-eu-late",
}


def patterns(sc: Scenario) -> set[str]:
    """The patterns of the language a scenario uses, beyond plain dated events."""
    out = deadline_patterns(sc)
    if any(
        d.ratification_by and not d.in_force_before_ratification and d.entry_into_force is None
        for d in sc.documents
    ):
        out.add("ratification_gate")
    if any(d.in_force_before_ratification for d in sc.documents):
        out.add("gate_opt_out")
    if any(d.entry_into_force is not None for d in sc.documents):
        out.add("threshold")
    if any(e.kind == "ratify" and e.result == "failed" for e in sc.timeline):
        out.add("failed_vote")
    if any(e.if_ is not None or e.unless is not None for e in sc.timeline):
        out.add("conditional_events")
    if any(e.kind == "extend_deadline" for e in sc.timeline):
        out.add("extension")
    if any(e.kind in {"join", "leave", "suspend", "readmit", "exclude"} for e in sc.timeline):
        out.add("participation")
    if any(d.anchor is not None and d.anchor.condition for d in sc.deadlines):
        out.add("anchored_on_a_condition")
    if sc.rules:
        out.add("rules")
    if sc.branches:
        out.add("branches")
    if sc.invariants:
        out.add("invariants")
    return out


def attributions(sc: Scenario) -> list[tuple[str, object]]:
    """(where, attribution) of every attributed item of the record (not invented ones)."""
    items: list[tuple[str, object]] = [(f"timeline {e.id}", e.attribution) for e in sc.timeline]
    items += [(f"deadline {d.id}", d.attribution) for d in sc.deadlines]
    items += [(f"document {d.id}", d.attribution) for d in sc.documents]
    items += [(f"rule {r.id}", r.attribution) for r in sc.rules]
    return items


@pytest.mark.parametrize("name", sorted(RECORD_CASES))
def test_record_case_has_a_source_with_an_address_for_every_event(name: str) -> None:
    sc = engine_of(name).scenario
    assert not sc.illustrative
    urls = {s.id: s.url for s in sc.sources}
    assert all(u and u.startswith(("http://", "https://")) for u in urls.values()), urls
    used: set[str] = set()
    for where, a in attributions(sc):
        assert a is not None, f"{name}: {where} has no attribution"
        via = getattr(a, "via", None)
        assert via in urls, f"{name}: {where} cites {via!r}, not a declared source"
        used.add(via)
    assert len(used) >= 8, f"{name}: events cite only {sorted(used)}"
    for e in sc.timeline:
        assert e.date is not None
        if e.date.inferred:
            assert e.date.note, f"{name}: {e.id} has an inferred date without its reasoning"
    assert len(sc.sources) >= 10, f"{name}: {len(sc.sources)} sources"
    assert len(sc.timeline) >= 12, f"{name}: {len(sc.timeline)} events"


@pytest.mark.parametrize("name", sorted(RECORD_CASES))
def test_record_case_uses_at_least_four_patterns(name: str) -> None:
    found = patterns(engine_of(name).scenario) | patterns(engine_of(RECORD_CASES[name]).scenario)
    assert len(found) >= 4, found


@pytest.mark.parametrize(("base", "child"), sorted(RECORD_CASES.items()))
def test_record_case_what_if_labels_what_it_invents(base: str, child: str) -> None:
    text = (SCENARIO_DIR / f"{child}.yaml").read_text(encoding="utf-8")
    assert f"\nextends: {base}\n" in text
    assert "\nreplace:\n" in text
    assert "\nremove:\n" in text
    b, c = engine_of(base).scenario, engine_of(child).scenario
    base_events = {e.id: e for e in b.timeline}
    changed = [e for e in c.timeline if e.id not in base_events or e != base_events[e.id]]
    assert changed, f"{child}: changes no event"
    for e in changed:
        assert e.assumption, f"{child}: {e.id} is invented but carries no assumption"
        assert e.attribution is not None
        assert e.attribution.kind.value == "assumption", e.id
    skipped = [x.ref for x in engine_of(child).run().entries if x.kind == "skipped"]
    assert skipped, f"{child}: the base's if:/unless: events should react to the change"


def test_colombia_plebiscite_lapses_the_first_text_and_congress_ratifies_the_second() -> None:
    eng = engine_of("colombia-farc-2016")
    vote = eng.run(until=D(2016, 10, 2)).final
    assert vote.documents["cartagena_agreement"].state == "lapsed"
    assert vote.documents["cartagena_agreement"].failed_by == ("colombia.electorate",)
    assert eng.evaluate(
        "ratification of cartagena_agreement by colombia.electorate failed", vote
    )
    assert vote.documents["cartagena_agreement"].signed_by == ("colombia", "farc")
    senate = eng.run(until=D(2016, 11, 29)).final
    assert senate.documents["bogota_agreement"].state == "signed"
    assert senate.documents["bogota_agreement"].ratified_by == ("colombia.senate",)
    final = eng.run().final
    assert final.documents["bogota_agreement"].state == "in_force"
    assert final.documents["bogota_agreement"].ratified_by == ("colombia.senate", "colombia.house")
    assert final.deadlines["d_day"].status.value == "reached"
    assert final.deadlines["handover_complete"].due == D(2017, 4, 30)


def test_colombia_ceasefire_end_date_set_then_extended_once() -> None:
    final = engine_of("colombia-farc-2016").run().final
    dl = final.deadlines["ceasefire_end"]
    assert dl.status.value == "pending"
    assert [(x.from_due, x.to_due, x.after_expiry) for x in dl.extensions] == [
        (D(2016, 10, 31), D(2016, 12, 31), False)
    ]
    assert "bilateral_ceasefire" in final.facts
    ended = engine_of("colombia-farc-2016").run("no_extension").final
    assert ended.deadlines["ceasefire_end"].status.value == "expired"
    assert "bilateral_ceasefire" not in ended.facts


def test_colombia_what_if_skips_the_renegotiation() -> None:
    trace = engine_of("colombia-farc-2016-plebiscite-passes").run()
    skipped = {x.ref for x in trace.entries if x.kind == "skipped"}
    assert {
        "cartagena_cannot_take_effect",
        "ceasefire_end_set",
        "revised_text_announced",
        "senate_approves",
        "house_approves",
        "bogota_in_force",
    } <= skipped
    assert trace.final.documents["cartagena_agreement"].state == "in_force"
    assert trace.final.documents["bogota_agreement"].state == "drafted"
    assert trace.final.deadlines["ceasefire_end"].status.value == "inactive"


def test_paris_enters_into_force_thirty_days_after_the_second_threshold() -> None:
    eng = engine_of("paris-agreement-2015")
    before = eng.run(until=D(2016, 11, 3)).final
    assert before.documents["paris_agreement"].state == "ratified"
    assert {"parties_threshold_met", "emissions_threshold_met"} <= set(before.facts)
    final = eng.run(until=D(2016, 11, 4)).final
    assert final.documents["paris_agreement"].state == "in_force"
    assert final.deadlines["entry_into_force_day"].anchor == D(2016, 10, 5)
    assert eng.evaluate("united_states participates in paris_agreement", final)


def test_paris_us_out_for_one_year_then_back_thirty_days_after_accepting() -> None:
    eng = engine_of("paris-agreement-2015")
    days = {
        D(2019, 11, 4): True,
        D(2020, 11, 3): True,
        D(2020, 11, 4): False,
        D(2021, 2, 18): False,
        D(2021, 2, 19): True,
    }
    party = "united_states participates in paris_agreement"
    out = "united_states has withdrawn from paris_agreement"
    for day, inside in days.items():
        state = eng.run(until=day).final
        assert eng.evaluate(party, state) is inside, day
        assert eng.evaluate(out, state) is not inside, day
    final = eng.run().final
    assert final.deadlines["us_rejoin_effective"].due == D(2021, 2, 19)
    assert final.documents["paris_agreement"].state == "in_force"
    assert eng.evaluate(out, eng.run("no_return").final)


def test_paris_what_if_late_eu_deposit_moves_every_later_date() -> None:
    trace = engine_of("paris-agreement-2015-eu-late").run()
    final = trace.final
    assert final.deadlines["entry_into_force_day"].due == D(2016, 12, 15)
    assert final.deadlines["withdrawal_notice_possible"].due == D(2019, 12, 15)
    skipped = {x.ref for x in trace.entries if x.kind == "skipped"}
    assert {"cma1", "us_withdrawal_notice", "us_rejoin_acceptance"} <= skipped
    eng = engine_of("paris-agreement-2015-eu-late")
    assert eng.evaluate("united_states participates in paris_agreement", final)
