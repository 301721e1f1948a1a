"""Strategy-driven runs at scale: many bargaining runs (``behaviour.live``) of a
scenario's two declared strategies on a document, each inside the engine's run.

``sample_bargains`` runs ``runs`` bargains; run ``i`` uses the seed ``run_seed(seed, i)``
(a hash of the pair), so a run's result does not depend on the process that ran it and
the result is the same for any worker count. It gives the outcome distribution (Wilson
95% intervals), the agreement day relative to the earlier due date (the deadline effect:
how many days before it the deal came, as a histogram) and each party's mean utility
with a 95% confidence interval (normal approximation).

``tournament`` runs a round-robin: every pair of strategies from two lists (``--grid
PARTY=S1,S2``), ``runs`` seeds each, and gives per pair the agreement rate, the mean
agreement day relative to the due date and the mean utilities.

``bargain_outcomes`` is ``explore`` for strategies: every outcome the strategies allow.
Deterministic strategies take one path; a strategy's random draws (``rng.choice``) are
followed into every option, depth first, up to ``max_paths`` paths.

Strategies and interests are assumptions; every result lists them.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from negotiation.behaviour.live import Rounds, run_bargaining
from negotiation.behaviour.protocol import BargainingOutcome
from negotiation.behaviour.scenario import Table, move_prefix
from negotiation.behaviour.strategies import Strategy, from_spec
from negotiation.model._base import Frozen
from negotiation.model.scenario import Scenario
from negotiation.model.strategies import PartyStrategy
from negotiation.runtime.engine import Engine
from negotiation.search.limits import Limits
from negotiation.search.sample import Share, _shares
from negotiation.search.workers import Pool, stopping

Z95 = 1.959963984540054
CHUNK = 16
"""Runs per chunk handed to a worker."""


def run_seed(seed: int, index: int) -> int:
    """The seed of run ``index``: a hash of ``(seed, index)``."""
    digest = hashlib.sha256(f"negotiation-bargain:{seed}:{index}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


@dataclass(frozen=True)
class Setting:
    """What every run of a sampling shares: the scenario, the document, who opens, the
    days between rounds, the branch, and strategies in place of the declared ones
    (party -> spec)."""

    scenario: Scenario
    document: str | None = None
    first: str | None = None
    days_per_round: int = 1
    branch: str | None = None
    strategies: tuple[PartyStrategy, ...] = ()


@dataclass(frozen=True)
class Result:
    """One run's outcome: how it ended, the package as text (or None), the day relative
    to the earlier due date (negative: before it), the utilities."""

    ended_by: str
    label: str
    agreed: bool
    days_to_due: int
    utilities: tuple[float, ...]


class _Bargainer:
    """A setting's engine and table, built once per process."""

    def __init__(self, setting: Setting) -> None:
        self.setting = setting
        self.engine = Engine(setting.scenario)
        self.table = Table.of(self.engine, setting.document, first=setting.first,
                              branch=setting.branch)  # fmt: skip
        self.prefix = move_prefix(setting.scenario, self.table.document)

    def bargaining(self, seed: int, strategies: dict[str, Strategy] | None = None,
                   rng: random.Random | None = None) -> Rounds:  # fmt: skip
        """The protocol the scenario picks (alternating offers or mediated rounds)."""
        chosen = {s.party: from_spec(s) for s in self.setting.strategies}
        chosen.update(strategies or {})
        b = self.table.rounds(self.engine, days_per_round=self.setting.days_per_round,
                              seed=seed, strategies=chosen)  # fmt: skip
        if rng is not None:
            b.rng = rng
        return b

    def run(self, seed: int, strategies: dict[str, Strategy] | None = None,
            rng: random.Random | None = None) -> Result:  # fmt: skip
        b = self.bargaining(seed, strategies, rng)
        run_bargaining(self.engine, b, self.setting.branch)
        return self.result(b.transcript().outcome, b)

    def result(self, o: BargainingOutcome, b: Rounds) -> Result:
        space = self.table.space
        if o.package is not None:
            label = "agreed: " + ", ".join(
                f"{p} {v}" for p, v in space.labels(space.package(o.package)).items()
            )
        elif o.ended_by == "walk_away":
            who = b.turns[-1].party if b.turns else "?"
            label = f"no agreement: {who} walked away"
        else:
            label = "no agreement by the deadline"
        due = o.due or o.day
        return Result(o.ended_by, label, o.agreed, (o.day - due).days, o.utilities)


_WORKER: _Bargainer | None = None


def _init(setting: Setting) -> None:
    global _WORKER  # noqa: PLW0603 - one bargainer per worker process
    _WORKER = _Bargainer(setting)


def _chunk(seed: int, indices: range, pair: tuple[PartyStrategy, ...] = ()) -> list[Result]:
    assert _WORKER is not None
    chosen = {s.party: from_spec(s) for s in pair}
    out = []
    for i in indices:
        if stopping():
            break
        out.append(_WORKER.run(run_seed(seed, i), chosen))
    return out


T = TypeVar("T")


def _gather(
    setting: Setting, calls: Sequence[tuple[Any, ...]], workers: int, limits: Limits
) -> list[list[Result]]:
    """``_chunk(*call)`` of every call, in order, in this process or on workers."""
    if workers <= 1:
        _init(setting)
        out = []
        for call in calls:
            if limits.check() is not None:
                break
            out.append(_chunk(*call))
        return out
    with Pool(workers, _init, (setting,)) as pool:
        found = list(pool.ordered(_chunk, calls, limits))
        if limits.stopped is not None:
            pool.close(now=True)
        return found


class Interval(Frozen):
    """A mean and its 95% confidence interval."""

    mean: float
    low: float
    high: float


def interval(values: Sequence[float]) -> Interval:
    """The mean of ``values`` with a normal-approximation 95% interval."""
    n = len(values)
    if n == 0:
        return Interval(mean=0.0, low=0.0, high=0.0)
    mean = math.fsum(values) / n
    var = math.fsum((v - mean) ** 2 for v in values) / (n - 1) if n > 1 else 0.0
    half = Z95 * math.sqrt(var / n)
    return Interval(mean=mean, low=mean - half, high=mean + half)


class DayCount(Frozen):
    days_to_due: int
    count: int


class BargainSampling(Frozen):
    """The distribution of many strategy-driven runs."""

    scenario: str
    document: str
    parties: list[str]
    strategies: list[str]
    runs: int
    seed: int
    workers: int
    days_per_round: int
    outcomes: list[Share]
    agreement: Share
    days: list[DayCount]
    utilities: dict[str, Interval]
    assumptions: list[str]
    elapsed: float
    stopped: str | None = None


def _describe(spec: PartyStrategy) -> str:
    extra = ""
    if spec.exponent is not None and spec.kind.value != "linear":
        extra = f" e {spec.exponent:g}"
    elif spec.accept is not None:
        extra = f" accept {spec.accept:g} target {spec.target:g}"
    return f"{spec.party}: {spec.kind.value}{extra}"


def _described(table: Table, specs: Sequence[PartyStrategy]) -> list[str]:
    """The strategies in words, the mediator's rule first."""
    m = table.mediator
    head = [] if m is None else [f"{m.party}: mediator" + (" (declared first draft)"
                                                            if m.draft else "")]
    return head + [_describe(s) for s in specs]


def _specs(b: _Bargainer, override: Sequence[PartyStrategy]) -> list[PartyStrategy]:
    by = {s.party: s for s in override}
    return [by.get(s.party, s) for s in b.table.specs]


def _assumptions(specs: Sequence[PartyStrategy], scenario: Scenario, table: Table) -> list[str]:
    doc, mediator = table.document, table.mediator
    out = [] if mediator is None else [f"mediator rule of {mediator.party}: "
                                       f"{mediator.assumption}"]
    out += [f"strategy of {s.party}: {s.assumption}" for s in specs]
    out += [f"interest of {x.party}: {x.assumption}" for x in scenario.interests
            if x.document == doc and x.party in {s.party for s in specs}]  # fmt: skip
    return out


def _summary(results: list[Result], parties: Sequence[str]) -> dict[str, Any]:
    n = len(results)
    counts: dict[str, int] = {}
    days: dict[int, int] = {}
    for r in results:
        counts[r.label] = counts.get(r.label, 0) + 1
        if r.agreed:
            days[r.days_to_due] = days.get(r.days_to_due, 0) + 1
    agreed = sum(1 for r in results if r.agreed)
    return {
        "outcomes": _shares(counts, n),
        "agreement": _shares({"agreement": agreed}, n)[0] if n else Share(
            label="agreement", count=0, share=0.0, low=0.0, high=1.0),
        "days": [DayCount(days_to_due=d, count=c) for d, c in sorted(days.items())],
        "utilities": {p: interval([r.utilities[k] for r in results])
                      for k, p in enumerate(parties)},
    }  # fmt: skip


def sample_bargains(
    setting: Setting, runs: int, seed: int, workers: int = 1, *,
    max_seconds: float | None = None, stop: Callable[[], bool] | None = None,
) -> BargainSampling:
    """``runs`` strategy-driven runs from ``seed`` (see the module docstring)."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    started = time.perf_counter()
    limits = Limits(max_seconds=max_seconds, stop=stop, started=started)
    b = _Bargainer(setting)
    calls = [(seed, range(i, min(runs, i + CHUNK))) for i in range(0, runs, CHUNK)]
    try:
        results = [r for chunk in _gather(setting, calls, workers, limits) for r in chunk]
    except KeyboardInterrupt:
        limits.stopped = "interrupted"
        results = []
    specs = _specs(b, setting.strategies)
    parties = tuple(s.party for s in specs)
    return BargainSampling(
        scenario=setting.scenario.id, document=b.table.document, parties=list(parties),
        strategies=_described(b.table, specs), runs=len(results), seed=seed,
        workers=workers, days_per_round=setting.days_per_round,
        **_summary(results, parties),
        assumptions=_assumptions(specs, setting.scenario, b.table),
        elapsed=time.perf_counter() - started, stopped=limits.stopped,
    )  # fmt: skip


class Match(Frozen):
    """One pair of a tournament."""

    strategies: dict[str, str]
    runs: int
    agreement: Share
    mean_days_to_due: float | None
    utilities: dict[str, Interval]


class Tournament(Frozen):
    scenario: str
    document: str
    parties: list[str]
    runs_per_pair: int
    seed: int
    workers: int
    matches: list[Match]
    assumptions: list[str]
    elapsed: float
    stopped: str | None = None


def tournament(
    setting: Setting, grid: dict[str, list[PartyStrategy]], runs: int, seed: int,
    workers: int = 1, *, max_seconds: float | None = None,
    stop: Callable[[], bool] | None = None,
) -> Tournament:
    """Every pair of the grid's strategies (a party left out keeps its declared one),
    ``runs`` seeds each, the same seeds for every pair; on a mediated document every
    combination of the parties' strategies (the mediator's rule stays)."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    started = time.perf_counter()
    limits = Limits(max_seconds=max_seconds, stop=stop, started=started)
    b = _Bargainer(setting)
    declared = _specs(b, setting.strategies)
    parties = tuple(d.party for d in declared)
    lists = [grid.get(d.party, [d]) for d in declared]
    pairs = list(itertools.product(*lists))  # one strategy per party (two, or more mediated)
    calls = [(seed, range(i, min(runs, i + CHUNK)), pair)
             for pair in pairs for i in range(0, runs, CHUNK)]  # fmt: skip
    try:
        chunks = _gather(setting, calls, workers, limits)
    except KeyboardInterrupt:
        limits.stopped = "interrupted"
        chunks = []
    per = max(1, math.ceil(runs / CHUNK))
    matches = []
    for k, pair in enumerate(pairs):
        results = [r for c in chunks[k * per:(k + 1) * per] for r in c]
        if not results:
            break
        s = _summary(results, parties)
        days = [r.days_to_due for r in results if r.agreed]
        matches.append(Match(
            strategies={p.party: _describe(p).split(": ", 1)[1] for p in pair},
            runs=len(results), agreement=s["agreement"],
            mean_days_to_due=math.fsum(days) / len(days) if days else None,
            utilities=s["utilities"],
        ))  # fmt: skip
    specs = [s for one in lists for s in one]
    return Tournament(
        scenario=setting.scenario.id, document=b.table.document, parties=list(parties),
        runs_per_pair=runs, seed=seed, workers=workers, matches=matches,
        assumptions=sorted(set(_assumptions(specs, setting.scenario, b.table))),
        elapsed=time.perf_counter() - started, stopped=limits.stopped,
    )  # fmt: skip


class _Branching(random.Random):
    """A generator that follows a prescribed list of choices and records how many
    options each draw had (for ``bargain_outcomes``)."""

    def __init__(self, path: list[int]) -> None:
        super().__init__(0)
        self.path = path
        self.widths: list[int] = []

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]
        k = len(self.widths)
        self.widths.append(len(seq))
        return seq[self.path[k] if k < len(self.path) else 0]

    def random(self) -> float:
        raise ValueError("bargain_outcomes follows rng.choice only")


class OutcomeCount(Frozen):
    label: str
    paths: int
    days_to_due: int | None
    utilities: dict[str, float]


class BargainOutcomes(Frozen):
    scenario: str
    document: str
    strategies: list[str]
    paths: int
    complete: bool
    outcomes: list[OutcomeCount]
    assumptions: list[str]


def bargain_outcomes(setting: Setting, max_paths: int = 10_000) -> BargainOutcomes:
    """Every outcome the strategies allow: each random draw followed into every option,
    depth first (see the module docstring); ``complete`` is False when ``max_paths``
    stopped it first."""
    b = _Bargainer(setting)
    found: dict[str, tuple[int, Result]] = {}
    path: list[int] | None = []
    paths = 0
    while path is not None and paths < max_paths:
        rng = _Branching(path)
        result = b.run(0, rng=rng)
        paths += 1
        count, _ = found.get(result.label, (0, result))
        found[result.label] = (count + 1, result)
        widths = rng.widths
        full = path + [0] * (len(widths) - len(path))
        path = None
        for k in range(len(widths) - 1, -1, -1):  # the next path, depth first
            if full[k] + 1 < widths[k]:
                path = [*full[:k], full[k] + 1]
                break
    specs = _specs(b, setting.strategies)
    parties = [s.party for s in specs]
    rows = [
        OutcomeCount(label=label, paths=count,
                     days_to_due=r.days_to_due if r.agreed else None,
                     utilities={p: r.utilities[k] for k, p in enumerate(parties)})
        for label, (count, r) in sorted(found.items(), key=lambda kv: (-kv[1][0], kv[0]))
    ]  # fmt: skip
    return BargainOutcomes(
        scenario=setting.scenario.id, document=b.table.document,
        strategies=_described(b.table, specs), paths=paths, complete=path is None,
        outcomes=rows, assumptions=_assumptions(specs, setting.scenario, b.table),
    )  # fmt: skip


__all__ = [
    "BargainOutcomes",
    "BargainSampling",
    "Match",
    "Setting",
    "Tournament",
    "bargain_outcomes",
    "interval",
    "run_seed",
    "sample_bargains",
    "tournament",
]
