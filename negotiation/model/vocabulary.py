"""The names a scenario defines, as the condition parser and the validator see them."""

from __future__ import annotations

from functools import cached_property

from negotiation.model.documents import option_texts
from negotiation.model.events import Event, PublishPoints
from negotiation.model.lifecycles import DEFAULT_LIFECYCLES, LifecycleSpec
from negotiation.model.scenario import Scenario


class ScenarioVocabulary:
    """Implements ``conditions.Vocabulary`` for one scenario. Each set is built once
    (a condition looks names up in it, and a scenario may hold thousands of
    conditions): callers read the sets and never change them."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario

    @cached_property
    def lifecycle_specs(self) -> dict[str, LifecycleSpec]:
        specs = dict(DEFAULT_LIFECYCLES)
        specs.update({lc.id: lc for lc in self.scenario.lifecycles})
        return specs

    @cached_property
    def _parties(self) -> set[str]:
        out: set[str] = set()
        for p in self.scenario.parties:
            out.add(p.id)
            out.update(f"{p.id}.{b.id}" for b in p.bodies)
        return out

    @cached_property
    def _documents(self) -> dict[str, set[str]]:
        out = {d.id: set(d.point_ids()) for d in self.scenario.documents}
        for e in scenario_events(self.scenario):
            if isinstance(e, PublishPoints) and e.document in out:
                out[e.document].update(p.id for p in e.points)
        return out

    def parties(self) -> set[str]:
        return self._parties

    @cached_property
    def _document_ids(self) -> set[str]:
        return set(self._documents)

    @cached_property
    def _facts(self) -> set[str]:
        return {f.id for f in self.scenario.facts}

    @cached_property
    def _deadlines(self) -> set[str]:
        return {d.id for d in self.scenario.deadlines}

    @cached_property
    def _branches(self) -> set[str]:
        return {b.id for b in self.scenario.branches}

    @cached_property
    def _lifecycle_of(self) -> dict[str, str]:
        return {d.id: d.lifecycle for d in self.scenario.documents}

    def documents(self) -> set[str]:
        return self._document_ids

    def points(self, document: str) -> set[str]:
        return self._documents.get(document, set())

    @cached_property
    def _options(self) -> dict[tuple[str, str], list[str]]:
        out: dict[tuple[str, str], list[str]] = {}
        for d in self.scenario.documents:
            for p in [] if d.points == "unknown" else d.points:
                out[(d.id, p.id)] = option_texts(p)
        return out

    def options(self, document: str, point: str) -> list[str]:
        """A point's options as the state holds an agreed one (none: it declares none)."""
        return self._options.get((document, point), [])

    def document_states(self, document: str) -> set[str]:
        lifecycle = self._lifecycle_of.get(document)
        if lifecycle is None:
            return set()
        spec = self.lifecycle_specs.get(lifecycle)
        return set(spec.states) if spec is not None else set()

    def facts(self) -> set[str]:
        return self._facts

    def deadlines(self) -> set[str]:
        return self._deadlines

    def weights(self) -> set[str]:
        return set(self.scenario.weights)

    def rules(self) -> set[str]:
        return {r.id for r in self.scenario.rules}

    def branches(self) -> set[str]:
        return self._branches


def scenario_events(scenario: Scenario) -> list[Event]:
    """Every event a scenario holds: timeline, branches, rules' effects, consequences,
    decision alternatives."""
    out: list[Event] = list(scenario.timeline)
    for b in scenario.branches:
        out.extend(b.add)
    for r in scenario.rules:
        out.extend(r.then)
    for d in scenario.deadlines:
        if d.consequence is not None:
            out.extend(d.consequence.effects)
    for dp in scenario.decisions:
        for alt in dp.alternatives:
            out.extend(alt.events)
    return out
