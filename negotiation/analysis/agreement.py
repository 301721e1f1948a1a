"""The world an agreement gives: the document states and facts a party's utility of a
package counts, on a day, beside the package's points.

An agreement on a package on a day is read on the engine's state at the close of that
day (``Engine.run(branch, until=day).final``): the first interested party offers the
package, the second accepts it, and the engine applies both and settles the scenario's
rules (a rule may move the document, or another, to a new lifecycle state once its
points are agreed). The documents' lifecycle states are read on the state that gives;
the facts as they stand on the day. An agreement the engine refuses (the document in a
final state, a party not at the table) changes nothing: the world is the day's.

Which package is agreed matters to the world only through the points whose agreed
option some condition of the scenario reads (``point P of D is OPTION``): the world is
computed once per combination of those points' options (once a day when none is read).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Sequence
from functools import cache

from pydantic import TypeAdapter

from negotiation import conditions as cond
from negotiation.analysis.space import OutcomeSpace, Package
from negotiation.analysis.utility import World, world_of
from negotiation.conditions.syntax import PointValue
from negotiation.model.dates import FuzzyDate
from negotiation.model.events import Event
from negotiation.model.interests import Interest
from negotiation.model.state import State
from negotiation.runtime.engine import Engine

Key = tuple[int, ...]
"""The options of the points whose agreed option a condition reads, in the space's order."""


@cache
def _events() -> TypeAdapter[Event]:
    return TypeAdapter(Event)


def values_world(interests: Sequence[Interest]) -> bool:
    """Whether some interest values document states or facts (else no world counts)."""
    return any(x.states or x.facts for x in interests)


class Agreements:
    """The world an agreement on each package gives each party, day by day."""

    def __init__(
        self, engine: Engine, space: OutcomeSpace, interests: Sequence[Interest],
        branch: str | None,
    ) -> None:  # fmt: skip
        self.engine = engine
        self.space = space
        self.interests = tuple(interests)
        self.branch = branch
        read = {
            n.point for node in engine.program.compiled.nodes() for n in cond.walk(node)
            if isinstance(n, PointValue) and n.document == space.document
        }  # fmt: skip
        self.read: tuple[int, ...] = tuple(
            k for k, p in enumerate(space.points) if p.id in read
        )
        self._states: dict[dt.date, State] = {}

    @property
    def keyed(self) -> bool:
        """Whether the world depends on the package (a condition reads an agreed option)."""
        return bool(self.read)

    def key(self, package: Package) -> Key:
        return tuple(package[k] for k in self.read)

    def keys(self) -> Iterator[Key]:
        return itertools.product(*(range(len(self.space.options[k])) for k in self.read))

    def state(self, day: dt.date) -> State:
        """The engine's state at the close of ``day`` (computed once)."""
        found = self._states.get(day)
        if found is None:
            found = self._states[day] = self.engine.run(self.branch, until=day).final
        return found

    def agreed(self, day: dt.date, package: Package) -> State:
        """The state an agreement on ``package`` gives on ``day`` (the day's own state
        when the engine refuses it)."""
        state = self.state(day).model_copy(update={"closed": False})
        parties = [x.party for x in self.interests]
        offerer, accepter = parties[0], parties[1 % len(parties)]
        common = {"date": FuzzyDate.of(day), "document": self.space.document,
                  "assumption": "an agreement the ZOPA supposes: no source says it happened"}
        offer = _events().validate_python({
            **common, "id": "zopa_offer", "kind": "offer", "by": [offerer],
            "package": self.space.describe(package),
        })  # fmt: skip
        accept = _events().validate_python(
            {**common, "id": "zopa_accept", "kind": "accept_offer", "by": [accepter]}
        )
        state = self.engine.apply(state, offer).state
        return self.engine.apply(state, accept).state

    def worlds(self, day: dt.date) -> tuple[dict[Key, World], ...]:
        """Per party, the world an agreement gives on ``day``, by key."""
        facts = self.engine.turn_view(self.state(day))
        out: tuple[dict[Key, World], ...] = tuple({} for _ in self.interests)
        for key in self.keys():
            package = [0] * len(self.space.points)
            for k, option in zip(self.read, key, strict=True):
                package[k] = option
            after = self.engine.turn_view(self.agreed(day, tuple(package)))
            for x, found in zip(self.interests, out, strict=True):
                found[key] = world_of(x, after.state, facts.fact)
        return out


__all__ = ["Agreements", "Key", "values_world"]
