"""The world an agreement gives: the document states and facts a party's utility of a
package counts, on a day, beside the package's points.

An agreement on a package (``agreed``) is read on a view of the engine's state
(``TurnView.after``): one party offers the package, the other accepts it, and the
runtime applies both and settles the scenario's rules (a rule may move the document, or
another, to a new lifecycle state once its points are agreed). The documents' lifecycle
states are read on the state that gives; the facts as they stand. An agreement the
engine refuses (the document in a final state, a party not at the table) changes
nothing: the world is the state's own. The ZOPA reads it on the state at the close of
each day (``Agreements``); a strategy's seat at its turn (``live.Seat``).

Which package is agreed matters to the world only through the points whose agreed
option some condition of the scenario reads (``D.P is agreed on OPTION``): the world
is computed once per combination of those points' options (once when none is read).
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
from negotiation.runtime.turns import TurnView

Key = tuple[int, ...]
"""The options of the points whose agreed option a condition reads, in the space's order."""


@cache
def _events() -> TypeAdapter[Event]:
    return TypeAdapter(Event)


def values_world(interests: Sequence[Interest]) -> bool:
    """Whether some interest values document states or facts (else no world counts)."""
    return any(x.states or x.facts for x in interests)


def read_points(engine: Engine, space: OutcomeSpace) -> tuple[int, ...]:
    """The points of the space (their positions) whose agreed option a condition of the
    scenario reads: the world an agreement gives depends on these alone."""
    read = {
        n.point for node in engine.program.compiled.nodes() for n in cond.walk(node)
        if isinstance(n, PointValue) and n.document == space.document
    }  # fmt: skip
    return tuple(k for k, p in enumerate(space.points) if p.id in read)


def keys(space: OutcomeSpace, read: tuple[int, ...]) -> Iterator[tuple[Key, Package]]:
    """Each combination of the read points' options, with a package that has it."""
    for key in itertools.product(*(range(len(space.options[k])) for k in read)):
        package = [0] * len(space.points)
        for k, option in zip(read, key, strict=True):
            package[k] = option
        yield key, tuple(package)


def agreed(
    view: TurnView, space: OutcomeSpace, package: Package, offerer: str, accepter: str
) -> TurnView:
    """The state an agreement on ``package`` gives: ``offerer`` offers it on the view's
    day and ``accepter`` accepts it (the view's own state when the engine refuses)."""
    common = {"date": FuzzyDate.of(view.today), "document": space.document,
              "assumption": "an agreement supposed to value it: no source says it happened"}
    offer = _events().validate_python({
        **common, "id": "supposed_offer", "kind": "offer", "by": [offerer],
        "package": space.describe(package),
    })  # fmt: skip
    accept = _events().validate_python(
        {**common, "id": "supposed_accept", "kind": "accept_offer", "by": [accepter]}
    )
    return view.after((offer, accept))


def worlds(
    interest: Interest, view: TurnView, space: OutcomeSpace, read: tuple[int, ...],
    offerer: str, accepter: str,
) -> dict[Key, World]:
    """The world an agreement gives ``interest``'s party on the view's state, by key:
    the documents' states after the agreement, the facts as they stand."""
    return {
        key: world_of(interest, agreed(view, space, package, offerer, accepter).state,
                      view.fact)
        for key, package in keys(space, read)
    }  # fmt: skip


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
        self.read = read_points(engine, space)
        self._states: dict[dt.date, State] = {}

    @property
    def keyed(self) -> bool:
        """Whether the world depends on the package (a condition reads an agreed option)."""
        return bool(self.read)

    def key(self, package: Package) -> Key:
        return tuple(package[k] for k in self.read)

    def state(self, day: dt.date) -> State:
        """The engine's state at the close of ``day`` (computed once)."""
        found = self._states.get(day)
        if found is None:
            found = self._states[day] = self.engine.run(self.branch, until=day).final
        return found

    def worlds(self, day: dt.date) -> tuple[dict[Key, World], ...]:
        """Per party, the world an agreement gives on ``day``, by key: the first
        interested party offers, the second accepts."""
        view = self.engine.turn_view(self.state(day))
        parties = [x.party for x in self.interests]
        offerer, accepter = parties[0], parties[1 % len(parties)]
        return tuple(worlds(x, view, self.space, self.read, offerer, accepter)
                     for x in self.interests)  # fmt: skip


__all__ = ["Agreements", "Key", "agreed", "keys", "read_points", "values_world", "worlds"]
