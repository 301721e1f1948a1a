"""Whole-scenario checks that a single field cannot make: unique ids, references,
cycles, contradictions and conditions. Pure: returns located problems (by field path;
the loader adds file, line and column)."""

from __future__ import annotations

from collections.abc import Sequence

from negotiation import conditions as cond
from negotiation.model.decisions import PROBABILITY_SLACK
from negotiation.model.documents import Document, NumericRange, Point
from negotiation.model.errors import ConditionError, Location, Problem, did_you_mean
from negotiation.model.events import Event
from negotiation.model.interests import Interest, PointInterest
from negotiation.model.scenario import Scenario
from negotiation.model.vocabulary import ScenarioVocabulary

Path = tuple[str | int, ...]


class _Checker:
    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        self.v = ScenarioVocabulary(scenario)
        self.problems: list[Problem] = []
        self.parties = self.v.parties()
        self.top_parties = {p.id for p in scenario.parties}
        self.docs = self.v.documents()
        self.facts = self.v.facts()
        self.deadlines = self.v.deadlines()
        self.deadline_specs = {d.id: d for d in scenario.deadlines}
        self.lifecycles = {d.id: d.lifecycle for d in scenario.documents}
        self.event_ids = {e.id for e in scenario.timeline if e.id} | {
            e.id for b in scenario.branches for e in b.add if e.id
        }

    def add(self, path: Path, message: str, offset: int | None = None) -> None:
        self.problems.append(Problem(Location(path=path), message, offset))

    def ref(self, path: Path, name: str, known: set[str], what: str) -> bool:
        if name not in known:
            self.add(path, f"unknown {what} {name!r}{did_you_mean(name, known)}")
            return False
        return True

    def unique(self, path: Path, ids: Sequence[str | None], what: str) -> None:
        seen: set[str] = set()
        for i, x in enumerate(ids):
            if x is None:
                continue
            if x in seen:
                self.add((*path, i, "id"), f"duplicate {what} id {x!r}")
            seen.add(x)

    def condition(self, path: Path, text: str, counts: bool = False) -> None:
        """A condition parses; only an expectation (``counts``) may ask how often a rule
        fired."""
        try:
            node = cond.parse(text, self.v)
        except ConditionError as e:
            for reason, position in e.problems:
                self.add(path, f"{reason} in condition {text!r}", position)
            return
        if not counts:
            for n in cond.walk(node):
                if isinstance(n, cond.RuleFired) and n.times is not None:
                    self.add(path, f"{n.text!r}: how often a rule fired is known to a run's "
                             f"checks only; ask it in expect (here, 'rule {n.rule} has "
                             "fired' says whether it fired)", text.find(n.text))

    # -- the checks --------------------------------------------------------------------
    def run(self) -> list[Problem]:
        s = self.s
        self.unique(("parties",), [p.id for p in s.parties], "party")
        self.unique(("documents",), [d.id for d in s.documents], "document")
        self.unique(("facts",), [f.id for f in s.facts], "fact")
        self.unique(("deadlines",), [d.id for d in s.deadlines], "deadline")
        self.unique(("rules",), [r.id for r in s.rules], "rule")
        self.unique(("branches",), [b.id for b in s.branches], "branch")
        self.unique(("lifecycles",), [lc.id for lc in s.lifecycles], "lifecycle")
        self.unique(("invariants",), [x.id for x in s.invariants], "invariant")
        self.unique(("expect",), [x.id for x in s.expect], "expectation")
        self.unique(("timeline",), [e.id for e in s.timeline], "event")
        for i, d in enumerate(s.documents):
            if d.id in self.top_parties:
                self.add(("documents", i, "id"), f"{d.id!r} is both a party and a document")
        self.check_parties()
        self.check_weights()
        self.check_documents()
        self.check_positions()
        self.check_deadlines()
        self.check_rules()
        self.check_timeline()
        self.check_branches()
        self.check_probabilities()
        self.check_decisions()
        self.check_interests()
        self.check_expectations()
        for i, inv in enumerate(s.invariants):
            field = "never" if inv.never is not None else "always"
            self.condition(("invariants", i, field), inv.never or inv.always or "")
            for j, b in enumerate(inv.branches or ()):
                self.ref(("invariants", i, "branches", j), b, {"base"} | self.v.branches(),
                         "timeline (base or a branch)")
        if s.start is not None and s.horizon is not None and s.horizon.last_day < s.start.sort_date:
            self.add(
                ("horizon",),
                f"the horizon {s.horizon.display()} precedes the start {s.start.display()}",
            )
        return self.problems

    def check_expectations(self) -> None:
        """Conditions and branches, and no date after the horizon of the run it belongs
        to: a run never reaches it, so the expectation would never be checked."""
        horizons = {b.id: b.horizon or self.s.horizon for b in self.s.branches}
        for i, x in enumerate(self.s.expect):
            self.condition(("expect", i, "that"), x.that, counts=True)
            if x.branch is not None and not self.ref(
                ("expect", i, "branch"), x.branch, self.v.branches(), "branch"
            ):
                continue
            horizon = self.s.horizon if x.branch is None else horizons[x.branch]
            if horizon is not None and x.at.last_day > horizon.last_day:
                run = "the scenario" if x.branch is None else f"branch {x.branch}"
                self.add(
                    ("expect", i, "at"),
                    f"expectation dated {x.at.display()}, after the horizon of {run} "
                    f"({horizon.display()}): no run reaches it, so it would never be "
                    "checked; move it to the horizon or before, or extend the horizon",
                )

    def check_probabilities(self) -> None:
        """The labelled branches' probabilities leave the base timeline what is left of
        1: together they must not pass 1 (a decision point's alternatives are checked
        by their model)."""
        total = 0.0
        for i, b in enumerate(self.s.branches):
            if b.probability is None:
                continue
            total += b.probability
            if total > 1 + PROBABILITY_SLACK:
                self.add(
                    ("branches", i, "probability"),
                    f"the branches' probabilities add up to {total:g} here, more than 1 "
                    "(the base timeline is taken with what is left of 1)",
                )
                return

    def check_parties(self) -> None:
        for i, p in enumerate(self.s.parties):
            self.unique(("parties", i, "bodies"), [b.id for b in p.bodies], "body")
            if p.members != "unknown":
                for j, m in enumerate(p.members):
                    self.ref(("parties", i, "members", j), m, self.top_parties, "party")
        for i, r in enumerate(self.s.relations):
            self.ref(("relations", i, "source"), r.source, self.top_parties, "party")
            self.ref(("relations", i, "target"), r.target, self.top_parties, "party")

    def check_documents(self) -> None:
        for i, d in enumerate(self.s.documents):
            base: Path = ("documents", i)
            if d.points != "unknown":
                self.unique((*base, "points"), [p.id for p in d.points], "point")
            named = len(self.v.points(d.id))
            if d.points_total is not None and named > d.points_total:
                self.add((*base, "points_total"),
                         f"{d.id} names {named} points (declared and published), more "
                         f"than its points_total of {d.points_total}")
            if d.authors != "unknown":
                for j, a in enumerate(d.authors):
                    self.ref((*base, "authors", j), a, self.parties, "party")
            if d.requires_acceptance != "unknown":
                for j, a in enumerate(d.requires_acceptance):
                    self.ref((*base, "requires_acceptance", j), a, self.parties, "party")
            for j, a in enumerate(d.ratification_by):
                self.ref((*base, "ratification_by", j), a, self.parties, "party or body")
            if d.derived_from is not None:
                self.ref((*base, "derived_from"), d.derived_from, self.docs, "document")
            self.check_threshold(base, d)
            self.check_lifecycle_choice(base, d)
            for j, g in enumerate(d.depends_on):
                self.condition((*base, "depends_on", j, "condition"), g.condition)
        self.check_derivation_cycles()
        for i, lc in enumerate(self.s.lifecycles):
            for j, t in enumerate(lc.transitions):
                if t.guard is not None:
                    self.condition(("lifecycles", i, "transitions", j, "guard"), t.guard)

    def check_weights(self) -> None:
        for name, weights in self.s.weights.items():
            for who, value in weights.items():
                self.ref(("weights", name, who), who, self.parties, "party or body")
                if value < 0:
                    self.add(("weights", name, who), f"a weight is never negative, got {value:g}")

    def check_threshold(self, base: Path, d: Document) -> None:
        spec = d.entry_into_force
        if spec is None:
            return
        path = (*base, "entry_into_force")
        for j, a in enumerate(spec.of or ()):
            self.ref((*path, "of", j), a, self.parties, "party or body")
        if spec.weight is not None:
            self.ref((*path, "weight"), spec.weight, set(self.s.weights), "weight")
        counted = spec.of if spec.of is not None else d.ratification_by
        if spec.at_least is not None and counted and spec.at_least > len(counted):
            self.add((*path, "at_least"), f"at_least {spec.at_least} is more than the "
                     f"{len(counted)} parties counted: the threshold can never be met")

    def check_lifecycle_choice(self, base: Path, d: Document) -> None:
        specs = self.v.lifecycle_specs
        lc = specs.get(d.lifecycle)
        if lc is None:
            self.add(
                (*base, "lifecycle"),
                f"unknown lifecycle {d.lifecycle!r}{did_you_mean(d.lifecycle, specs)}",
            )
        elif lc.applies_to != "document":
            self.add((*base, "lifecycle"), f"lifecycle {lc.id!r} is for positions")
        elif d.initial_state is not None and d.initial_state not in lc.states:
            self.add(
                (*base, "initial_state"),
                f"{d.initial_state!r} is not a state of lifecycle {lc.id!r}"
                f"{did_you_mean(d.initial_state, lc.states)}",
            )

    def check_derivation_cycles(self) -> None:
        parent = {d.id: d.derived_from for d in self.s.documents}
        for i, d in enumerate(self.s.documents):
            seen = [d.id]
            cur = parent.get(d.id)
            while cur is not None and cur in parent:
                if cur in seen:
                    if cur == d.id:
                        chain = " -> ".join([*seen, cur])
                        self.add(
                            ("documents", i, "derived_from"), f"derived_from forms a cycle: {chain}"
                        )
                    break
                seen.append(cur)
                cur = parent.get(cur)

    def check_positions(self) -> None:
        for i, p in enumerate(self.s.positions):
            self.ref(("positions", i, "party"), p.party, self.parties, "party")
            self.target(("positions", i, "on"), p.on)

    def target(self, path: Path, on: str) -> None:
        doc, _, point = on.partition(".")
        if self.ref(path, doc, self.docs, "document") and point:
            self.ref(path, point, self.v.points(doc), f"point of {doc}")

    def check_deadlines(self) -> None:
        for i, d in enumerate(self.s.deadlines):
            base: Path = ("deadlines", i)
            if d.set_by not in (None, "unknown"):
                self.ref((*base, "set_by"), str(d.set_by), self.parties, "party")
            for j, o in enumerate(d.on):
                self.ref((*base, "on", j), o, self.parties | self.docs, "party or document")
            if d.requirement is not None:
                self.condition((*base, "requirement"), d.requirement)
            if d.anchor is not None and d.anchor.condition is not None:
                self.condition((*base, "anchor", "condition"), d.anchor.condition)
            if d.anchor is not None and d.anchor.event is not None:
                self.ref((*base, "anchor", "event"), d.anchor.event, self.event_ids, "event")
            if d.conditional_extension is not None:
                self.condition(
                    (*base, "conditional_extension", "condition"), d.conditional_extension.condition
                )
            if d.consequence is not None:
                for j, e in enumerate(d.consequence.effects):
                    self.event((*base, "consequence", "effects", j), e)

    def check_rules(self) -> None:
        for i, r in enumerate(self.s.rules):
            self.condition(("rules", i, "when"), r.when)
            for j, e in enumerate(r.then):
                self.event(("rules", i, "then", j), e)

    def check_timeline(self) -> None:
        for i, e in enumerate(self.s.timeline):
            self.event(("timeline", i), e, dated=True)

    def check_branches(self) -> None:
        ids = {e.id for e in self.s.timeline if e.id}
        for i, b in enumerate(self.s.branches):
            for j, r in enumerate(b.remove):
                self.ref(("branches", i, "remove", j), r, ids, "timeline event")
            self.unique(("branches", i, "add"), [e.id for e in b.add], "event")
            for j, e in enumerate(b.add):
                if e.id is not None and e.id in ids:
                    self.add(
                        ("branches", i, "add", j, "id"),
                        f"event id {e.id!r} is already used by the base timeline",
                    )
                self.event(("branches", i, "add", j), e, dated=True)

    def check_decisions(self) -> None:
        ids = {e.id for e in self.s.timeline if e.id}
        self.unique(("decisions",), [d.id for d in self.s.decisions], "decision point")
        for i, dp in enumerate(self.s.decisions):
            base: Path = ("decisions", i)
            if dp.when is not None:
                self.condition((*base, "when"), dp.when)
            for j, p in enumerate(dp.parties):
                self.ref((*base, "parties", j), p, self.parties, "party")
            self.unique((*base, "alternatives"), [a.id for a in dp.alternatives], "alternative")
            for j, alt in enumerate(dp.alternatives):
                for k, e in enumerate(alt.events):
                    path: Path = (*base, "alternatives", j, "events", k)
                    self.event(path, e)
                    if e.date is not None:
                        self.add(
                            (*path, "date"),
                            "an alternative's events happen on the day "
                            "the decision is taken: remove 'date'",
                        )
                    if e.id is not None and e.id in ids:
                        self.add(
                            (*path, "id"), f"event id {e.id!r} is already used by the base timeline"
                        )

    def check_interests(self) -> None:
        seen: set[tuple[str, str]] = set()
        for i, x in enumerate(self.s.interests):
            base: Path = ("interests", i)
            self.ref((*base, "party"), x.party, self.parties, "party")
            if (x.party, x.document) in seen:
                self.add(base, f"a second interest of {x.party} in {x.document}")
            seen.add((x.party, x.document))
            for j, case in enumerate(x.reservation.cases):
                self.condition((*base, "batna", "cases", j, "when"), case.when)
            if self.ref((*base, "document"), x.document, self.docs, "document"):
                self.interest_points(base, x)
            self.interest_world(base, x)

    def interest_world(self, base: Path, x: Interest) -> None:
        """The documents, states and facts an interest values exist."""
        for doc_id, sv in x.states.items():
            path: Path = (*base, "states", doc_id)
            if self.ref(path, doc_id, self.docs, "document"):
                states = self.v.document_states(doc_id)
                for state in sv.values:
                    self.ref((*path, "values", state), state, states,
                             f"state of {doc_id}'s lifecycle")  # fmt: skip
        for fact in x.facts:
            self.ref((*base, "facts", fact), fact, self.facts, "fact")

    def interest_points(self, base: Path, x: Interest) -> None:
        doc = next(d for d in self.s.documents if d.id == x.document)
        points = {} if doc.points == "unknown" else {p.id: p for p in doc.points}
        for pid, pi in x.points.items():
            path: Path = (*base, "points", pid)
            if not self.ref(path, pid, set(points), f"point of {x.document}"):
                continue
            point = points[pid]
            if point.options is None:
                self.add(path, f"point {x.document}.{pid} declares no options to value")
            elif isinstance(point.options, NumericRange):
                if pi.values is not None:
                    self.add(
                        (*path, "values"),
                        f"{x.document}.{pid} is a numeric range: value it with "
                        "'linear' or 'piecewise'",
                    )
            elif pi.values is None:
                self.add(
                    path,
                    f"{x.document}.{pid} has discrete options: value each with 'values'",
                )
            else:
                self.option_values(path, point, pi)

    def option_values(self, path: Path, point: Point, pi: PointInterest) -> None:
        options = point.options if isinstance(point.options, list) else []
        values = pi.values or {}
        for label in values:
            self.ref((*path, "values", label), label, set(options), f"option of {point.id}")
        missing = [o for o in options if o not in values]
        if missing:
            listed = ", ".join(repr(o) for o in missing)
            options_word = "option" if len(missing) == 1 else "options"
            self.add((*path, "values"), f"no value for {options_word} {listed} of {point.id}")

    def event(self, path: Path, e: Event, dated: bool = False) -> None:  # noqa: C901
        if dated and e.date is None:
            self.add((*path, "date"), "a timeline event needs a 'date'")
        if e.if_ is not None:
            self.condition((*path, "if"), e.if_)
        if e.unless is not None:
            self.condition((*path, "unless"), e.unless)
        for j, who in enumerate(e.by):
            self.ref((*path, "by", j), who, self.parties, "party or body")
        fields = e.__dict__  # plain reads: an absent field must not go through __getattr__
        doc = fields.get("document")
        if isinstance(doc, str):
            if not self.ref((*path, "document"), doc, self.docs, "document"):
                return
            point = fields.get("point")
            if isinstance(point, str):
                self.ref((*path, "point"), point, self.v.points(doc), f"point of {doc}")
        d_id = fields.get("deadline")
        if isinstance(d_id, str):
            self.ref((*path, "deadline"), d_id, self.deadlines, "deadline")
        fact = fields.get("fact")
        if isinstance(fact, str):
            self.ref((*path, "fact"), fact, self.facts, "fact")
        if e.kind in ("offer", "counter"):
            self.package(path, e.document, e.package)
        if e.kind == "transition":
            states = self.v.lifecycle_specs.get(self.lifecycle_of(e.document))
            triggers = {t.trigger for t in states.transitions} if states else set()
            self.ref((*path, "trigger"), e.trigger, triggers, "lifecycle move")
        if e.kind == "derive":
            self.ref((*path, "source"), e.source, self.docs, "document")
        if e.kind == "supersede" and e.replacement is not None:
            self.ref((*path, "replacement"), e.replacement, self.docs, "document")
        if e.kind == "commitment":
            for j, d in enumerate(e.opens):
                self.ref((*path, "opens", j), d, self.deadlines, "deadline")
        if e.kind == "set_relation":
            self.ref((*path, "source"), e.source, self.top_parties, "party")
            self.ref((*path, "target"), e.target, self.top_parties, "party")
        if e.kind == "meet":
            for field_name in ("attendees", "absent"):
                for j, who in enumerate(getattr(e, field_name)):
                    self.ref((*path, field_name, j), who, self.parties, "party")
            for j, d in enumerate(e.documents):
                self.ref((*path, "documents", j), d, self.docs, "document")
        if e.kind == "request" or (e.kind == "offer" and e.to is not None):
            for j, who in enumerate(e.to or ()):
                self.ref((*path, "to", j), who, self.parties, "party")
        if e.kind == "statement":
            for j, who in enumerate(e.about):
                self.ref(
                    (*path, "about", j),
                    who.partition(".")[0],
                    self.parties | self.docs | {p.partition(".")[0] for p in self.parties},
                    "party or document",
                )
        self.participation(path, e)
        if e.kind == "extend_deadline" and e.condition is not None:
            self.condition((*path, "condition"), e.condition)
        if e.kind == "extend_deadline" and isinstance(d_id, str):
            spec = self.deadline_specs.get(d_id)
            if spec is not None and spec.due is not None and e.to.last_day <= spec.due.last_day:
                self.add(
                    (*path, "to"),
                    f"extension to {e.to.display()} is not after "
                    f"{d_id}'s due date {spec.due.display()}",
                )

    def participation(self, path: Path, e: Event) -> None:
        """The party of a suspend, readmit or exclude; an exclusion's ``until``; the
        parties of a join or leave."""
        if e.kind in ("suspend", "readmit", "exclude"):
            self.ref((*path, "party"), e.party, self.top_parties, "party")
        if e.kind == "exclude" and e.until is not None:
            self.condition((*path, "until"), e.until)
        if e.kind in ("join", "leave") and not e.by:
            self.add((*path, "by"), f"a {e.kind} needs the parties in 'by'")

    def package(self, path: Path, doc_id: str, package: dict[str, str | float]) -> None:
        """An offer's package: each point is one of the document's, declares options,
        and gets one of them."""
        doc = next(d for d in self.s.documents if d.id == doc_id)
        points = {} if doc.points == "unknown" else {p.id: p for p in doc.points}
        for pid, value in package.items():
            where: Path = (*path, "package", pid)
            if self.ref(where, pid, set(points), f"point of {doc_id}"):
                problem = points[pid].option_problem(value)
                if problem is not None:
                    self.add(where, problem)

    def lifecycle_of(self, doc: str) -> str:
        return self.lifecycles.get(doc, "document")


def check_scenario(scenario: Scenario) -> list[Problem]:
    """Every problem in a scenario that its field types alone do not catch."""
    return _Checker(scenario).run()
