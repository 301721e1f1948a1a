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

``Analysis`` is built in layers, each a module: ``_packages`` (the sample, a package's
utilities on a day, a package as the results show it), ``_frontier`` (the Pareto
frontier and the Nash package), ``_zone`` (the packages in the ZOPA, how many, best
first); what it gives is data in ``results`` (no rendering), importable from here too.
"""

from __future__ import annotations

import datetime as dt

from negotiation.analysis import bargaining as bg
from negotiation.analysis._packages import DIRECTIONS, Day
from negotiation.analysis._zone import Zone
from negotiation.analysis.agreement import Agreements, values_world
from negotiation.analysis.results import DayRow, OverResult, PackageView, PartyDay, ZopaResult
from negotiation.analysis.space import OutcomeSpace
from negotiation.analysis.utility import PartyUtility, describe_delay
from negotiation.model.errors import AnalysisError
from negotiation.runtime.engine import Engine

EXACT_LIMIT = 200_000
"""The largest outcome space enumerated exactly."""
SAMPLE = 20_000
"""Random packages drawn (seeded) when the space is larger than ``EXACT_LIMIT``."""
MAX_DAYS = 3660
"""The longest range ``over`` takes."""


def documents_with_interests(engine: Engine) -> list[str]:
    """The documents some interest values, in the scenario's order."""
    valued = {x.document for x in engine.scenario.interests}
    return [d.id for d in engine.scenario.documents if d.id in valued]


class Analysis(Zone):
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
        self.interests = [x for x in scenario.interests if x.document == document]
        doc = next(d for d in scenario.documents if d.id == document)
        self.space = OutcomeSpace.of(doc)
        self.utilities = [PartyUtility.of(x, self.space) for x in self.interests]
        self.conditions = {
            c.when: engine.parse(c.when) for x in self.interests for c in x.reservation.cases
        }
        self.start = engine.start_date()
        self.horizon = engine.horizon(branch)
        self.exact = self.space.size <= exact_limit
        self.seed = seed
        self.sample = sample
        self.exact_limit = exact_limit
        self.raw = []
        self.sampled = []
        self.pool = {}
        self.ranked = []
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

    def _day(self, day: dt.date) -> Day:
        worlds = None if self.agreements is None else self.agreements.worlds(day)
        return Day((day - self.start).days, tuple(self.batnas(day)), worlds)

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
