"""The packages of an analysis on a day (``zopa.Analysis`` is built on this): the
sample of a space too large to enumerate, each package's utilities of the state an
agreement on it gives that day, and a package as the results show it."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from negotiation.analysis import bargaining as bg
from negotiation.analysis.agreement import Agreements, Key
from negotiation.analysis.results import PackageView
from negotiation.analysis.space import OutcomeSpace, Package
from negotiation.analysis.utility import (
    DIGITS,
    NOWHERE,
    Components,
    PartyUtility,
    World,
    state_utility,
)
from negotiation.conditions import Node
from negotiation.model.interests import Interest
from negotiation.runtime.engine import Engine

DIRECTIONS = 64
"""Weighted sums of the utilities maximised when the space is larger than ``EXACT_LIMIT``."""


@dataclass(frozen=True)
class Day:
    """What a day sets: the days since the start, the BATNAs (and the cases that set
    them), and per party the world an agreement gives, by key (None: no interest values
    the world)."""

    days: int
    found: tuple[tuple[float, str | None], ...]
    worlds: tuple[dict[Key, World], ...] | None

    @property
    def batnas(self) -> tuple[float, ...]:
        return tuple(b for b, _ in self.found)


class Packages:
    """An analysis's packages on a day; the attributes are set by ``Analysis.__init__``."""

    engine: Engine
    branch: str | None
    document: str
    interests: list[Interest]
    space: OutcomeSpace
    utilities: list[PartyUtility]
    conditions: dict[str, Node]
    start: dt.date
    horizon: dt.date | None
    exact: bool
    seed: int
    sample: int
    exact_limit: int
    raw: list[list[float]]  # exact: per party, every package's utility
    sampled: list[int]  # approximate: the random sample's indices
    pool: dict[int, bg.Vector]  # approximate: every package evaluated
    ranked: list[tuple[list[float], list[int]]]  # exact: per party, best first
    frontier: list[int]  # the frontier of the points' utilities
    agreements: Agreements | None

    def vector(self, package: Package) -> bg.Vector:
        return tuple(u(package) for u in self.utilities)

    def _prepare_sample(self) -> None:
        rng = random.Random(self.seed)  # noqa: S311 - a reproducible sample, not a secret
        size = self.space.size
        self.sampled = sorted({rng.randrange(size) for _ in range(self.sample)})
        for i in self.sampled:
            self.pool[i] = self.vector(self.space.package(i))
        k = len(self.utilities)
        for d in range(DIRECTIONS):
            weights = [1.0 if j == d else 0.0 for j in range(k)] if d < k else [
                rng.random() for _ in range(k)
            ]
            package = tuple(self._best_option(p, weights) for p in range(len(self.space.options)))
            self.pool[self.space.index(package)] = self.vector(package)

    def _best_option(self, point: int, weights: Sequence[float]) -> int:
        """The option of a point with the greatest weighted sum of utilities (the first
        among equals)."""

        def score(option: int) -> tuple[float, int]:
            total = sum(w * u.tables[point][option]
                        for w, u in zip(weights, self.utilities, strict=True))  # fmt: skip
            return (total, -option)

        return max(range(len(self.space.options[point])), key=score)

    def _world(self, d: Day, k: int, index: int) -> World:
        """Party ``k``'s world on the day of ``d`` after an agreement on package ``index``."""
        if d.worlds is None:
            return NOWHERE
        assert self.agreements is not None
        if not self.agreements.keyed:
            return d.worlds[k][()]
        return d.worlds[k][self.agreements.key(self.space.package(index))]

    def _on_day(self, vector: bg.Vector, d: Day, index: int) -> bg.Vector:
        """A package's utilities of the points, as each party's utility of the state an
        agreement on it gives that day (``utility.state_utility``)."""
        return tuple(
            state_utility(x, u, self._world(d, k, index), d.days)
            for k, (u, x) in enumerate(zip(vector, self.interests, strict=True))
        )

    def _components(self, index: int, d: Day) -> tuple[Components, ...] | None:
        if d.worlds is None:
            return None
        raw = self._raw_vector(index)
        return tuple(
            Components.of(x, u, self._world(d, k, index), d.days)
            for k, (u, x) in enumerate(zip(raw, self.interests, strict=True))
        )

    def _view(self, index: int, d: Day) -> PackageView:
        package = self.space.package(index)
        utilities = self._on_day(self._raw_vector(index), d, index)
        return PackageView(
            index=index,
            options=self.space.describe(package),
            labels=self.space.labels(package),
            utilities=utilities,
            gains=tuple(round(g, DIGITS) for g in bg.gains(utilities, d.batnas)),
            components=self._components(index, d),
        )

    def _raw_vector(self, index: int) -> bg.Vector:
        if self.exact:
            return tuple(r[index] for r in self.raw)
        found = self.pool.get(index)
        return found if found is not None else self.vector(self.space.package(index))
