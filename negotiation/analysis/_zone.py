"""The zone of possible agreement of an analysis on a day: the packages in it, how
many, and the best first by the Nash criterion."""

from __future__ import annotations

import bisect
import heapq
import math

from negotiation.analysis import bargaining as bg
from negotiation.analysis._frontier import Frontier
from negotiation.analysis._packages import Day
from negotiation.analysis.utility import NOWHERE, state_floor, state_utility


class Zone(Frontier):
    """The ZOPA on a day, over the frontier and the packages."""

    MARGIN = 1e-7
    """Around a raw floor, packages are checked on their utilities on the day themselves."""

    def _floors(self, d: Day) -> list[float]:
        """The utility of the points each party needs on that day to reach its BATNA (to
        the slack ``bargaining.EPS``); the world is then the same for every package."""
        return [
            state_floor(x, b - bg.EPS, NOWHERE if d.worlds is None else d.worlds[k][()], d.days)
            for k, (b, x) in enumerate(zip(d.batnas, self.interests, strict=True))
        ]

    def _accepts(self, vector: bg.Vector, d: Day, index: int) -> bool:
        """The definition of the ZOPA: every party's utility of the state an agreement
        on the package gives reaches its BATNA."""
        return bg.acceptable(self._on_day(vector, d, index), d.batnas)

    def _inside(self, d: Day) -> list[int]:
        """The packages (exact) or pooled packages (approximate) in the ZOPA, by index."""
        if not self.exact:
            return [i for i, v in sorted(self.pool.items()) if self._accepts(v, d, i)]
        if self._keyed:
            return [i for i in range(self.space.size) if self._accepts(self._raw_vector(i), d, i)]
        # a scan on the points' utilities (the state's utility is increasing in them, so
        # a floor on them says the same), narrowed to the party with the fewest packages
        # above its floor; packages within MARGIN of a floor are checked on their
        # utilities on the day
        floors = self._floors(d)
        lows = [f - self.MARGIN for f in floors]
        cuts = [
            (bisect.bisect_right(negated, -low), k)
            for k, ((negated, _), low) in enumerate(zip(self.ranked, lows, strict=True))
        ]
        count, k = min(cuts)
        chosen = self.ranked[k][1][:count]
        for j, (r, low) in enumerate(zip(self.raw, lows, strict=True)):
            if j != k:
                chosen = [i for i in chosen if r[i] >= low]
        highs = [f + self.MARGIN for f in floors]
        return sorted(
            i for i in chosen
            if all(r[i] >= h for r, h in zip(self.raw, highs, strict=True))
            or self._accepts(self._raw_vector(i), d, i)
        )  # fmt: skip

    def _zopa_size(self, d: Day) -> int:
        if self.exact:
            frontier = ((i, self._on_day(self._raw_vector(i), d, i)) for i in self._frontier(d))
            if bg.nash(frontier, d.batnas) is None:
                return 0  # an empty ZOPA has no frontier package either
            return len(self._inside(d))
        hits = sum(1 for i in self.sampled if self._accepts(self.pool[i], d, i))
        return round(hits / len(self.sampled) * self.space.size)

    def _by_nash(self, indices: list[int], d: Day, limit: int | None) -> list[int]:
        """``indices`` best first by the Nash criterion (then by index), at most ``limit``."""
        columns = []
        for k, (x, b) in enumerate(zip(self.interests, d.batnas, strict=True)):
            if self.exact:
                us = [self.raw[k][i] for i in indices]
            else:
                us = [self.pool[i][k] for i in indices]
            columns.append([
                max(0.0, state_utility(x, u, self._world(d, k, i), d.days) - b)
                for u, i in zip(us, indices, strict=True)
            ])  # fmt: skip
        keys = [(math.prod(g), math.fsum(g)) for g in zip(*columns, strict=True)]
        order = range(len(indices))
        if limit is None:
            best = sorted(order, key=lambda j: (keys[j], -indices[j]), reverse=True)
        else:
            best = heapq.nlargest(limit, order, key=lambda j: (keys[j], -indices[j]))
        return [indices[j] for j in best]
