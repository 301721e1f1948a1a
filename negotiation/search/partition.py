"""``explore`` on worker processes: the breadth-first search with its states partitioned
among the workers by a hash of their key.

Each worker owns the states whose key hashes to it: it keeps their seen-set, their
parents and the moves that reached them, and expands them. The main process only
relays, counts and asks; it does no work per state. A level goes:

1. **expand**: each worker expands its part of the frontier, in the frontier's order, and
   counts what the level holds (transitions, terminal states by what their label reads,
   stuck states, the first breach of each invariant). A child it owns and has not seen
   is a candidate; a child another worker owns goes to that worker, once (a worker
   remembers what it sent).
2. **merge**: the main process relays the batches (bytes, not read); each owner keeps,
   for a key found more than once, the first finding, and sends back its candidates'
   ranks.
3. **commit**: the main process puts the ranks in order; each owner's candidates, in
   order, are its next frontier, each state knowing its place in the whole level.

*The same result as one process.* A state's *rank* says where one process meets it: a
starting state's is its number; a child's is ``its parent's place in the parent's level
* STRIDE + its place among the parent's children``. Within a level, ranks are in the
order one process finds states (parent by parent, child by child). So "found first" is
"smallest rank", the first breach of an invariant is the breaching step of smallest rank
(at the earliest level), the first ten stuck states are the ten smallest, and a
``max_states`` bound cuts the level at the rank of the state that reaches it: every
worker counts the level again up to the cut. Paths (for violations and stuck states)
are rebuilt at the end by following parents across workers.

*Placement.* The hash reads a state's documents, stances, relations and facts, not its
clock (date, cursor, closed day), deadlines or rules: closing a day or moving the clock
keeps a state on its worker, so mostly a move ships one (12% of the steps of
Family(2, 5)), and the hash reads no nested tuples. Document sub-states are interned per
process: a batch carries the value of each sub-state its receiver has not had from the
sender yet, and the receiver interns it. Workers forked from this process share its
string hashes and its interned sub-states so far; started otherwise they hash a
canonical text instead.

Workers are bound to this process and stop at once as ``search.workers``' are
(``start_worker``): they ignore the terminal's signals, die with their parent and read
the stop flag between states. A bound reached mid-level keeps the levels done, and the
paths of what they found when the workers stop in time (``Workers.halt``).
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import multiprocessing
import os
import time
import traceback
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol, cast

from negotiation.model.scenario import Scenario
from negotiation.runtime.compiled._base import FIRST_DOC, Code, S
from negotiation.runtime.compiled.space import CompiledSpace, compile_space
from negotiation.runtime.space import InvariantBreach, Space
from negotiation.search.compiled_bfs import breaches_of, stuck_reason
from negotiation.search.limits import Limits
from negotiation.search.record import Found, SearchRecord
from negotiation.search.workers import GRACE, POLL, start_worker, stopping

STRIDE = 1 << 32
"""Ranks of children: ``parent's place * STRIDE + the child's place among its parent's``
(more children than this no state has)."""
STUCK_KEPT = 10
"""Stuck states a search reports (the first ones), as ``explore`` does."""
EVERY = 256
"""States a worker expands between two reads of the stop flag."""
PROBE = ("negotiation: do these processes hash strings alike?", None)
"""Hashed in every worker: strings are hashed with a per-process salt, and before Python
3.12 None by its address; workers whose hashes of both agree place states alike."""


class WorkerError(RuntimeError):
    """A worker failed: its traceback is the message."""


@dataclass
class Level:
    """What one worker counted in one level (sent to the main process at commit)."""

    transitions: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    stuck_count: int = 0
    stuck: list[tuple[int, int, str]] = field(default_factory=list)
    """The first stuck states: (place in the level, local index, reason)."""
    found: dict[str, tuple[int, int, Code, InvariantBreach]] = field(default_factory=dict)
    """The first breach of each invariant: (step's rank, parent's local index, move,
    breach)."""


# -- in a worker ---------------------------------------------------------------------------


Candidate = tuple[int, S, int, int, Code | None, int]
"""A state found for the next level: (rank, state, parent's worker, parent's index
there, move, the level it was found in)."""


class Partition:
    """One worker's part of the search."""

    def __init__(self, compiled: CompiledSpace, me: int, workers: int, shared: int) -> None:
        self.compiled = compiled
        self.me = me
        self.workers = workers
        self.shared = shared
        """Sub-state ids below this are the same in every worker."""
        self.hash: Callable[[object], int] = hash
        """The placement's hash: Python's own where every worker hashes strings alike,
        else one of a canonical text (``stable_hash``)."""
        self.seen: dict[Hashable, Candidate | None] = {}
        """Each key this worker owns and has found: its candidate (None for a starting
        state)."""
        self.depth = 0
        """The level being found (candidates of earlier levels are states)."""
        self.replaced: list[Candidate] = []
        """Candidates of this level a smaller rank replaced."""
        self.states: list[Candidate] = []
        """Every state this worker holds, by its index here, as it was found (a starting
        state: (its number, state, -1, its number, None, 0))."""
        self.frontier: list[tuple[S, int, int]] = []
        """(state, its index here, its place in the level)."""
        self.fresh: list[Candidate] = []
        """The next level's states found so far (a candidate a smaller rank replaced
        stays here, and is skipped)."""
        self.sent: set[Hashable] = set()
        self.told: list[set[int]] = [set() for _ in range(workers)]
        """Sub-state ids whose value each other worker has had from this one."""
        self.ids: list[dict[int, int]] = [{} for _ in range(workers)]
        """Each other worker's sub-state ids, as interned here."""
        self._doc_hash: dict[tuple[int, ...], int] = {}
        self.level = Level()

    # -- placement ---------------------------------------------------------------------
    def owner(self, s: S) -> int:
        """The worker that owns ``s``: a hash of its documents, stances, relations and
        facts (not its clock, deadlines and rules), the same in every worker (``expand``
        has it inline)."""
        compiled = self.compiled
        docs = s[FIRST_DOC : compiled.doc_end]
        dh = self._doc_hash.get(docs)
        part = s[compiled.doc_end : compiled.dl_first]
        return (self.hash(part) ^ (self.place(docs) if dh is None else dh)) % self.workers

    def place(self, docs: tuple[int, ...]) -> int:
        """The placement hash of document sub-states ``docs`` (ids here), kept."""
        compiled = self.compiled
        found = self._doc_hash[docs] = self.hash(tuple(
            compiled.sub_value(compiled.subs.key[x] if compiled.project else x) for x in docs
        ))
        return found

    # -- the levels ----------------------------------------------------------------------
    def start(self) -> None:
        """The starting states this worker owns (every worker finds them all, in the
        same order, as the main process does)."""
        compiled = self.compiled
        known: set[Hashable] = set()
        number = 0
        for node in compiled.space.initial():
            s = compiled.encode(node)
            key = compiled.key(s)
            if key in known:
                continue
            known.add(key)
            if self.owner(s) == self.me:
                self.seen[key] = None
                self.frontier.append((s, len(self.states), number))
                # its number is its index in the main process
                self.states.append((number, s, -1, number, None, 0))
            number += 1

    def expand(self, cut: int | None = None) -> list[bytes]:
        """Expand this worker's frontier (up to the step ranked ``cut``, when given: then
        count only, ship nothing). Returns a batch for each worker (empty for this one)."""
        compiled = self.compiled
        successors, breaches, moved = (
            compiled.successors, compiled.breaches, compiled.moved_breaches)
        keyf = compiled.key
        project = compiled.project
        lo, hi, dl = FIRST_DOC, compiled.doc_end, compiled.dl_first
        always = bool(compiled.invariants)
        me, seen, fresh, sent = self.me, self.seen, self.fresh, self.sent
        doc_hash, place, hashf, workers = self._doc_hash, self.place, self.hash, self.workers
        level = self.level = Level()
        depth = self.depth = self.depth + (cut is None)
        ends: dict[tuple[S, S], int] = {}
        out: list[list[tuple[S, int, int, Code]]] = [[] for _ in range(self.workers)]
        last = None if cut is None else cut // STRIDE
        for n, (s, index, rank) in enumerate(self.frontier):
            if n % EVERY == 0 and stopping():
                raise Stopped
            if last is not None and rank > last:
                break
            children, stuck = successors(s, None)
            if not children:
                self._end(rank, index, s, stuck, ends)
                continue
            docs = s[lo:hi]
            if cut is not None and rank == last:
                children = children[: cut % STRIDE + 1]
            level.transitions += len(children)
            base = rank * STRIDE
            for pos, (code, child, _) in enumerate(children):
                after = child[lo:hi]
                if (always and breaches(s, child)) or (
                    docs != after and moved(s, child, docs, after)
                ):
                    self._breach(base + pos, index, code, s, child)
                if cut is not None:
                    continue
                key = keyf(child) if project else child
                dh = doc_hash.get(after)
                to = (hashf(child[hi:dl]) ^ (place(after) if dh is None else dh)) % workers
                if to == me:  # found here first: the smallest rank of this worker's
                    c = (base + pos, child, me, index, code, depth)
                    if seen.setdefault(key, c) is c:
                        fresh.append(c)
                else:  # sent once: the first time has the smallest rank
                    had = len(sent)
                    sent.add(key)
                    if len(sent) != had:
                        out[to].append((child, base + pos, index, code))
        label = compiled.outcome_of
        for end, count in ends.items():
            name = label(end)
            level.outcomes[name] = level.outcomes.get(name, 0) + count
        return [b"" if to == me else self._pack(to, batch) for to, batch in enumerate(out)]

    def _end(self, rank: int, index: int, s: S, stuck: str | None,
             ends: dict[tuple[S, S], int]) -> None:
        """A state with no successor: terminal (counted by what its label reads) or
        stuck (its reason and label as the engine words them)."""
        compiled, level = self.compiled, self.level
        if stuck is None:
            end = compiled.end_key(s)
            ends[end] = ends.get(end, 0) + 1
            return
        reason, label = stuck_reason(compiled, s)
        level.stuck_count += 1
        if len(level.stuck) < STUCK_KEPT:
            level.stuck.append((rank, index, reason))
        level.outcomes[label] = level.outcomes.get(label, 0) + 1

    def _breach(self, rank: int, index: int, code: Code, before: S, after: S) -> None:
        """The breaches of the step ranked ``rank`` (from state ``index``), kept where
        they are the first of their invariant here."""
        found = self.level.found
        for b in breaches_of(self.compiled, before, after):
            if b.invariant not in found:
                found[b.invariant] = (rank, index, code, b)

    def _pack(self, to: int, batch: list[tuple[S, int, int, Code]]) -> bytes:
        """A batch for worker ``to``, with the sub-states it has not had from here."""
        told, shared = self.told[to], self.shared
        lo, hi = FIRST_DOC, self.compiled.doc_end
        values = []
        for child, _, _, _ in batch:
            for x in child[lo:hi]:
                if x >= shared and x not in told:
                    told.add(x)
                    values.append((x, self.compiled.sub_value(x)))
        return marshal.dumps((values, batch))

    def merge(self, batches: list[bytes]) -> bytes:
        """Take the other workers' batches: a key found more than once is kept as first
        found. Returns the ranks of the new states this worker holds for the next level,
        in order (an ``array("q")``'s bytes)."""
        compiled = self.compiled
        lo, hi = FIRST_DOC, compiled.doc_end
        shared, seen, fresh, depth = self.shared, self.seen, self.fresh, self.depth
        replaced = self.replaced
        keyf = compiled.key if compiled.project else None
        for sender, data in enumerate(batches):
            if not data:
                continue
            values, batch = marshal.loads(data)  # noqa: S302 - from a worker of ours
            ids = self.ids[sender]
            for x, value in values:
                ids[x] = compiled.sub_id(value)
            for sent, rank, index, code in batch:
                docs = sent[lo:hi]
                child = sent if max(docs, default=0) < shared else (
                    *sent[:lo], *(x if x < shared else ids[x] for x in docs), *sent[hi:])
                key = child if keyf is None else keyf(child)
                c = (rank, child, sender, index, code, depth)
                had = seen.setdefault(key, c)
                if had is c:
                    fresh.append(c)
                elif had is not None and had[5] == depth and rank < had[0]:
                    seen[key] = c
                    fresh.append(c)
                    replaced.append(had)
        fresh.sort()  # by rank: ranks differ
        if replaced:
            gone = {id(c) for c in replaced}
            self.fresh = fresh = [c for c in fresh if id(c) not in gone]
            self.replaced = []
        return array("q", [c[0] for c in fresh]).tobytes()

    def commit(self, cut: int | None, places: bytes) -> Level:
        """The candidates (up to rank ``cut``) become the next frontier, each at its
        place among ``places`` (the ranks of the level's states in every worker, in
        order); the level's counts go to the main process."""
        if cut is not None:
            self.expand(cut)  # counts again, up to the cut
        level = array("q")
        level.frombytes(places)
        ranks = level.tolist()  # bisect reads a list faster than an array
        kept = self.fresh
        if cut is not None:  # what lies after the cut was not reached (the search stops)
            kept = kept[: bisect_left([c[0] for c in kept], cut + 1)]
        first = len(self.states)
        self.states += kept
        self.frontier = [(c[1], i, bisect_left(ranks, c[0]))
                         for i, c in enumerate(kept, first)]
        self.fresh = []
        return self.level

    def entry(self, index: int) -> tuple[int, int, Code | None]:
        """Where state ``index`` came from: (parent's worker, parent's index, move);
        worker -1 for a starting state, whose index is then its number."""
        found = self.states[index]
        return found[2], found[3], found[4]


def stable_hash(value: object) -> int:
    """A hash of ``value`` that is the same in every process (for tuples of strings,
    ints, None and bools: their ``repr`` is canonical)."""
    return zlib.crc32(repr(value).encode())


class Stopped(Exception):  # noqa: N818 - a control-flow signal
    """The main process raised the stop flag while this worker was expanding."""


def work(
    parent: int | None, flag: Any, me: int, workers: int, conn: Connection,
    compiled: CompiledSpace | None, scenario: Scenario, branches: list[str | None] | None,
    shared: int,
) -> None:
    """A worker process: set up, then answer the main process until it is told to quit
    or goes away. A request the stop flag cuts short is answered ``stopped``."""
    start_worker(parent, flag)
    # the collector: what a fork copied is never scanned (nor copied on write); in a
    # level it is off (the search makes no cyclic garbage to speak of, and its scans of
    # the seen-set cost more than the search), and at the end of a level what the level
    # made is collected once and frozen
    gc.freeze()
    gc.disable()
    try:
        if compiled is None:
            made = compile_space(Space(scenario, branches))
            assert made is not None, "the main process compiled the same scenario"
            compiled = made
        part = Partition(compiled, me, workers, shared)
        conn.send(("ok", hash(PROBE)))
        while True:
            what, arg = conn.recv()
            if what == "quit":
                return
            try:
                reply = _answer(part, what, arg)
            except Stopped:
                conn.send(("stopped", None))
                continue
            conn.send(("ok", reply))
            if what == "commit":
                gc.collect(1)
                gc.freeze()
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        return
    except BaseException:  # noqa: BLE001 - sent to the main process, raised there
        with contextlib.suppress(OSError):
            conn.send(("error", traceback.format_exc()))


def _answer(part: Partition, what: str, arg: Any) -> object:
    if what == "start":
        part.hash = hash if arg else stable_hash
        part.start()
        return len(part.frontier)
    if what == "expand":
        return part.expand()
    if what == "merge":
        return part.merge(arg)
    if what == "commit":
        return part.commit(*arg)
    if what == "entries":
        return [part.entry(i) for i in arg]
    raise ValueError(f"no such request: {what}")  # pragma: no cover - ours only


# -- in the main process ---------------------------------------------------------------


class Halt(Exception):  # noqa: N818 - a control-flow signal, like StopIteration
    """The limits said stop while the main process waited for the workers."""


class Team(Protocol):
    """The workers of one search, as the main process talks to them."""

    size: int

    def each(self, what: str, arg: object = None) -> list[Any]:
        """Send every worker the same request; their answers in worker order."""

    def ask(self, requests: list[tuple[str, object]], *, limited: bool = True) -> list[Any]:
        """Send each worker its own request; their answers in worker order (``limited``:
        checking the limits while waiting, ``Halt`` when they say stop)."""

    def halt(self) -> bool:
        """Stop the work in flight; False when a worker did not stop in time."""

    def close(self, *, now: bool) -> None:
        """Let the workers go (``now``: without waiting for them)."""


class Local:
    """Workers as objects in this process, answering in turn: the same search without
    processes (its tests run it with any number of workers, any hashing)."""

    def __init__(self, compiled: CompiledSpace, workers: int, *, shared: int = 0,
                 hashed: Callable[[object], int] = hash) -> None:
        self.size = workers
        self.parts = [Partition(compiled, me, workers, shared) for me in range(workers)]
        for part in self.parts:
            part.hash = hashed
            part.start()

    def each(self, what: str, arg: object = None) -> list[Any]:
        return self.ask([(what, arg)] * self.size)

    def ask(self, requests: list[tuple[str, object]], *, limited: bool = True) -> list[Any]:
        del limited
        return [_answer(part, what, arg)
                for part, (what, arg) in zip(self.parts, requests, strict=True)]

    def halt(self) -> bool:  # pragma: no cover - nothing is in flight between requests
        return True

    def close(self, *, now: bool) -> None:
        del now


class Workers:
    """The worker processes of one search, and their pipes."""

    def __init__(self, compiled: CompiledSpace, scenario: Scenario,
                 branches: list[str | None] | None, workers: int, limits: Limits) -> None:
        context = multiprocessing.get_context()
        method = context.get_start_method()
        forked = method == "fork"
        parent = None if method == "forkserver" else os.getpid()
        self.limits = limits
        self.flag = context.RawValue("b", 0)
        self.size = workers
        self.conns: list[Connection] = []
        self.procs: list[Any] = []
        self.owing: dict[int, Connection] = {}
        """The workers whose answer to the last request has not been read."""
        shared = len(compiled.subs.items) if forked else 0
        try:
            for me in range(workers):
                mine, theirs = context.Pipe()
                proc = context.Process(
                    target=work, name=f"explore-{me}", daemon=True,
                    args=(parent, self.flag, me, workers, theirs,
                          compiled if forked else None, scenario, branches, shared),
                )
                proc.start()
                theirs.close()
                self.conns.append(mine)
                self.procs.append(proc)
            self.owing = dict(enumerate(self.conns))
            probes = set(self.gather())
            self.each("start", len(probes) == 1)
        except BaseException:
            self.close(now=True)
            raise

    def each(self, what: str, arg: object = None) -> list[Any]:
        """Send every worker the same request; their answers in worker order."""
        return self.ask([(what, arg)] * self.size)

    def ask(self, requests: list[tuple[str, object]], *, limited: bool = True) -> list[Any]:
        """Send each worker its own request; their answers in worker order (``limited``:
        checking the limits while waiting)."""
        for conn, request in zip(self.conns, requests, strict=True):
            conn.send(request)
        self.owing = dict(enumerate(self.conns))
        return self.gather(limited=limited)

    def gather(self, *, limited: bool = True) -> list[Any]:
        """Every worker's answer, checking the limits while waiting (``Halt`` when they
        say stop) unless not ``limited``; a worker's failure is raised here."""
        replies: dict[int, object] = {}
        while self.owing:
            ready = wait(list(self.owing.values()), timeout=POLL)
            if not ready and limited and self.limits.check() is not None:
                raise Halt
            for me, conn in list(self.owing.items()):
                if conn in ready:
                    status, reply = self._read(me, conn)
                    if status == "stopped":  # pragma: no cover - only after a Halt
                        raise Halt
                    replies[me] = reply
        return [replies[me] for me in range(len(self.conns))]

    def _read(self, me: int, conn: Connection) -> tuple[str, object]:
        try:
            status, reply = conn.recv()
        except EOFError:
            raise WorkerError(f"explore worker {me} exited") from None
        del self.owing[me]
        if status == "error":
            raise WorkerError(str(reply))
        return status, reply

    def halt(self) -> bool:
        """Stop the workers' work in flight (the stop flag) and read their answers, for
        up to ``GRACE`` seconds; then they answer requests again. False when one did not
        answer in time."""
        self.flag.value = 1
        deadline = time.perf_counter() + GRACE
        while self.owing:
            left = deadline - time.perf_counter()
            ready = wait(list(self.owing.values()), timeout=max(0.0, left))
            if not ready:
                return False
            for me, conn in list(self.owing.items()):
                if conn in ready:
                    self._read(me, conn)
        return True

    def close(self, *, now: bool) -> None:
        """Let the workers go: asked to quit, or at once (the stop flag raised, the pipes
        closed, what has not exited after ``GRACE`` seconds killed)."""
        if now:
            self.flag.value = 1
        else:
            for conn in self.conns:
                with contextlib.suppress(OSError):
                    conn.send(("quit", None))
        for conn in self.conns:
            conn.close()
        deadline = time.perf_counter() + GRACE
        for proc in self.procs:
            proc.join(max(0.0, deadline - time.perf_counter()))
        for proc in self.procs:
            if proc.is_alive():
                proc.kill()
                proc.join(GRACE)


@dataclass
class Findings:
    """What the workers hold that a result reports: the first breach of each invariant
    (worker, its parent's index there, move, breach) and the first stuck states
    (worker, index, reason)."""

    found: dict[str, tuple[int, int, Code, InvariantBreach]] = field(default_factory=dict)
    stuck: list[tuple[int, int, int, str]] = field(default_factory=list)


def search_partitioned(
    compiled: CompiledSpace,
    search: SearchRecord,
    scenario: Scenario,
    branches: list[str | None] | None,
    *,
    workers: int,
    max_states: int,
    max_depth: int | None,
    limits: Limits,
    tick: Callable[[int], None] | None = None,
    team: Callable[[], Team] | None = None,
) -> str | None:
    """Fill ``search`` as the one-process search does, on ``workers`` processes (its
    parents and moves only on the paths a result reports). Returns why it stopped
    (None: it ran out). ``team`` makes the workers instead (tests: ``Local``)."""
    for node in compiled.space.initial():
        s = compiled.encode(node)
        index = search.add(compiled.key(s), -1, None, node.root)
        if index is not None:
            search.breach(index, None, compiled.breach_list(None, s))
    search.count = len(search.parent)
    findings = Findings()
    pool: Team | None = None
    stopped: str | None = "interrupted"
    try:
        pool = (team or (lambda: Workers(compiled, scenario, branches, workers, limits)))()
        try:
            stopped = _levels(pool, search, findings, max_states, max_depth, limits, tick)
        except Halt:
            stopped = limits.stopped
            if not pool.halt():
                raise Abandon from None
        _paths(pool, search, findings)
    except (KeyboardInterrupt, Abandon):
        # the levels done are kept; the paths the workers held are not
        if pool is not None:
            pool.close(now=True)
        search.found = {k: f for k, f in search.found.items() if f.parent >= 0}
        search.stuck = []
        return stopped
    except BaseException:
        if pool is not None:
            pool.close(now=True)
        raise
    pool.close(now=False)
    return stopped


class Abandon(Exception):  # noqa: N818 - a control-flow signal
    """A worker did not stop in time: the search ends without its paths."""


def _levels(
    pool: Team, search: SearchRecord, findings: Findings, max_states: int,
    max_depth: int | None, limits: Limits, tick: Callable[[int], None] | None,
) -> str | None:
    """The levels, as ``SearchRecord.by_levels`` goes through them."""
    frontier = len(search.parent)
    depth = 0
    while frontier:
        if max_depth is not None and depth >= max_depth:
            search.cut = frontier
            return "max_depth"
        search.depth = depth
        batches = pool.each("expand")
        found = pool.ask([("merge", [batch[to] for batch in batches])
                          for to in range(len(batches))])
        ranks = array("q")
        for data in found:
            ranks.frombytes(data)
        places = sorted(ranks)
        frontier = len(places)
        room = max(1, max_states - search.states)
        cut = None
        if frontier >= room:  # the level stops at the state that reaches max_states
            cut = places[room - 1]
            del places[room:]
            frontier = room
        _count(search, findings, pool.each("commit", (cut, array("q", places).tobytes())))
        search.count = search.states + frontier
        if frontier:
            depth += 1
        search.depth = depth
        if cut is not None:
            return "max_states"
        if tick is not None:
            tick(frontier)
        if limits.check() is not None:
            return limits.stopped
    return None


def _count(search: SearchRecord, findings: Findings, levels: list[Level]) -> None:
    """Add the workers' counts of one level to ``search`` and ``findings``."""
    stuck: list[tuple[int, int, int, str]] = []
    first: dict[str, tuple[int, int, int, Code, InvariantBreach]] = {}
    for worker, level in enumerate(levels):
        search.transitions += level.transitions
        search.stuck_count += level.stuck_count
        for label, count in level.outcomes.items():
            search.outcomes[label] = search.outcomes.get(label, 0) + count
        stuck += [(rank, worker, index, reason) for rank, index, reason in level.stuck]
        for name, (rank, index, code, breach) in level.found.items():
            if name not in search.found and (name not in first or rank < first[name][0]):
                first[name] = (rank, worker, index, code, breach)
    stuck.sort(key=lambda x: x[0])
    findings.stuck += stuck[: STUCK_KEPT - len(findings.stuck)]
    for name, (_, worker, index, code, breach) in first.items():
        findings.found[name] = (worker, index, code, breach)
        search.found[name] = Found(-1, code, breach)  # its parent: ``_paths``


def _paths(pool: Team, search: SearchRecord, findings: Findings) -> None:
    """Bring into ``search`` the paths a result reports: the parent of each first breach
    and each stuck state, followed back across workers to its starting state."""
    for name, (worker, index, code, breach) in findings.found.items():
        search.found[name] = Found(_chain(pool, search, worker, index), code, breach)
    search.stuck = [(_chain(pool, search, worker, index), reason)
                    for _, worker, index, reason in findings.stuck]


def _chain(pool: Team, search: SearchRecord, worker: int, index: int) -> int:
    """State ``index`` of ``worker``, recorded in ``search`` with its path: its index
    there."""
    moves: list[Code] = []
    while True:
        request: list[tuple[str, object]] = [("entries", [])] * pool.size
        request[worker] = ("entries", [index])
        (entry,) = pool.ask(request, limited=False)[worker]
        parent_worker, parent_index, code = cast(tuple[int, int, Code], entry)
        if parent_worker < 0:
            break
        moves.append(code)
        worker, index = parent_worker, parent_index
    at = parent_index  # a starting state: its index in the main process
    for code in reversed(moves):
        at = search.attach(at, code)
    return at
