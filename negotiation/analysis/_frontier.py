"""The Pareto frontier and the Nash package of an analysis on a day."""

from __future__ import annotations

from collections.abc import Iterable

from negotiation.analysis import bargaining as bg
from negotiation.analysis._packages import Day, Packages
from negotiation.analysis.space import Package


class Frontier(Packages):
    """The frontier and the Nash package on a day, over the packages."""

    @property
    def _keyed(self) -> bool:
        """Whether the world an agreement gives depends on the package."""
        return self.agreements is not None and self.agreements.keyed

    def _frontier(self, d: Day) -> list[int]:
        """The Pareto frontier on the day: the frontier of the points' utilities, unless
        the world an agreement gives depends on the package."""
        if not self._keyed:
            return self.frontier
        items: Iterable[bg.Candidate] = (
            ((i, self._raw_vector(i)) for i in range(self.space.size)) if self.exact
            else self.pool.items()
        )  # fmt: skip
        return bg.pareto((i, self._on_day(v, d, i)) for i, v in items)

    def _nash(self, d: Day) -> bg.Candidate | None:
        """The Nash package on the frontier (it lies on it: see ``bargaining.nash_key``);
        in an approximate analysis, improved by a local search and added to the pool."""
        batnas = d.batnas
        best = bg.nash(
            ((i, self._on_day(self._raw_vector(i), d, i)) for i in self._frontier(d)), batnas
        )
        if self.exact:
            return best

        def key(package: Package) -> tuple[float, ...]:
            vector = self._on_day(self.vector(package), d, self.space.index(package))
            shortfall = min(u - b for u, b in zip(vector, batnas, strict=True))
            if shortfall < -bg.EPS:
                return (0.0, shortfall, 0.0)  # outside the ZOPA: get closer to it
            return (1.0, *bg.nash_key(vector, batnas))

        start = self.space.package(best[0]) if best else self._closest(d)
        seen: dict[Package, tuple[float, ...]] = {}
        bg.climb(start, [len(o) for o in self.space.options], key, seen)
        for package in seen:
            self.pool.setdefault(self.space.index(package), self.vector(package))
        self.frontier = bg.pareto(self.pool.items())
        return bg.nash(
            ((i, self._on_day(self._raw_vector(i), d, i)) for i in self._frontier(d)), batnas
        )

    def _closest(self, d: Day) -> Package:
        """The pooled package whose worst-off party is least short of its BATNA."""

        def shortfall(item: tuple[int, bg.Vector]) -> tuple[float, int]:
            vector = self._on_day(item[1], d, item[0])
            return (min(u - b for u, b in zip(vector, d.batnas, strict=True)), -item[0])

        return self.space.package(max(self.pool.items(), key=shortfall)[0])

    def _frontier_order(
        self, front: list[int], d: Day, on_day: dict[int, bg.Vector]
    ) -> list[int]:
        """The frontier by the first party's utility, best first (on the points' utilities
        when the world is the same for every package, as they order alike)."""
        if d.worlds is None or not self._keyed:
            return sorted(front, key=lambda i: tuple(-x for x in self._raw_vector(i)))
        return sorted(front, key=lambda i: (tuple(-x for x in on_day[i]), i))
