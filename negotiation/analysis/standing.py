"""Where each party stands: its utility of a document's current text against its BATNA.

The current text of a document, on a state: each point's agreed option (the state's
values), else the option of the offer on the table, else open. With open points the
utility is a range: from every open point at the party's worst option to every one at
its best. The document states and facts the party values (``Interest.states``,
``facts``) count as they stand in the state; the cost of delay as of the state's day
(an agreement today). The BATNA is the first of the interest's cases whose condition
holds in the state, else its default.
"""

from __future__ import annotations

from dataclasses import dataclass

from negotiation.analysis.space import OutcomeSpace
from negotiation.analysis.utility import PartyUtility, state_utility, world_of
from negotiation.model.documents import option_text
from negotiation.model.errors import AnalysisError
from negotiation.model.state import State
from negotiation.runtime.engine import Engine


@dataclass(frozen=True)
class CurrentStanding:
    """One party's utility of one document's current text (``low`` to ``high``: equal
    when no point is open) against its BATNA."""

    party: str
    document: str
    low: float
    high: float
    open: tuple[str, ...]
    offered: tuple[str, ...]
    batna: float
    batna_because: str | None

    @property
    def verdict(self) -> str:
        if self.low >= self.batna:
            return "above its BATNA"
        if self.high < self.batna:
            return "below its BATNA"
        return "its BATNA lies within the range"


def standings(engine: Engine, state: State) -> list[CurrentStanding]:
    """Every interest's standing in ``state``, in the scenario's order (an interest in a
    document without options to value is left out)."""
    out = []
    view = engine.turn_view(state)
    days = (state.date - engine.start_date()).days
    for interest in engine.scenario.interests:
        doc = next(d for d in engine.scenario.documents if d.id == interest.document)
        try:
            space = OutcomeSpace.of(doc)
        except AnalysisError:
            continue
        tables = PartyUtility.of(interest, space).tables
        ds = state.documents[doc.id]
        pending = ds.offer.package if ds.offer is not None else {}
        low = high = 0.0
        open_: list[str] = []
        offered: list[str] = []
        for point, options, table in zip(space.points, space.options, tables, strict=True):
            texts = [option_text(o) for o in options]
            chosen = ds.values.get(point.id)
            if chosen is None and point.id in pending:
                chosen = pending[point.id]
                offered.append(point.id)
            if chosen is not None and chosen in texts:
                low += table[texts.index(chosen)]
                high += table[texts.index(chosen)]
            else:
                open_.append(point.id)
                low += min(table)
                high += max(table)
        world = world_of(interest, view.state, view.fact)
        low, high = (state_utility(interest, round(x, 9), world, days) for x in (low, high))
        case = interest.reservation.case(lambda when: engine.evaluate(when, state))
        batna = interest.reservation.default if case is None else case.value
        because = None if case is None else case.summary or case.when
        out.append(CurrentStanding(interest.party, doc.id, low, high, tuple(open_), tuple(offered),
                            batna, because))  # fmt: skip
    return out


__all__ = ["CurrentStanding", "standings"]
