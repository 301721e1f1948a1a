"""Monte Carlo: many runs, each choosing at random where the scenario forks.

Each run first picks its timeline: a branch with a ``probability`` is taken with that
probability, the base timeline with what is left of 1 (branches without a probability
are what-ifs with no stated likelihood and are not sampled). Then it walks the same
space as the explorer; at a decision point it picks an option by the weights of
``decisions.option_weights`` (labelled probabilities; the rest shared equally), among
the options that are not blocked. Every probability is an assumption and is listed as
one in the result.

Run ``i`` draws from ``random.Random`` seeded by a hash of ``(seed, i)``, so a run's
result does not depend on which process ran it: the results are identical for every
worker count. Shares come with Wilson 95% confidence intervals.

Sampler version 2 (``SAMPLER_VERSION``, recorded in the result) applies only the drawn
option at a decision (``CompiledSpace.choose``): an option that turns out blocked is dropped
and the draw repeated among the others, the same distribution as version 1's (apply
every option, draw among those not blocked) at a fraction of the cost; at a free
decision without labelled probabilities it draws among the candidate moves, drawing
again when the engine blocks one (uniform over the legal moves, as before). A run that
meets a blocked option or candidate uses its generator differently, so for the same
seed such runs, and the counts, can differ from version 1's; runs that meet none are
the same.

Runs walk the compiled runtime's tuple states (``negotiation.runtime.compiled``); the
engine's ``State`` is built only to name the invariants a step breaks.

Bounds: ``max_seconds``, ``max_memory`` (MiB, the whole process tree, see
``search.limits``) and the caller's ``stop()``, checked between runs (with workers,
between chunks and while waiting for one); a bound reached, or KeyboardInterrupt, gives
a partial result over the runs done, runs ``0`` to ``runs - 1`` (the same runs for any
worker count), whose ``stopped`` says why.
"""

from __future__ import annotations

import gc
import hashlib
import math
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from negotiation.model._base import Frozen
from negotiation.model.errors import NegotiationError, ScenarioError
from negotiation.model.scenario import Scenario, decision_assumptions, list_assumptions
from negotiation.runtime.compiled.space import CompiledSpace, compile_space
from negotiation.runtime.space import Space
from negotiation.search.limits import Limits
from negotiation.search.workers import Pool, stopping

Z95 = 1.959963984540054
SAMPLER_VERSION = 2
"""Which random stream a seed gives (see the module docstring); in every result."""
MAX_RUN_STEPS = 100_000
CHUNKS_PER_WORKER = 16
"""Runs are handed to worker processes in this many chunks per worker: the last chunk
to finish keeps only one worker busy, so small chunks keep the workers evenly loaded
(a chunk costs a fraction of a millisecond to send and gather)."""
MAX_CHUNK = 256
"""At most this many runs a chunk (a fraction of a second): a partial result keeps the
chunks done in order, so a stop loses little."""

Stop = Literal["time", "memory", "interrupted"]


class Share(Frozen):
    """How often something happened: count, share and its Wilson 95% interval."""

    label: str
    count: int
    share: float
    low: float
    high: float


class Sampling(Frozen):
    scenario: str
    runs: int
    seed: int
    workers: int
    timelines: list[Share]
    outcomes: list[Share]
    violations: list[Share]
    assumptions: list[str]
    elapsed: float
    sampler: int = SAMPLER_VERSION
    stopped: Stop | None = None
    """Which bound ended it early (then ``runs`` counts the runs done), or None."""


def wilson(count: int, runs: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``count / runs``."""
    if runs == 0:
        return 0.0, 1.0
    p = count / runs
    denom = 1 + z * z / runs
    centre = (p + z * z / (2 * runs)) / denom
    half = z * math.sqrt(p * (1 - p) / runs + z * z / (4 * runs * runs)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


PROGRESS_EVERY = 256
"""In one process, ``progress`` is told every this many runs."""


def run_random(seed: int, index: int) -> random.Random:
    """The generator of run ``index``: seeded by a hash of (seed, index)."""
    digest = hashlib.sha256(f"negotiation-sample:{seed}:{index}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 - simulation


def _pick(rng: random.Random, weights: list[float]) -> int:
    total = sum(weights)
    if total <= 0:
        return rng.randrange(len(weights))
    x = rng.random() * total
    for i, w in enumerate(weights):
        x -= w
        if x < 0:
            return i
    return len(weights) - 1


@dataclass(frozen=True)
class _SampledRun:
    root: int
    outcome: str
    violated: tuple[str, ...]


class Walker:
    """One scenario's space compiled once, walked run after run."""

    def __init__(self, scenario: Scenario) -> None:
        self.space = space = Space(scenario)
        compiled = compile_space(space)
        if compiled is None:  # pragma: no cover - every scenario the loader accepts compiles
            raise NegotiationError(f"scenario {scenario.id} cannot be sampled")
        self.compiled: CompiledSpace = compiled
        self.roots = [compiled.encode(node) for node in space.initial()]
        self.weights = _root_weights(scenario, space)

    def _broken(self, before: Any, after: Any) -> set[str]:
        """The invariants a step breaks (or the start state, with no ``before``)."""
        compiled = self.compiled
        if before is not None and not compiled.breaches(before, after):
            return set()
        return {b.invariant for b in compiled.breach_list(before, after)}

    def walk(self, rng: random.Random) -> _SampledRun:
        root = _pick(rng, self.weights)
        s = self.roots[root]
        violated = self._broken(None, s)
        compiled = self.compiled

        def pick(weights: list[float]) -> int:
            return _pick(rng, weights)

        for _ in range(MAX_RUN_STEPS):
            child, stuck = compiled.choose(s, pick)
            if child is None:
                label = compiled.outcome(s)
                outcome = f"stuck: {label}" if stuck else label
                return _SampledRun(root, outcome, tuple(sorted(violated)))
            violated |= self._broken(s, child)
            s = child
        return _SampledRun(root, "did not end", tuple(sorted(violated)))  # pragma: no cover


def _root_weights(scenario: Scenario, space: Space) -> list[float]:
    probs = {b.id: b.probability for b in scenario.branches}
    branch_mass = [probs.get(r.name) or 0.0 for r in space.roots if r.name is not None]
    total = sum(branch_mass)
    if total > 1 + 1e-9:
        raise ScenarioError.single(f"the branches' probabilities add up to {total:g}, more than 1")
    return [max(0.0, 1 - total), *branch_mass]


_WORKER: Walker | None = None


def _init(scenario: Scenario) -> None:
    global _WORKER  # noqa: PLW0603 - one walker per worker process
    gc.freeze()  # what the fork copied: never scanned by this process's collector
    _WORKER = Walker(scenario)


def _runs(seed: int, indices: range) -> list[_SampledRun]:
    """The runs of ``indices`` (in a worker, only those before the main process asked
    the workers to stop: it reads no more results then)."""
    assert _WORKER is not None
    out = []
    for i in indices:
        if stopping():
            break
        out.append(_WORKER.walk(run_random(seed, i)))
    return out


def _shares(counts: dict[str, int], runs: int) -> list[Share]:
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [
        Share(
            label=k,
            count=v,
            share=v / runs if runs else 0.0,
            low=wilson(v, runs)[0],
            high=wilson(v, runs)[1],
        )
        for k, v in rows
    ]


def sample(
    scenario: Scenario,
    runs: int,
    seed: int,
    workers: int = 1,
    *,
    max_seconds: float | None = None,
    max_memory: float | None = None,
    stop: Callable[[], bool] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Sampling:
    """``runs`` random runs of ``scenario`` from ``seed``; identical for any ``workers``.
    Within the bounds (see the module docstring); ``stop()`` returning True stops it as
    KeyboardInterrupt does (``stopped="interrupted"``); ``progress(runs_done)`` hears
    how far it got, every ``PROGRESS_EVERY`` runs in one process, per chunk with
    workers."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    started = time.perf_counter()
    limits = Limits(max_seconds=max_seconds, max_memory=max_memory, stop=stop, started=started)
    walker = Walker(scenario)
    results: list[_SampledRun] = []
    try:
        if workers <= 1:
            for i in range(runs):
                if limits.check() is not None:
                    break
                results.append(walker.walk(run_random(seed, i)))
                if progress is not None and (i + 1) % PROGRESS_EVERY == 0:
                    progress(i + 1)
        else:
            _on_workers(scenario, runs, seed, workers, limits, results, progress)
    except KeyboardInterrupt:
        limits.stopped = "interrupted"
    elapsed = time.perf_counter() - started
    done = len(results)
    return summarize(
        walker.space, scenario, results, done, seed, workers, elapsed, limits.stopped
    )


def _on_workers(
    scenario: Scenario, runs: int, seed: int, workers: int, limits: Limits,
    results: list[_SampledRun], progress: Callable[[int], None] | None,
) -> None:
    """Add the runs to ``results`` chunk by chunk, in order, until done or stopped."""
    size = min(MAX_CHUNK, math.ceil(runs / (workers * CHUNKS_PER_WORKER)))
    parts = ((seed, range(i, min(runs, i + size))) for i in range(0, runs, size))
    with Pool(workers, _init, (scenario,)) as pool:
        for chunk in pool.ordered(_runs, parts, limits):
            results.extend(chunk)
            if progress is not None:
                progress(len(results))
            if limits.check() is not None:
                break
        if limits.stopped is not None:
            pool.close(now=True)


def summarize(
    space: Space,
    scenario: Scenario,
    results: Iterable[_SampledRun],
    runs: int,
    seed: int,
    workers: int,
    elapsed: float,
    stopped: Stop | None = None,
) -> Sampling:
    """Count runs by timeline, outcome and broken invariant, with their shares and the
    assumptions behind them (shared by the local and the Dask samplers)."""
    timelines: dict[str, int] = {}
    outcomes: dict[str, int] = {}
    violations: dict[str, int] = {}
    for r in results:
        name = space.roots[r.root].name or "base"
        timelines[name] = timelines.get(name, 0) + 1
        outcomes[r.outcome] = outcomes.get(r.outcome, 0) + 1
        for inv in r.violated:
            violations[inv] = violations.get(inv, 0) + 1
    assumptions = [f"{where}: {what}" for where, what in list_assumptions(scenario)]
    assumptions += [f"{where}: {what}" for where, what in decision_assumptions(scenario)]
    return Sampling(
        scenario=scenario.id,
        runs=runs,
        seed=seed,
        workers=workers,
        timelines=_shares(timelines, runs),
        outcomes=_shares(outcomes, runs),
        violations=_shares(violations, runs),
        assumptions=assumptions,
        elapsed=elapsed,
        stopped=stopped,
    )
