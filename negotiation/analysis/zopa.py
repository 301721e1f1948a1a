"""The zone of possible agreement of a document on a day, and how it moves over time.

``Analysis(engine, document)`` prepares the outcome space of a document and each
interested party's utility; ``at(day)`` gives every party's BATNA and delay on that day,
the packages every party values at least at its BATNA (the ZOPA), the Pareto frontier
and the Nash bargaining solution (the ZOPA package that maximises the product of the
gains over the BATNAs, then their sum); ``over(start, end)`` does it for every day and
names the days the ZOPA opens and closes.

BATNAs that depend on conditions are read on the state the engine reaches at the close
of the day (``Engine.run(branch, until=day).final``). Delay counts the days since the
scenario's start.

**Exact up to ``EXACT_LIMIT`` packages** (200,000): every package is enumerated. Above
it the result is an approximation, and says so (``exact`` False, ``method``): a seeded
random sample of ``SAMPLE`` packages, plus the package that maximises each of
``DIRECTIONS`` weighted sums of the utilities (exact, since utilities are additive: the
best option of each point), plus a steepest-ascent local search for the Nash package
on each day; the ZOPA's size is then estimated from the random sample.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from negotiation.analysis import bargaining as bg
from negotiation.analysis.agreement import Agreements, Key, values_world
from negotiation.analysis.space import Option, OutcomeSpace, Package
from negotiation.analysis.utility import (
    DIGITS,
    NOWHERE,
    Components,
    PartyUtility,
    World,
    describe_delay,
    state_floor,
    state_utility,
)
from negotiation.conditions import Node
from negotiation.model.errors import AnalysisError
from negotiation.model.interests import Interest
from negotiation.runtime.engine import Engine

EXACT_LIMIT = 200_000
"""The largest outcome space enumerated exactly."""
SAMPLE = 20_000
"""Random packages drawn (seeded) when the space is larger than ``EXACT_LIMIT``."""
DIRECTIONS = 64
"""Weighted sums of the utilities maximised when the space is larger than ``EXACT_LIMIT``."""
MAX_DAYS = 3660
"""The longest range ``over`` takes."""


@dataclass(frozen=True)
class PartyDay:
    """One party on a day: its BATNA (and the case that set it), its delay, the best
    utility any package gives it that day."""

    party: str
    batna: float
    batna_because: str | None  # the condition of the case that set it; None: the default
    delay: str
    days: int
    best: float
    assumption: str


@dataclass(frozen=True)
class PackageView:
    """A package: its index, options, utilities on the day and gains over the BATNAs."""

    index: int
    options: dict[str, Option]
    labels: dict[str, str]
    utilities: tuple[float, ...]
    gains: tuple[float, ...]
    components: tuple[Components, ...] | None = None  # when an interest values the world


@dataclass(frozen=True)
class _Day:
    """What a day sets: the days since the start, the BATNAs (and the cases that set
    them), and per party the world an agreement gives, by key (None: no interest values
    the world)."""

    days: int
    found: tuple[tuple[float, str | None], ...]
    worlds: tuple[dict[Key, World], ...] | None

    @property
    def batnas(self) -> tuple[float, ...]:
        return tuple(b for b, _ in self.found)


@dataclass(frozen=True)
class ZopaResult:
    scenario: str
    document: str
    day: dt.date
    branch: str | None
    parties: tuple[PartyDay, ...]
    points: tuple[str, ...]
    space_size: int
    exact: bool
    method: str
    zopa_size: int  # estimated when not exact
    zopa: tuple[PackageView, ...]  # best first (by the Nash criterion), up to the limit
    frontier: tuple[PackageView, ...]  # by the first party's utility, best first
    frontier_size: int
    nash: PackageView | None


@dataclass(frozen=True)
class DayRow:
    day: dt.date
    batnas: tuple[float, ...]
    zopa_size: int
    nash: PackageView | None


@dataclass(frozen=True)
class OverResult:
    scenario: str
    document: str
    branch: str | None
    parties: tuple[str, ...]
    space_size: int
    exact: bool
    method: str
    days: tuple[DayRow, ...]
    opens: tuple[dt.date, ...]  # days the ZOPA is non-empty after an empty day
    closes: tuple[dt.date, ...]  # days the ZOPA is empty after a non-empty day

    @property
    def ripe(self) -> dt.date | None:
        """The first day the ZOPA opens (None if it never opens in the range)."""
        return self.opens[0] if self.opens else None


def documents_with_interests(engine: Engine) -> list[str]:
    """The documents some interest values, in the scenario's order."""
    valued = {x.document for x in engine.scenario.interests}
    return [d.id for d in engine.scenario.documents if d.id in valued]


class Analysis:
    """The bargaining analysis of one document of a scenario (see the module docstring)."""

    def __init__(
        self,
        engine: Engine,
        document: str | None = None,
        branch: str | None = None,
        exact_limit: int = EXACT_LIMIT,
        seed: int = 0,
        sample: int = SAMPLE,
    ) -> None:
        scenario = engine.scenario
        valued = documents_with_interests(engine)
        if not valued:
            raise AnalysisError(
                f"scenario {scenario.id!r} declares no interests: the analysis needs "
                "parties' interests in a document's options (see docs/writing-scenarios.md)"
            )
        if document is None:
            if len(valued) > 1:
                raise AnalysisError(f"name a document: interests value {', '.join(valued)}")
            document = valued[0]
        if document not in valued:
            known = {d.id for d in scenario.documents}
            what = "no interest values document" if document in known else "unknown document"
            raise AnalysisError(
                f"{what} {document!r}; documents with interests: {', '.join(valued)}"
            )
        self.engine = engine
        self.branch = branch
        self.document = document
        self.interests: list[Interest] = [x for x in scenario.interests if x.document == document]
        doc = next(d for d in scenario.documents if d.id == document)
        self.space = OutcomeSpace.of(doc)
        self.utilities = [PartyUtility.of(x, self.space) for x in self.interests]
        self.conditions: dict[str, Node] = {
            c.when: engine.parse(c.when) for x in self.interests for c in x.reservation.cases
        }
        self.start = engine.start_date()
        self.horizon = engine.horizon(branch)
        self.exact = self.space.size <= exact_limit
        self.seed = seed
        self.sample = sample
        self.exact_limit = exact_limit
        self.raw: list[list[float]] = []  # exact: per party, every package's utility
        self.sampled: list[int] = []  # approximate: the random sample's indices
        self.pool: dict[int, bg.Vector] = {}  # approximate: every package evaluated
        self.ranked: list[tuple[list[float], list[int]]] = []  # exact: per party, best first
        if self.exact:
            self.raw = [u.every() for u in self.utilities]
            for r in self.raw:
                order = sorted(range(len(r)), key=r.__getitem__, reverse=True)
                self.ranked.append(([-r[i] for i in order], order))
            candidates = list(enumerate(zip(*self.raw, strict=True)))
        else:
            self._prepare_sample()
            candidates = list(self.pool.items())
        self.frontier = bg.pareto(candidates)
        self.agreements = (Agreements(engine, self.space, self.interests, branch)
                           if values_world(self.interests) else None)  # fmt: skip

    # -- preparation ---------------------------------------------------------------------
    @property
    def method(self) -> str:
        if self.exact:
            return f"exact: all {self.space.size:,} packages"
        return (
            f"approximate: {self.space.size:,} packages are more than {self.exact_limit:,}; "
            f"a random sample of {len(self.sampled):,} (seed {self.seed}), the best packages "
            f"of {DIRECTIONS} weighted sums, and a local search for the Nash package"
        )

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

    # -- one day -------------------------------------------------------------------------
    def check_day(self, day: dt.date) -> int:
        if day < self.start:
            raise AnalysisError(f"{day} is before the scenario starts ({self.start})")
        if self.horizon is not None and day > self.horizon:
            raise AnalysisError(f"{day} is after the scenario's horizon ({self.horizon})")
        return (day - self.start).days

    def batnas(self, day: dt.date) -> list[tuple[float, str | None]]:
        """Each party's BATNA on ``day`` and the condition that set it (None: default)."""
        if not self.conditions:
            return [(x.reservation.default, None) for x in self.interests]
        if self.agreements is not None:
            state = self.agreements.state(day)
        else:
            state = self.engine.run(self.branch, until=day).final
        out: list[tuple[float, str | None]] = []
        for x in self.interests:
            case = x.reservation.case(
                lambda when: self.engine.evaluate(self.conditions[when], state)
            )
            out.append((x.reservation.default, None) if case is None else (case.value, case.when))
        return out

    def _day(self, day: dt.date) -> _Day:
        worlds = None if self.agreements is None else self.agreements.worlds(day)
        return _Day((day - self.start).days, tuple(self.batnas(day)), worlds)

    def _world(self, d: _Day, k: int, index: int) -> World:
        """Party ``k``'s world on the day of ``d`` after an agreement on package ``index``."""
        if d.worlds is None:
            return NOWHERE
        assert self.agreements is not None
        if not self.agreements.keyed:
            return d.worlds[k][()]
        return d.worlds[k][self.agreements.key(self.space.package(index))]

    def _on_day(self, vector: bg.Vector, d: _Day, index: int) -> bg.Vector:
        """A package's utilities of the points, as each party's utility of the state an
        agreement on it gives that day (``utility.state_utility``)."""
        return tuple(
            state_utility(x, u, self._world(d, k, index), d.days)
            for k, (u, x) in enumerate(zip(vector, self.interests, strict=True))
        )

    def _components(self, index: int, d: _Day) -> tuple[Components, ...] | None:
        if d.worlds is None:
            return None
        raw = self._raw_vector(index)
        return tuple(
            Components.of(x, u, self._world(d, k, index), d.days)
            for k, (u, x) in enumerate(zip(raw, self.interests, strict=True))
        )

    def _view(self, index: int, d: _Day) -> PackageView:
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

    MARGIN = 1e-7
    """Around a raw floor, packages are checked on their utilities on the day themselves."""

    @property
    def _keyed(self) -> bool:
        """Whether the world an agreement gives depends on the package."""
        return self.agreements is not None and self.agreements.keyed

    def _floors(self, d: _Day) -> list[float]:
        """The utility of the points each party needs on that day to reach its BATNA (to
        the slack ``bargaining.EPS``); the world is then the same for every package."""
        return [
            state_floor(x, b - bg.EPS, NOWHERE if d.worlds is None else d.worlds[k][()], d.days)
            for k, (b, x) in enumerate(zip(d.batnas, self.interests, strict=True))
        ]

    def _accepts(self, vector: bg.Vector, d: _Day, index: int) -> bool:
        """The definition of the ZOPA: every party's utility of the state an agreement
        on the package gives reaches its BATNA."""
        return bg.acceptable(self._on_day(vector, d, index), d.batnas)

    def _frontier(self, d: _Day) -> list[int]:
        """The Pareto frontier on the day: the frontier of the points' utilities, unless
        the world an agreement gives depends on the package."""
        if not self._keyed:
            return self.frontier
        items: Iterable[bg.Candidate] = (
            ((i, self._raw_vector(i)) for i in range(self.space.size)) if self.exact
            else self.pool.items()
        )  # fmt: skip
        return bg.pareto((i, self._on_day(v, d, i)) for i, v in items)

    def _nash(self, d: _Day) -> bg.Candidate | None:
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

    def _closest(self, d: _Day) -> Package:
        """The pooled package whose worst-off party is least short of its BATNA."""

        def shortfall(item: tuple[int, bg.Vector]) -> tuple[float, int]:
            vector = self._on_day(item[1], d, item[0])
            return (min(u - b for u, b in zip(vector, d.batnas, strict=True)), -item[0])

        return self.space.package(max(self.pool.items(), key=shortfall)[0])

    def _inside(self, d: _Day) -> list[int]:
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

    def _zopa_size(self, d: _Day) -> int:
        if self.exact:
            frontier = ((i, self._on_day(self._raw_vector(i), d, i)) for i in self._frontier(d))
            if bg.nash(frontier, d.batnas) is None:
                return 0  # an empty ZOPA has no frontier package either
            return len(self._inside(d))
        hits = sum(1 for i in self.sampled if self._accepts(self.pool[i], d, i))
        return round(hits / len(self.sampled) * self.space.size)

    def _by_nash(self, indices: list[int], d: _Day, limit: int | None) -> list[int]:
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

    def at(self, day: dt.date, limit: int | None = None) -> ZopaResult:
        """The analysis on ``day``; ``limit`` caps the ZOPA and frontier packages listed
        (None: all)."""
        self.check_day(day)
        d = self._day(day)
        nash = self._nash(d)
        inside = self._inside(d)
        ranked = self._by_nash(inside, d, limit)
        front = self._frontier(d)
        on_day = {i: self._on_day(self._raw_vector(i), d, i) for i in front}
        order = self._frontier_order(front, d, on_day)
        parties = tuple(
            PartyDay(
                party=x.party,
                batna=b,
                batna_because=because,
                delay=describe_delay(x.delay),
                days=d.days,
                best=max(on_day[i][k] for i in front),
                assumption=x.assumption or "",
            )
            for k, (x, (b, because)) in enumerate(zip(self.interests, d.found, strict=True))
        )
        return ZopaResult(
            scenario=self.engine.scenario.id,
            document=self.document,
            day=day,
            branch=self.branch,
            parties=parties,
            points=self.space.point_ids,
            space_size=self.space.size,
            exact=self.exact,
            method=self.method,
            zopa_size=self._zopa_size(d),
            zopa=tuple(self._view(i, d) for i in ranked),
            frontier=tuple(
                self._view(i, d) for i in order[: len(order) if limit is None else limit]
            ),
            frontier_size=len(order),
            nash=self._view(nash[0], d) if nash else None,
        )

    def _frontier_order(
        self, front: list[int], d: _Day, on_day: dict[int, bg.Vector]
    ) -> list[int]:
        """The frontier by the first party's utility, best first (on the points' utilities
        when the world is the same for every package, as they order alike)."""
        if d.worlds is None or not self._keyed:
            return sorted(front, key=lambda i: tuple(-x for x in self._raw_vector(i)))
        return sorted(front, key=lambda i: (tuple(-x for x in on_day[i]), i))

    # -- a range of days -----------------------------------------------------------------
    def over(self, start: dt.date, end: dt.date) -> OverResult:
        """The ZOPA's size and Nash package on every day from ``start`` to ``end``."""
        if end < start:
            raise AnalysisError(f"the range ends ({end}) before it starts ({start})")
        if (end - start).days + 1 > MAX_DAYS:
            raise AnalysisError(f"a range of at most {MAX_DAYS:,} days, please")
        self.check_day(start)
        self.check_day(end)
        rows: list[DayRow] = []
        opens: list[dt.date] = []
        closes: list[dt.date] = []
        day = start
        while day <= end:
            d = self._day(day)
            size = self._zopa_size(d)
            nash = self._nash(d)
            if rows and (rows[-1].zopa_size > 0) != (size > 0):
                (opens if size > 0 else closes).append(day)
            view = self._view(nash[0], d) if nash else None
            rows.append(DayRow(day, d.batnas, size, view))
            day += dt.timedelta(days=1)
        return OverResult(
            scenario=self.engine.scenario.id,
            document=self.document,
            branch=self.branch,
            parties=tuple(x.party for x in self.interests),
            space_size=self.space.size,
            exact=self.exact,
            method=self.method,
            days=tuple(rows),
            opens=tuple(opens),
            closes=tuple(closes),
        )


__all__ = [
    "EXACT_LIMIT",
    "SAMPLE",
    "Analysis",
    "DayRow",
    "OverResult",
    "PackageView",
    "PartyDay",
    "ZopaResult",
    "documents_with_interests",
]
