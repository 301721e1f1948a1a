"""Utilities: what a package is worth to a party, on a day, against its BATNA.

The utility of a package is the weighted mean of the values of its options (weights
normalised to sum 1, so it lies in [0, 1]); points a party does not value weigh 0. On a
day ``d`` days after the scenario's start, a cost of delay lowers it: times ``δ ** d``
with a daily discount factor, minus ``c * d`` with a cost per day (which can take it
below 0: the deal is then worth less than nothing to that party). Both are strictly
increasing in the undelayed utility, so a delay never changes which packages a party
prefers, only how they compare with its BATNA.

A party's utility of a state (``state_utility``) is the one sum every caller uses:
the text's utility times the points' share of the weights, plus the weighted values of
the document states and facts its interest values (``world_of``), less the cost of
delay. ``Components`` gives the parts.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from negotiation.analysis.space import Option, OutcomeSpace, Package
from negotiation.model.interests import Delay, Interest, PointInterest

DIGITS = 12
"""Utilities are rounded to this many decimals, so that packages whose values add up
to the same number compare equal whatever the order of the additions."""


def point_value(pi: PointInterest, option: Option) -> float:
    """The value in [0, 1] a party gives one option of a point."""
    if pi.values is not None:
        return pi.values[str(option)]
    x = float(option)
    if pi.linear is not None:
        lo, hi = pi.linear.worst, pi.linear.best
        return min(1.0, max(0.0, (x - lo) / (hi - lo)))
    points = pi.piecewise or []
    xs = [p[0] for p in points]
    if x <= xs[0]:
        return points[0][1]
    if x >= xs[-1]:
        return points[-1][1]
    k = bisect.bisect_right(xs, x)
    (x0, v0), (x1, v1) = points[k - 1], points[k]
    return v0 + (v1 - v0) * (x - x0) / (x1 - x0)


@dataclass(frozen=True)
class PartyUtility:
    """One party's utility over an outcome space: per point, the weighted value of each
    option (weights divided by their sum)."""

    party: str
    interest: Interest
    tables: tuple[tuple[float, ...], ...]

    @classmethod
    def of(cls, interest: Interest, space: OutcomeSpace) -> PartyUtility:
        total = sum(pi.weight for pi in interest.points.values())
        tables = []
        for point, options in zip(space.points, space.options, strict=True):
            pi = interest.points.get(point.id)
            if pi is None:
                tables.append(tuple(0.0 for _ in options))
            else:
                tables.append(tuple(pi.weight / total * point_value(pi, o) for o in options))
        return cls(interest.party, interest, tuple(tables))

    def __call__(self, package: Package) -> float:
        return round(sum(t[i] for t, i in zip(self.tables, package, strict=True)), DIGITS)

    def every(self) -> list[float]:
        """The utility of every package of the space, in index order."""
        out = [0.0]
        for table in self.tables:
            out = [a + b for a in out for b in table]
        return [round(u, DIGITS) for u in out]


def points_share(interest: Interest) -> float:
    """The points' share of an interest's weights: 1 unless it values ``states`` or
    ``facts`` too (their weights join the points' in the weighted mean)."""
    points = sum(pi.weight for pi in interest.points.values())
    world = sum(v.weight for v in interest.states.values()) + sum(
        v.weight for v in interest.facts.values()
    )
    return points / (points + world)


@dataclass(frozen=True)
class World:
    """The parts of a party's utility the world gives beside the text (each already a
    part of the weighted mean, 0 when the interest values none): its document states'
    and its facts'."""

    states: float = 0.0
    facts: float = 0.0

    @property
    def value(self) -> float:
        return self.states + self.facts


NOWHERE = World()
"""The world of an interest that values no document state and no fact."""


def world_of(
    interest: Interest, state_of: Callable[[str], str], holds: Callable[[str], bool]
) -> World:
    """The weighted values of the document states and facts an interest values, as parts
    of its utility: ``state_of(document)`` gives a document's lifecycle state,
    ``holds(fact)`` whether a fact holds."""
    if not interest.states and not interest.facts:
        return NOWHERE
    total = sum(pi.weight for pi in interest.points.values())
    states = facts = 0.0
    for doc, sv in interest.states.items():
        total += sv.weight
        states += sv.weight * sv.values.get(state_of(doc), sv.otherwise)
    for fact, fv in interest.facts.items():
        total += fv.weight
        facts += fv.weight * (fv.holds if holds(fact) else fv.otherwise)
    return World(states / total, facts / total)


def world_value(
    interest: Interest, state_of: Callable[[str], str], holds: Callable[[str], bool]
) -> float:
    """The weighted value of the document states and facts an interest values, as a part
    of its utility (0 when it values none); see ``world_of``."""
    return world_of(interest, state_of, holds).value


def in_world(utility: float, interest: Interest, world: float) -> float:
    """A package's utility of the points (``PartyUtility``) as a part of the whole, with
    the world's part (``world_value``) added; the package's utility itself when the
    interest values no state or fact."""
    if not interest.states and not interest.facts:
        return utility
    return round(points_share(interest) * utility + world, DIGITS)


def state_utility(interest: Interest, points: float, world: World | float, days: int) -> float:
    """**A party's utility of a state**, the one definition (``show``, the ZOPA, the
    Pareto frontier, the Nash solution and the strategies all call it): the utility of
    the text's points (``PartyUtility``, in [0, 1]) weighted by the points' share, plus
    the world's part (its document states and facts, ``world_of``), less the cost of
    ``days`` days of delay."""
    value = world.value if isinstance(world, World) else world
    return delayed(in_world(points, interest, value), interest.delay, days)


def state_floor(interest: Interest, target: float, world: World | float, days: int) -> float:
    """The utility of the points a state needs so that ``state_utility`` reaches
    ``target`` (its inverse in ``points``)."""
    value = world.value if isinstance(world, World) else world
    needed = undelayed(target, interest.delay, days)
    if not interest.states and not interest.facts:
        return needed
    return (needed - value) / points_share(interest)


@dataclass(frozen=True)
class Components:
    """A party's utility of a state in its parts: the points', the document states', the
    facts', and what delay takes (0 or less); ``total`` is ``state_utility``."""

    points: float
    states: float
    facts: float
    delay: float
    total: float

    @classmethod
    def of(cls, interest: Interest, points: float, world: World, days: int) -> Components:
        total = state_utility(interest, points, world, days)
        share = round(points_share(interest) * points, DIGITS)
        undelayed_total = in_world(points, interest, world.value)
        return cls(share, round(world.states, DIGITS), round(world.facts, DIGITS),
                   round(total - undelayed_total, DIGITS), total)  # fmt: skip


def delayed(utility: float, delay: Delay | None, days: int) -> float:
    """A utility ``days`` days after the start, its cost of delay applied."""
    if delay is None or days <= 0:
        return utility
    if delay.discount is not None:
        return round(utility * delay.discount**days, DIGITS)
    return round(utility - (delay.per_day or 0.0) * days, DIGITS)


def undelayed(threshold: float, delay: Delay | None, days: int) -> float:
    """The undelayed utility a package needs so that, delayed ``days`` days, it is
    worth ``threshold`` (the inverse of ``delayed``)."""
    if delay is None or days <= 0:
        return threshold
    if delay.discount is not None:
        return threshold / delay.discount**days
    return threshold + (delay.per_day or 0.0) * days


def describe_delay(delay: Delay | None) -> str:
    if delay is None:
        return "none"
    if delay.discount is not None:
        return f"discount {delay.discount:g} a day"
    return f"{delay.per_day:g} a day"


def all_utilities(parties: Sequence[PartyUtility]) -> list[list[float]]:
    """Every party's utility of every package, in index order."""
    return [p.every() for p in parties]
