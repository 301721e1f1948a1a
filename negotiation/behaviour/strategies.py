"""Strategies: what a party does at its turn when no one plays it.

Every strategy is a small immutable object behind one protocol, ``Strategy.move(view,
rng)``: given a ``View`` of the party's situation it returns its next ``Move``, to offer
a package, to accept the last offer received, or to walk away. A view holds

* the party's utility over the document's outcome space (``Ranking``: one undelayed
  utility per package, packages indexed as ``OutcomeSpace.packages()`` enumerates them),
* the time ``t``: the fraction of the way from the start to the party's deadline, from
  calendar dates the caller passes (``time_fraction``; extensions are the caller's due
  date),
* the offers received so far and the party's own, oldest first,
* its reservation value: the undelayed utility a package needs to be worth its BATNA on
  the day (``negotiation.analysis.utility.undelayed``; a cost of delay never changes which
  package a party prefers, so strategies rank packages on undelayed utilities).

Randomness comes only from the ``random.Random`` the caller passes.

**The package for a target utility** (``Ranking.choose``): among the packages worth at
least the target to the party (to ``EPS``), the one worth least; among equals, the one
with the lowest index, i.e. the first in ``OutcomeSpace.packages()`` order. This is
NegMAS's non-stochastic offering rule (the worst outcome within the aspiration range).

**Acceptance** (all kinds but ``responses``): AC_next. Accept the last offer received
when it is worth at least what the party would offer next and at least its reservation
value. Nothing is offered below the reservation value; a party for which no package
reaches it walks away.

**The concession floor** ``r`` of the time-based and tit-for-tat kinds is the larger of
the reservation value and the party's worst package (as NegMAS's ``ufun_min``): the curve
then ends at the least the party could still accept.

The kinds:

* ``TimeBased(e)``: target(t) = r + (best - r) * (1 - t ** (1 / e)) (Faratin, Sierra and
  Jennings 1998; NegMAS's ``PolyAspiration`` with exponent ``1 / e``). ``e < 1`` is
  Boulware (concedes late), ``e = 1`` linear, ``e > 1`` conceder.
* ``Hardliner``: always the best package.
* ``TitForTat``: relative tit-for-tat. The first offer is the best package. Then, when
  the other side's latest offer closes a fraction rho of the gap between its previous
  offer and the party's best (in the party's own utility), the party closes the same
  fraction of the gap between its own last offer and its floor: target = last - rho *
  (last - r). A retraction (rho < 0) reopens the same fraction of the gap between its
  last offer and its best: target = last + |rho| * (best - last); rho is clipped to
  [-1, 1]. Two tit-for-tat parties never make the first concession.
* ``RandomOffers``: a package drawn uniformly from those worth at least the reservation.
* ``Responses(accept, target)``: if-then rules. Accept an offer worth at least ``accept``
  (and at least the reservation: a rule never accepts less than no deal); otherwise
  counter with the package for ``target`` (raised to the reservation, lowered to the
  best package if above it).
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Protocol

from negotiation.analysis.bargaining import EPS
from negotiation.model.strategies import PartyStrategy, StrategyKind


def time_fraction(start: dt.date, day: dt.date, due: dt.date) -> float:
    """How far ``day`` is from ``start`` to ``due``, in [0, 1] (1 on and after the due
    date, and when the due date is not after the start)."""
    span = (due - start).days
    if span <= 0:
        return 1.0
    return min(1.0, max(0.0, (day - start).days / span))


@dataclass(frozen=True)
class Ranking:
    """A party's undelayed utility of every package, and the packages ranked by it.

    ``values[i]`` is the utility of package ``i``; ``order`` lists the package indices by
    (utility, index) ascending and ``ranked`` their utilities in that order."""

    values: tuple[float, ...]
    order: tuple[int, ...]
    ranked: tuple[float, ...]

    @classmethod
    def of(cls, values: Sequence[float]) -> Ranking:
        if not values:
            raise ValueError("an outcome space has at least one package")
        order = tuple(sorted(range(len(values)), key=lambda i: (values[i], i)))
        return cls(tuple(values), order, tuple(values[i] for i in order))

    def __call__(self, package: int) -> float:
        return self.values[package]

    @cached_property
    def best_first(self) -> tuple[int, ...]:
        """The package indices best first (equal ones in index order), made once."""
        values = self.values
        return tuple(sorted(range(len(values)), key=lambda i: (-values[i], i)))

    @property
    def best(self) -> float:
        return self.ranked[-1]

    @property
    def worst(self) -> float:
        return self.ranked[0]

    def choose(self, target: float) -> int | None:
        """The package for a target utility (see the module docstring); None if no
        package reaches it."""
        k = bisect.bisect_left(self.ranked, target - EPS)
        return self.order[k] if k < len(self.order) else None

    def at_least(self, floor: float) -> tuple[int, ...]:
        """Every package worth at least ``floor`` (to ``EPS``), least worth first."""
        return self.order[bisect.bisect_left(self.ranked, floor - EPS) :]


@dataclass(frozen=True)
class View:
    """What a party knows at its turn (see the module docstring)."""

    utility: Ranking
    time: float
    received: tuple[int, ...]
    sent: tuple[int, ...]
    reservation: float

    @property
    def floor(self) -> float:
        """The concession floor: the reservation value, or the worst package if higher."""
        return max(self.reservation, self.utility.worst)

    @property
    def hopeless(self) -> bool:
        """No package is worth the reservation value."""
        return self.utility.best < self.reservation - EPS


class MoveKind(StrEnum):
    offer = "offer"
    accept = "accept"
    walk_away = "walk_away"
    reject = "reject"  # a party's answer to a mediator's single text (``mediated``)


@dataclass(frozen=True)
class Move:
    """A party's move: offer ``package`` (an index of the outcome space), accept the last
    offer received, or walk away; in mediated rounds, reject the text (``package``: what
    the party would have offered instead)."""

    kind: MoveKind
    package: int | None = None

    @classmethod
    def offer(cls, package: int) -> Move:
        return cls(MoveKind.offer, package)

    @classmethod
    def accept(cls) -> Move:
        return cls(MoveKind.accept)

    @classmethod
    def walk_away(cls) -> Move:
        return cls(MoveKind.walk_away)


class Strategy(Protocol):
    """What every strategy kind offers: its name and its next move."""

    @property
    def kind(self) -> str: ...

    def move(self, view: View, rng: random.Random) -> Move: ...


def ac_next(view: View, proposal: int | None) -> Move:
    """Accept the last offer received if it is worth at least ``proposal`` (what the party
    would offer next) and its reservation value; otherwise offer ``proposal``; walk away
    if there is nothing to offer."""
    if proposal is None or view.hopeless:
        return Move.walk_away()
    if view.received:
        u = view.utility(view.received[-1])
        if u >= view.utility(proposal) - EPS and u >= view.reservation - EPS:
            return Move.accept()
    return Move.offer(proposal)


def concession(t: float, e: float, floor: float, best: float) -> float:
    """The time-dependent target: ``floor + (best - floor) * (1 - t ** (1 / e))``, with
    ``t`` clipped to [0, 1] (the best at 0, the floor at 1)."""
    t = min(1.0, max(0.0, t))
    return best - (best - floor) * float(t ** (1.0 / e))  # the same, and exactly best at 0


@dataclass(frozen=True)
class TimeBased:
    """Concession over time by exponent ``e`` (Boulware below 1, conceder above 1)."""

    e: float

    def __post_init__(self) -> None:
        if not self.e > 0:
            raise ValueError(f"the exponent e must be positive, got {self.e}")

    @property
    def kind(self) -> str:
        if self.e < 1:
            return "boulware"
        return "linear" if self.e == 1 else "conceder"

    def target(self, view: View) -> float:
        best = view.utility.best
        return min(best, concession(view.time, self.e, min(view.floor, best), best))

    def move(self, view: View, rng: random.Random) -> Move:
        return ac_next(view, view.utility.choose(self.target(view)))


@dataclass(frozen=True)
class Hardliner:
    """Always the best package; accepts only an offer worth as much."""

    @property
    def kind(self) -> str:
        return "hardliner"

    def move(self, view: View, rng: random.Random) -> Move:
        return ac_next(view, view.utility.choose(view.utility.best))


@dataclass(frozen=True)
class TitForTat:
    """Relative tit-for-tat: answers a concession with a like relative concession."""

    @property
    def kind(self) -> str:
        return "tit_for_tat"

    def target(self, view: View) -> float:
        u, best = view.utility, view.utility.best
        if not view.sent:
            return best
        last = u(view.sent[-1])
        floor = min(view.floor, best)
        rho = 0.0
        if len(view.received) >= 2:
            before, now = u(view.received[-2]), u(view.received[-1])
            room = best - before
            rho = 0.0 if room <= EPS else min(1.0, max(-1.0, (now - before) / room))
        moved = last - rho * (last - floor) if rho >= 0 else last - rho * (best - last)
        return min(best, max(floor, moved))

    def move(self, view: View, rng: random.Random) -> Move:
        return ac_next(view, view.utility.choose(self.target(view)))


@dataclass(frozen=True)
class RandomOffers:
    """A random package worth at least the reservation value (a baseline)."""

    @property
    def kind(self) -> str:
        return "random"

    def move(self, view: View, rng: random.Random) -> Move:
        if view.hopeless:
            return Move.walk_away()
        return ac_next(view, rng.choice(view.utility.at_least(view.reservation)))


@dataclass(frozen=True)
class Responses:
    """If-then rules: accept an offer worth at least ``accept``, else counter with the
    package for ``target``."""

    accept: float
    target: float

    @property
    def kind(self) -> str:
        return "responses"

    def move(self, view: View, rng: random.Random) -> Move:
        if view.hopeless:
            return Move.walk_away()
        u = view.utility
        if view.received and u(view.received[-1]) >= max(self.accept, view.reservation) - EPS:
            return Move.accept()
        package = u.choose(min(u.best, max(self.target, view.reservation)))
        return Move.walk_away() if package is None else Move.offer(package)


def from_spec(spec: PartyStrategy) -> Strategy:
    """The behaviour of a strategy a scenario declares."""
    kind = spec.kind
    if kind is StrategyKind.hardliner:
        return Hardliner()
    if kind is StrategyKind.tit_for_tat:
        return TitForTat()
    if kind is StrategyKind.random:
        return RandomOffers()
    if kind is StrategyKind.mediator:
        raise ValueError(
            f"{spec.party}'s mediator strategy drafts texts, it makes no offers: mediated "
            "rounds run it (negotiation.behaviour.mediated)"
        )
    if kind is StrategyKind.responses:
        assert spec.accept is not None  # the model checks both
        assert spec.target is not None
        return Responses(spec.accept, spec.target)
    e = spec.exponent
    assert e is not None  # every time-based kind has one
    return TimeBased(e)


__all__ = [
    "Hardliner",
    "Move",
    "MoveKind",
    "RandomOffers",
    "Ranking",
    "Responses",
    "Strategy",
    "TimeBased",
    "TitForTat",
    "View",
    "ac_next",
    "concession",
    "from_spec",
    "time_fraction",
]
