"""A scenario compiled once: what every run, step and search of it shares.

The names it declares, its lifecycles as ``transitions`` Machines with their tables,
its conditions parsed once (``Compiled``), its rules and deadlines in the order they
are looked at (priority, then declaration), the required acceptances of its documents,
and its timelines (the base one and each branch) in the engine's total order. The engine
and the compiled runtime both read it; it holds no state of a run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from negotiation import conditions as cond
from negotiation.model.deadlines import Deadline
from negotiation.model.documents import Document
from negotiation.model.errors import ScenarioError
from negotiation.model.events import Event, UnknownFact
from negotiation.model.rules import Rule
from negotiation.model.scenario import Branch, Scenario
from negotiation.model.vocabulary import ScenarioVocabulary, scenario_events
from negotiation.runtime.lifecycles import Lifecycle
from negotiation.runtime.validate import check_scenario

MAX_SETTLE_STEPS = 1000
"""Rounds of deadline updates and rule firings within one settle before a loop is reported."""


@dataclass
class Compiled:
    """The scenario's conditions, parsed once."""

    rules: dict[str, cond.Node] = field(default_factory=dict)
    requirements: dict[str, cond.Node] = field(default_factory=dict)
    anchors: dict[str, cond.Node] = field(default_factory=dict)
    extensions: dict[str, cond.Node] = field(default_factory=dict)
    guards: dict[str, list[tuple[tuple[str, ...], cond.Node, str]]] = field(default_factory=dict)
    lifecycle_guards: dict[str, list[cond.Node]] = field(default_factory=dict)
    timed: list[cond.Node] = field(default_factory=list)
    invariants: dict[str, cond.Node] = field(default_factory=dict)

    def nodes(self) -> list[cond.Node]:
        """Every condition the scenario's rules, deadlines, guards and invariants hold."""
        out = [*self.rules.values(), *self.requirements.values(), *self.anchors.values(),
               *self.extensions.values(), *self.invariants.values()]
        out += [n for guards in self.guards.values() for _, n, _ in guards]
        out += [n for guards in self.lifecycle_guards.values() for n in guards]
        return out


class Program:
    """One scenario, checked and compiled once."""

    def __init__(self, scenario: Scenario) -> None:
        problems = check_scenario(scenario)
        if problems:
            raise ScenarioError(problems)
        self.scenario = scenario
        self.vocabulary = ScenarioVocabulary(scenario)
        self.lifecycles = {k: Lifecycle(v) for k, v in self.vocabulary.lifecycle_specs.items()}
        self.documents: dict[str, Document] = {d.id: d for d in scenario.documents}
        self.deadlines: dict[str, Deadline] = {d.id: d for d in scenario.deadlines}
        self.required: dict[str, list[str] | None] = {
            d.id: None if d.requires_acceptance == "unknown" else list(d.requires_acceptance)
            for d in scenario.documents
        }
        self.rule_order: list[Rule] = [
            r for _, _, r in sorted((r.priority, i, r) for i, r in enumerate(scenario.rules))
        ]
        self.deadline_order: list[Deadline] = [
            d for _, _, d in sorted((d.priority, i, d) for i, d in enumerate(scenario.deadlines))
        ]
        self.unknowable_facts: frozenset[str] = _unknowable_facts(scenario)
        """Facts that can be unknown (initially, or by an ``unknown_fact`` anywhere in
        the scenario): conditions over them are computed in three-valued logic."""
        self.compiled = self._compile()

    def parse(self, text: str) -> cond.Node:
        """Parse a condition against this scenario's names."""
        return cond.parse(text, self.vocabulary)

    def _compile(self) -> Compiled:
        c = Compiled()
        for r in self.scenario.rules:
            c.rules[r.id] = self.parse(r.when)
        for d in self.scenario.deadlines:
            if d.requirement is not None:
                c.requirements[d.id] = self.parse(d.requirement)
            if d.anchor is not None and d.anchor.condition is not None:
                c.anchors[d.id] = self.parse(d.anchor.condition)
            if d.conditional_extension is not None:
                c.extensions[d.id] = self.parse(d.conditional_extension.condition)
        for doc in self.scenario.documents:
            c.guards[doc.id] = [
                (tuple(g.triggers), self.parse(g.condition), g.reason or g.condition)
                for g in doc.depends_on
            ]
        for lc_id, lc in self.lifecycles.items():
            c.lifecycle_guards[lc_id] = [self.parse(g) for g in lc.guards]
        for inv in self.scenario.invariants:
            c.invariants[inv.id] = self.parse(inv.condition)
        timed = (cond.DateCmp, cond.FactHeld)
        # conditions whose value can change with the date alone: the clock stops on the
        # days they may flip (decision points' conditions too, so the explorer and the
        # sampler take a date-triggered decision on its day, not at the horizon)
        decisions = [self.parse(d.when) for d in self.scenario.decisions if d.when]
        c.timed = [
            node
            for node in [
                *c.rules.values(),
                *c.anchors.values(),
                *c.requirements.values(),
                *decisions,
            ]
            if any(isinstance(n, timed) for n in cond.walk(node))
        ]
        return c

    def start_date(self) -> dt.date:
        if self.scenario.start is not None:
            return self.scenario.start.sort_date
        dates = [e.date.sort_date for e in self.scenario.timeline if e.date is not None]
        return min(dates) if dates else dt.date(2000, 1, 1)

    def branch(self, name: str) -> Branch:
        for b in self.scenario.branches:
            if b.id == name:
                return b
        known = ", ".join(b.id for b in self.scenario.branches) or "none"
        raise ScenarioError.single(f"unknown branch {name!r} (branches: {known})")

    def timeline(self, branch: str | None = None) -> list[Event]:
        """The events of the base timeline or of a branch, in the engine's total order."""
        events = list(self.scenario.timeline)
        if branch is not None:
            b = self.branch(branch)
            if b.after is not None:
                cut = b.after.sort_date
                events = [e for e in events if e.date is not None and e.date.sort_date <= cut]
            removed = set(b.remove)
            events = [e for e in events if e.id not in removed] + list(b.add)
        order = {id(e): i for i, e in enumerate(events)}
        return sorted(
            events,
            key=lambda e: (e.date.sort_date if e.date else dt.date.min, e.priority, order[id(e)]),
        )

    def horizon(self, branch: str | None = None) -> dt.date | None:
        """The last day a run covers (the branch's horizon overrides the scenario's)."""
        if branch is not None:
            h = self.branch(branch).horizon
            if h is not None:
                return h.last_day
        return self.scenario.horizon.last_day if self.scenario.horizon else None


__all__ = ["MAX_SETTLE_STEPS", "Compiled", "Program"]


def _unknowable_facts(scenario: Scenario) -> frozenset[str]:
    """The facts a scenario starts unknown or makes unknown by an event (in its timeline,
    branches, rules, deadline consequences or decisions: ``scenario_events``)."""
    out = {f.id for f in scenario.facts if f.initially == "unknown"}
    out.update(e.fact for e in scenario_events(scenario) if isinstance(e, UnknownFact))
    return frozenset(out)
