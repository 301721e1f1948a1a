"""``search_compiled``: ``explore``'s breadth-first search over a compiled space."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from negotiation.runtime.compiled._base import FIRST_DOC, Code, S
from negotiation.runtime.compiled.space import CompiledSpace
from negotiation.runtime.space import InvariantBreach
from negotiation.search.record import SearchRecord

NOTHING_KEPT: dict[S, bool] = {}
"""What ``risky_steps`` keeps for document slots never asked about (never written)."""

Tick = Callable[[int, float], None]
"""Progress: (frontier size, elapsed seconds), once per chunk of the frontier."""
Check = Callable[[], str | None]
"""Once per chunk of the frontier: why the search must stop now (``search.limits``), or
None."""


def search_compiled(
    compiled: CompiledSpace,
    search: SearchRecord,
    *,
    max_states: int,
    max_depth: int | None,
    max_seconds: float | None,
    chunk: int,
    tick: Tick | None,
    check: Check | None = None,
) -> tuple[str | None, float]:
    """Run ``explore``'s breadth-first search over the compiled space, filling ``search``
    exactly as the engine-driven search does (same states in the same order, codes,
    parents, transitions, outcomes, first breach of each invariant, stuck nodes).
    Returns (why it stopped, elapsed seconds).
    """
    started = time.perf_counter()
    space = compiled.space
    walk = _Walk(compiled, search, max_states, max_seconds, chunk, tick, started)
    walk.check = check
    # a level's new states get consecutive indices: a frontier is its first index and
    # its states
    frontier: list[S] = []
    for node in space.initial():
        s = compiled.encode(node)
        index = search.add(compiled.key(s), -1, None, node.root)
        if index is not None:
            assert index == len(frontier)
            search.breach(index, None, compiled.breach_list(None, s))
            frontier.append(s)
    first = 0
    # the search makes no tracked garbage (tuples of ints and strings), and leaves the
    # collector alone: pausing it changed nothing measurable (runtime.collect)
    try:
        stopped = search.by_levels(
            (first, frontier),
            lambda fr: len(fr[1]),
            lambda fr: _next(walk.level(*fr)),
            max_depth,
            checkpoint=False,
        )
    finally:
        walk.labelled()
    return stopped, time.perf_counter() - started


def stuck_reason(compiled: CompiledSpace, s: S) -> tuple[str, str]:
    """A stuck state's reason and outcome label, as the engine words them."""
    reason = compiled.expansion(compiled.decode(s)).stuck
    assert reason is not None, "the search and its recorded expansion disagree"
    return reason, compiled.outcome(s, reason)


def breaches_of(compiled: CompiledSpace, before: S | None, after: S) -> list[InvariantBreach]:
    """The breaches of a step, with their reasons."""
    return compiled.breach_list(before, after)


def _next(found: tuple[int, list[S], str | None]) -> tuple[tuple[int, list[S]], str | None]:
    """A compiled level's (first index, states) frontier and why the search stops."""
    first, states, stopped = found
    return (first, states), stopped


class _Walk:
    """One breadth-first search over a compiled space, in one process."""

    def __init__(
        self,
        compiled: CompiledSpace,
        search: SearchRecord,
        max_states: int,
        max_seconds: float | None,
        chunk: int,
        tick: Tick | None,
        started: float,
    ) -> None:
        self.compiled = compiled
        self.search = search
        self.max_states = max_states
        self.max_seconds = max_seconds
        self.chunk = chunk
        self.tick = tick
        self.started = started
        self.checks = len(compiled.invariants) + 3  # declared and built-in invariants
        self.check: Check | None = None
        self.ends: Counter[tuple[S, S]] = Counter()
        """Terminal states that are not stuck, counted by what their label reads."""

    def labelled(self) -> None:
        """Fold the terminal states counted so far into the record's outcomes."""
        outcomes, label = self.search.outcomes, self.compiled.outcome_of
        for end, count in self.ends.items():
            name = label(end)
            outcomes[name] = outcomes.get(name, 0) + count
        self.ends.clear()

    def level(self, first: int, frontier: list[S]) -> tuple[int, list[S], str | None]:
        """Expand a level (its states numbered from ``first``): the next level's first
        index and states, and why the search stops, if it does."""
        size = max(1, min(self.chunk, len(frontier)))
        out: list[S] = []
        following = len(self.search.parent)
        for start in range(0, len(frontier), size):
            if self._chunk(first + start, frontier[start : start + size], out):
                return following, out, "max_states"
            elapsed = time.perf_counter() - self.started
            if self.tick is not None:
                self.tick(len(out), elapsed)
            if self.max_seconds is not None and elapsed > self.max_seconds:
                return following, out, "time"
            why = None if self.check is None else self.check()
            if why is not None:
                return following, out, why
        return following, out, None

    def _chunk(self, first: int, part: list[S], out: list[S]) -> bool:
        """Expand ``part``; True when ``max_states`` is reached."""
        compiled, search = self.compiled, self.search
        successors, breaches = compiled.successors, compiled.breaches
        keyf = compiled.key if compiled.project else None
        seen, parent, codes = search.seen, search.parent, search.code
        max_states = self.max_states
        # a step can break an invariant only where a declared one is false or a
        # document changed in a way that risks one (``breaches`` says exactly when
        # ``Space.check`` finds one; ``risks`` is kept per pair of document slots, in
        # ``risky_steps``: a pair kept safe is not asked again)
        always = bool(compiled.invariants)
        at = slice(FIRST_DOC, compiled.doc_end)  # made once, not at every ``s[lo:hi]``
        moved, known = compiled.moved_breaches, compiled.risky_steps
        terminal: list[S] = []  # counted by what their label reads, after the loop
        transitions = 0
        n = len(parent)
        try:
            for index, s in enumerate(part, first):
                children, stuck = successors(s, None)
                if not children:
                    if stuck is not None:
                        self._stuck(index, s)
                    else:
                        terminal.append(s)
                    continue
                docs = s[at]
                safe = known.get(docs, NOTHING_KEPT)
                transitions += len(children)
                for code, child, _ in children:
                    after = child[at]
                    if (always and breaches(s, child)) or (
                        docs != after and safe.get(after) is not False
                        and moved(s, child, docs, after)
                    ):
                        self._breach(index, code, s, child)
                    if seen.setdefault(child if keyf is None else keyf(child), n) != n:
                        continue
                    out.append(child)
                    n += 1
                    parent.append(index)
                    codes.append(code)
                    if n >= max_states:  # the transitions after this one were not taken
                        transitions -= len(children) - 1 - next(
                            i for i, c in enumerate(children) if c[1] is child)
                        return True
            return False
        finally:
            search.transitions += transitions
            # keyed and counted in C (labelled at the end)
            self.ends.update(map(compiled.end_key, terminal))

    def _stuck(self, index: int, s: S) -> None:
        """A stuck node: its reason and outcome as the engine words them."""
        search = self.search
        reason, label = stuck_reason(self.compiled, s)
        search.stuck_count += 1
        if len(search.stuck) < 10:
            search.stuck.append((index, reason))
        search.outcomes[label] = search.outcomes.get(label, 0) + 1

    def _breach(self, index: int, code: Code, before: S, after: S) -> None:
        """The engine's breaches of this step, recorded as ``explore`` records them."""
        if len(self.search.found) >= self.checks:
            return
        self.search.breach(index, code, breaches_of(self.compiled, before, after))
