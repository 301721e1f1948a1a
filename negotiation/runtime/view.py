"""The condition language's view of a ``State`` (``conditions.Facts``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from negotiation.model.documents import threshold_shortfall
from negotiation.model.parties import relation_key
from negotiation.model.positions import position_key
from negotiation.model.scenario import Scenario
from negotiation.model.state import State


class StateView:
    """``conditions.Facts`` over a frozen state."""

    def __init__(
        self, required: Mapping[str, list[str] | None], work: State,
        scenario: Scenario | None = None,
    ) -> None:
        self.required = required
        self.work = work
        self.scenario = scenario

    @property
    def today(self) -> dt.date:
        return self.work.date

    def document_state(self, document: str) -> str:
        return self.work.documents[document].state

    def document_visited(self, document: str) -> tuple[str, ...]:
        return self.work.documents[document].visited

    def point_status(self, document: str, point: str) -> str:
        return self.work.documents[document].points.get(point, "open")

    def point_value(self, document: str, point: str) -> str | None:
        return self.work.documents[document].values.get(point)

    def offer_by(self, document: str) -> str | None:
        offer = self.work.documents[document].offer
        return None if offer is None else offer.by

    def stance(self, party: str, target: str) -> str:
        pos = self.work.positions.get(position_key(party, target))
        return pos.stance if pos is not None else "unknown"

    def relation(self, source: str, relation: str, target: str) -> bool:
        return relation_key(source, relation, target) in self.work.relations

    def fact_since(self, fact: str) -> dt.date | bool | None:
        if fact not in self.work.facts:  # false or unknown
            return False
        return self.work.facts[fact]

    def deadline_due(self, deadline: str) -> dt.date | None:
        return self.work.deadlines[deadline].due

    def deadline_status(self, deadline: str) -> str:
        return self.work.deadlines[deadline].status.value

    def signed_by(self, document: str) -> tuple[str, ...]:
        return self.work.documents[document].signed_by

    def ratified_by(self, document: str) -> tuple[str, ...]:
        return self.work.documents[document].ratified_by

    def required_parties(self, document: str) -> list[str] | None:
        return self.required.get(document)

    def standing(
        self, party: str, document: str
    ) -> tuple[str, dt.date, dt.date | None] | None:
        found = self.work.documents[document].parties.get(party)
        return None if found is None else (found.status, found.since, found.effective)

    def excluded(self, party: str) -> tuple[dt.date, str | None] | None:
        found = self.work.excluded.get(party)
        return None if found is None else (found.since, found.until)

    def failed_by(self, document: str) -> tuple[str, ...]:
        return self.work.documents[document].failed_by

    def weight(self, name: str) -> dict[str, float]:
        return {} if self.scenario is None else dict(self.scenario.weights.get(name, {}))

    def threshold_shortfall(self, document: str) -> list[str] | None:
        if self.scenario is None:
            return None
        doc = next(d for d in self.scenario.documents if d.id == document)
        spec = doc.entry_into_force
        if spec is None:
            return None
        weights = {} if spec.weight is None else self.scenario.weights.get(spec.weight, {})
        return threshold_shortfall(
            spec, list(doc.ratification_by), self.work.documents[document].ratified_by, weights
        )

    def rule_fired(self, rule: str) -> int:
        found = self.work.rules.get(rule)
        return 0 if found is None else found.fired

    def fact_unknown(self, fact: str) -> bool:
        return fact in self.work.unknown_facts
