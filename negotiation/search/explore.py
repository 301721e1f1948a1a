"""Exhaustive exploration: breadth-first search over every reachable state.

The space (see ``negotiation.runtime.space``): the scripted timeline of each root (the base
timeline and, by default, every branch) is applied in order; at each decision point
every option is a successor; between them the clock moves day-close by day-close and
checkpoint by checkpoint up to the horizon. Equal states are merged by a canonical key.

Checked on the way: the scenario's invariants in every state, and the built-in ones on
every step (``BUILTIN_INVARIANTS``). Because the search is breadth-first, the first path
found to a violation is a shortest one (fewest steps). A node with no successor before
the end of its timeline is *stuck*; a node at the end is *terminal*, and its outcome is
the documents that moved and the deadlines that resolved (``open at the horizon`` when
none did). Outcome counts are counts of distinct terminal states, not of paths.

Bounds: ``max_states``, ``max_depth`` (steps), ``max_seconds``, ``max_memory`` (MiB, the
whole process tree, see ``search.limits``), and the caller's ``stop()``; a bound reached,
or KeyboardInterrupt, gives a partial result that says why it stopped. ``workers > 1``
runs the search on local processes, its states partitioned among them by a hash of their
key (``search.partition``); the result is identical to ``workers=1``'s. With workers, the
bounds are checked between levels and while waiting for the workers, and a search that
stops early stops its workers at once (it keeps the levels done).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from typing import Any, Literal, cast

from negotiation.model._base import Frozen
from negotiation.model.errors import MoveError
from negotiation.model.events import Event, describe
from negotiation.model.scenario import Scenario
from negotiation.runtime import collect
from negotiation.runtime.compiled._base import Code
from negotiation.runtime.compiled.space import CompiledSpace, compile_space
from negotiation.runtime.notation import format_move
from negotiation.runtime.space import (
    BUILTIN_INVARIANTS,
    Edge,
    Space,
    SpaceNode,
)
from negotiation.search.compiled_bfs import search_compiled
from negotiation.search.limits import Limits
from negotiation.search.partition import Team, search_partitioned
from negotiation.search.record import Found, SearchRecord

Stop = Literal["max_states", "max_depth", "time", "memory", "interrupted"]
BASE = "base"


class Outcome(Frozen):
    label: str
    count: int


class PathStep(Frozen):
    """One step of a path: its day, what happened, and what the engine wrote on the way."""

    day: str
    kind: str
    text: str
    details: list[str] = []


class Violation(Frozen):
    """The shortest path found to a state (or step) that breaks an invariant."""

    invariant: str
    builtin: bool
    description: str
    reasons: list[str]
    root: str
    steps: int
    day: str
    path: list[PathStep]
    events: list[Event]
    expect: str | None = None


class Stuck(Frozen):
    reason: str
    root: str
    day: str
    path: list[PathStep]


class Progress(Frozen):
    states: int
    depth: int
    frontier: int
    elapsed: float


class Exploration(Frozen):
    """What a search found. ``stopped`` says which bound ended it early, if any."""

    scenario: str
    roots: list[str]
    states: int
    transitions: int
    depth: int
    terminal: int
    outcomes: list[Outcome]
    violations: list[Violation]
    stuck: list[Stuck]
    stuck_count: int
    cut: int
    stopped: Stop | None
    elapsed: float
    workers: int

    @property
    def complete(self) -> bool:
        return self.stopped is None

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def states_per_second(self) -> float:
        return self.states / self.elapsed if self.elapsed > 0 else math.inf


# -- the search ---------------------------------------------------------------------------


def explore(
    scenario: Scenario,
    *,
    branches: Sequence[str | None] | None = None,
    max_states: int = 100_000,
    max_depth: int | None = None,
    max_seconds: float | None = None,
    max_memory: float | None = None,
    workers: int = 1,
    progress: Callable[[Progress], None] | None = None,
    chunk: int = 512,
    compiled: bool = True,
    stop: Callable[[], bool] | None = None,
) -> Exploration:
    """Search every state reachable in ``scenario`` (base timeline and branches, or the
    named ``branches``; None names the base), within the bounds; ``stop()`` returning
    True stops it as KeyboardInterrupt does (``stopped="interrupted"``). With
    ``compiled`` (and one worker) the search runs over ``negotiation.runtime.compiled``'s
    tuple states when the scenario compiles; the result is the same as the
    engine-driven search's."""
    started = time.perf_counter()
    limits = Limits(max_seconds=max_seconds, max_memory=max_memory, stop=stop, started=started)
    chosen = None if branches is None else list(branches)
    space = Space(scenario, chosen)
    fast = compile_space(space) if compiled else None
    if fast is not None and workers == 1:
        return _search_compiled(fast, max_states, max_depth, limits, chunk, progress)
    if fast is not None:  # on worker processes, the states partitioned among them
        return _search_partitioned(fast, scenario, chosen, workers, max_states, max_depth,
                                   limits, progress)
    # the search over recorded expansions (a scenario the runtime does not compile)
    search = SearchRecord(space)

    def tick(frontier: int) -> None:
        if progress is not None:
            progress(Progress(states=search.states, depth=search.depth, frontier=frontier,
                              elapsed=time.perf_counter() - started))

    exact = CompiledSpace(space, exact=True)
    frontier: list[tuple[int, SpaceNode]] = []
    for node in space.initial():
        index = search.add(node.digest(), -1, None, node.root)
        if index is not None:
            search.breach(index, None, exact.node_breaches(None, node))
            frontier.append((index, node))
    stopped = search.by_levels(
        frontier, len,
        lambda fr: _level(search, exact, fr, chunk, max_states, limits, tick),
        max_depth,
    )
    return _result(search, cast(Stop | None, stopped), time.perf_counter() - started, 1)


def _search_compiled(
    compiled: CompiledSpace,
    max_states: int,
    max_depth: int | None,
    limits: Limits,
    chunk: int,
    progress: Callable[[Progress], None] | None,
) -> Exploration:
    """The one-process search over ``negotiation.runtime.compiled``'s tuple states."""
    search = SearchRecord(compiled.space)

    def tick(frontier: int, elapsed: float) -> None:
        if progress is not None:
            progress(Progress(states=search.states, depth=search.depth,
                              frontier=frontier, elapsed=elapsed))

    stopped, elapsed = search_compiled(
        compiled, search, max_states=max_states, max_depth=max_depth,
        max_seconds=limits.max_seconds, chunk=chunk, tick=tick, check=limits.check,
    )
    return _result(search, cast(Stop | None, stopped), elapsed, 1)


def _search_partitioned(
    compiled: CompiledSpace,
    scenario: Scenario,
    branches: list[str | None] | None,
    workers: int,
    max_states: int,
    max_depth: int | None,
    limits: Limits,
    progress: Callable[[Progress], None] | None = None,
    team: Callable[[], Team] | None = None,
) -> Exploration:
    """The search on ``workers`` processes (``search.partition``; ``team``: other
    workers, for its tests)."""
    search = SearchRecord(compiled.space)

    def tick(frontier: int) -> None:
        if progress is not None:
            progress(Progress(states=search.states, depth=search.depth, frontier=frontier,
                              elapsed=time.perf_counter() - limits.started))

    stopped = search_partitioned(
        compiled, search, scenario, branches, workers=workers, max_states=max_states,
        max_depth=max_depth, limits=limits, tick=tick, team=team,
    )
    return _result(search, cast(Stop | None, stopped), time.perf_counter() - limits.started,
                   workers)


Frontier = list[tuple[int, SpaceNode]]
"""(state index, node): the engine-driven search's frontier."""


def _level(
    search: SearchRecord,
    exact: CompiledSpace,
    frontier: Frontier,
    chunk: int,
    max_states: int,
    limits: Limits,
    tick: Callable[[int], None],
) -> tuple[Frontier, Stop | None]:
    """One level of the search over recorded expansions, in chunks."""
    out: Frontier = []
    for start in range(0, len(frontier), max(1, chunk)):
        for index, node in frontier[start : start + max(1, chunk)]:
            expansion = exact.expansion(node)
            if not expansion.edges:
                label = exact.node_outcome(node, expansion.stuck)
                search.outcomes[label] = search.outcomes.get(label, 0) + 1
                if expansion.stuck is not None:
                    search.stuck_count += 1
                    if len(search.stuck) < 10:
                        search.stuck.append((index, expansion.stuck))
                continue
            for e in expansion.edges:
                search.transitions += 1
                breaches = exact.node_breaches(node, e.node)
                if breaches:
                    search.breach(index, e.code, breaches)
                new = search.add(e.node.digest(), index, e.code, -1)
                if new is not None:
                    out.append((new, e.node))
                    if search.states >= max_states:
                        return out, "max_states"
        collect.chunk()
        tick(len(out))
        if limits.check() is not None:
            break
    return out, limits.stopped


# -- results -----------------------------------------------------------------------------


def move_text(event: Event) -> str:
    """A move as one line (the move grammar where it can say it)."""
    try:
        return format_move(event)
    except MoveError:
        return describe(event)


def _step(edge: Edge) -> PathStep | None:
    own = {id(e) for e in edge.entries if e.kind in ("event", "blocked") and e.cause is None}
    details = [f"{e.kind}: {e.summary}" for e in edge.entries if id(e) not in own]
    day = edge.node.state.date.isoformat()
    if edge.kind == "event":
        blocked = [e for e in edge.entries if e.kind == "blocked" and e.cause is None]
        if blocked:
            text = f"blocked: {blocked[0].summary} ({'; '.join(blocked[0].reasons)})"
        else:
            text = "; ".join(move_text(e) for e in edge.events)
    elif edge.kind in ("alt", "move", "pass"):
        what = "; ".join(move_text(e) for e in edge.events) or "nothing happens"
        option = f"{edge.option}: " if edge.kind == "alt" else ""
        text = f"decision {edge.decision}: {option}{what}"
    elif not details:
        return None
    else:
        text = "close of day" if edge.kind == "close" else "the clock moves on"
    return PathStep(day=day, kind=edge.kind, text=text, details=details)


def _path(
    exact: CompiledSpace, root: int, codes: list[Code]
) -> tuple[list[PathStep], list[Edge]]:
    edges = exact.replay(root, codes)
    steps = [s for s in (_step(e) for e in edges) if s is not None]
    return steps, edges


def _violation(exact: CompiledSpace, search: SearchRecord, found: Found) -> Violation:
    space = exact.space
    codes = search.codes(found.parent) if found.parent >= 0 else []
    if found.code is not None:
        codes.append(found.code)
    root = search.root(found.parent)
    steps, edges = _path(exact, root, codes)
    final = edges[-1].node.state if edges else space.start
    b = found.breach
    declared = {inv.id: inv for inv, _ in space.invariants}
    if b.builtin:
        description = BUILTIN_INVARIANTS[b.invariant]
    else:
        inv = declared[b.invariant]
        description = inv.summary or inv.condition
    return Violation(
        invariant=b.invariant,
        builtin=b.builtin,
        description=description,
        reasons=list(b.reasons),
        root=space.roots[root].name or BASE,
        steps=len(codes),
        day=final.date.isoformat(),
        path=steps,
        events=[e for edge in edges for e in edge.events],
        expect=b.expect if b.builtin else declared[b.invariant].condition,
    )


def _result(
    search: SearchRecord, stopped: Stop | None, elapsed: float, workers: int
) -> Exploration:
    space = search.space
    exact = CompiledSpace(space, exact=True) if search.found or search.stuck else None
    violations = [_violation(exact, search, f) for f in search.found.values() if exact]
    violations.sort(key=lambda v: (v.steps, v.invariant))
    stuck = []
    for index, reason in search.stuck:
        assert exact is not None
        steps, edges = _path(exact, search.root(index), search.codes(index))
        final = edges[-1].node.state if edges else space.start
        stuck.append(
            Stuck(
                reason=reason,
                root=space.roots[search.root(index)].name or BASE,
                day=final.date.isoformat(),
                path=steps,
            )
        )
    outcomes = sorted(search.outcomes.items(), key=lambda kv: (-kv[1], kv[0]))
    return Exploration(
        scenario=space.scenario.id,
        roots=[r.name or BASE for r in space.roots],
        states=search.states,
        transitions=search.transitions,
        depth=search.depth,
        terminal=sum(search.outcomes.values()),
        outcomes=[Outcome(label=k, count=v) for k, v in outcomes],
        violations=violations,
        stuck=stuck,
        stuck_count=search.stuck_count,
        cut=search.cut,
        stopped=stopped,
        elapsed=elapsed,
        workers=workers,
    )


# -- counterexamples as scenario files -----------------------------------------------------


def counterexample_scenario(scenario: Scenario, violation: Violation) -> Scenario:
    """A standalone scenario that replays the violation's path: the original scenario
    with its timeline replaced by the path's events (no branches, no decision points),
    its horizon at the violation's day, and an expectation that fails there."""
    start = Space(scenario, [None]).start.date.isoformat()
    data = _dump(scenario)
    used: set[str] = set()
    timeline = []
    for event in violation.events:
        dumped = {"kind": event.kind, **_dump(event), "priority": 0}
        if event.id is not None and event.id in used:
            del dumped["id"]
        used.add(event.id or "")
        timeline.append(dumped)
    data.update(
        id=f"{scenario.id}_counterexample"[:80],
        title=f"Counterexample: {violation.invariant} ({scenario.title})",
        start=start,
        horizon=violation.day,
        timeline=timeline,
        branches=[],
        decisions=[],
        expect=[],
    )
    data.pop("extends", None)
    if violation.expect is not None:
        summary = f"invariant {violation.invariant}: {violation.description}"
        data["expect"] = [{"at": violation.day, "that": violation.expect, "summary": summary}]
    return Scenario.model_validate(data)


def _dump(model: Frozen) -> dict[str, Any]:
    """What was written (plus event kinds), with dates written as dates."""
    full = model.model_dump(mode="json", exclude_none=True)
    short = _compact(model.model_dump(mode="json", exclude_unset=True))
    assert isinstance(short, dict)
    try:
        same = type(model).model_validate(short) == model
    except ValueError:
        same = False
    return short if same else full


def _compact(value: object) -> object:
    if isinstance(value, list):
        return [_compact(v) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) <= _DATE_KEYS and "earliest" in value and not value.get("inferred"):
        lo, hi, precision = (
            value["earliest"],
            value.get("latest", value["earliest"]),
            value.get("precision", "day"),
        )
        if precision == "day" and lo == hi:
            return lo
        if precision == "range":
            return f"{lo}..{hi}"
        if precision == "month":
            return str(lo)[:7]
    return {k: _compact(v) for k, v in value.items()}


_DATE_KEYS = {"earliest", "latest", "precision", "inferred"}


def counterexample_text(scenario: Scenario, violation: Violation) -> str:
    """The counterexample scenario as a file ``negotiation run`` reads (JSON is YAML)."""
    cx = counterexample_scenario(scenario, violation)
    head = [
        f"# Counterexample to invariant {violation.invariant} of scenario {scenario.id},",
        f"# found by `negotiation explore` ({violation.steps} steps, branch {violation.root}).",
        "# `negotiation run -s THIS_FILE` replays it; its expectation fails (exit 1).",
    ]
    body = json.dumps(_dump(cx), indent=2)
    return "\n".join(head) + "\n" + body + "\n"
