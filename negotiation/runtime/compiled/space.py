"""``CompiledSpace``: the explorer's space over tuple states, and ``compile_space``.

A ``Runtime`` that keeps what ``SpaceNode.key()`` hashes (plus root, cursor and the
decisions taken), with the search's steps (``_steps``) and outcome labels (``_outcomes``),
and the edges to the engine-driven space: ``encode`` (a node to a tuple), ``decode``
(back, exact on what the key hashes) and ``key`` (what the search merges on)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from typing import Any

from negotiation import conditions as cond
from negotiation.model.deadlines import DeadlineStatus
from negotiation.model.state import DeadlineState, DocumentState, PositionState, RuleState, State
from negotiation.runtime.compiled._base import (
    ABSENT,
    CLOSED,
    CURSOR,
    DATE,
    FIRST_DOC,
    ROOT,
    TAKEN,
    UNDATED,
    UNKNOWN,
    Code,
    DeadlineMoves,
    DocMoves,
    NotCompilableError,
    S,
)
from negotiation.runtime.compiled._layout import (
    decided_state,
    exclusions,
    offer_state,
    standings,
)
from negotiation.runtime.compiled._outcomes import Outcomes
from negotiation.runtime.compiled._runtime import Runtime
from negotiation.runtime.compiled._steps import Steps
from negotiation.runtime.compiled._subs import Sub
from negotiation.runtime.program import Program
from negotiation.runtime.space import Edge, Expansion, InvariantBreach, Space, SpaceNode


def _visited_in_key(start: State) -> tuple[bool, bool]:
    """Whether ``State.key()`` hashes ``DocumentState.visited``, and whether it hashes
    the order of the visits too (read from the key itself, so that the compiled space
    merges states exactly as the engine's explorer does)."""
    if not start.documents:
        return False, False
    doc_id, ds = next(iter(start.documents.items()))

    def key(visited: tuple[str, ...]) -> Hashable:
        other = ds.model_copy(update={"visited": visited})
        return start.model_copy(update={"documents": {**start.documents, doc_id: other}}).key()

    hashed = key((*ds.visited, "~a")) != key(ds.visited)
    ordered = key((*ds.visited, "~a", "~b")) != key((*ds.visited, "~b", "~a"))
    return hashed, hashed and ordered


def _reads_visited(program: Program, extra: list[cond.Node]) -> bool:
    """Whether a condition reads the states a document visited (``has reached``)."""
    nodes = [*program.compiled.nodes(), *extra]
    return any(
        isinstance(n, cond.DocState) and n.reached for node in nodes for n in cond.walk(node)
    )


class CompiledSpace(Runtime, Steps, Outcomes):
    """Successors, invariants and outcomes of ``space`` over tuple states."""

    def __init__(self, space: Space, exact: bool = False) -> None:
        """The search's space, keeping what ``SpaceNode.key()`` hashes; or, ``exact``,
        keeping whole states (as the engine does), for recorded expansions: paths to
        show, stuck reasons, ``negotiation.testing``."""
        self.space = space
        program = space.engine.program
        in_key, ordered = _visited_in_key(space.start)
        extra = [test for _, test in space.when] + [test for _, test in space.invariants]
        carry = exact or in_key or _reads_visited(program, extra)
        super().__init__(
            program, carry_visited=carry, visit_order=ordered or exact,
            sorted_points=not exact, growable=exact, nodes=extra,
        )
        self.exact = exact
        self._exact: CompiledSpace | None = self if exact else None
        self.project = carry and not in_key
        self._party_moves: dict[str, tuple[list[DocMoves], list[DeadlineMoves]]] = {}
        self.max_moves = 0  # a bound on the candidate moves of any free decision
        self.initial_names = {self.doc_slot[k]: v for k, v in space.initial_docs.items()}
        self.when = [(1 << i, self.pred(test), self.decision(dp))
                     for i, (dp, test) in enumerate(space.when)]
        self.roots = [self._root(r) for r in space.roots]
        self.invariants = [
            (self.pred(test), frozenset(
                i for i, r in enumerate(space.roots) if inv.holds_in(r.name)
            ))
            for inv, test in space.invariants
        ]
        self._outcomes: dict[tuple[S, S], str] = {}
        self.end_key = self._end_key()
        self._risky: dict[tuple[int, int, int], tuple[str, ...]] = {}
        self.risky_steps: dict[S, dict[S, bool]] = {}

    def key(self, s: S) -> Hashable:
        """What the search merges on: the state, without visited when the engine's key
        leaves it out."""
        if not self.project:
            return s
        keys = self.subs.key
        end = self.doc_end
        return (*s[:FIRST_DOC], *(keys[x] for x in s[FIRST_DOC:end]), *s[end:])

    # -- recorded expansions --------------------------------------------------------------
    def exact_space(self) -> CompiledSpace:
        """The exact compiled space of the same ``Space`` (made once)."""
        if self._exact is None:
            self._exact = CompiledSpace(self.space, exact=True)
        return self._exact

    def expansion(self, node: SpaceNode) -> Expansion:
        """Every successor of ``node`` with what its edge did, recorded; none at the end
        of its timeline or when stuck (then with the reason)."""
        exact = self.exact_space()
        w, h = exact.encode_state(node.state)
        w[ROOT], w[CURSOR], w[TAKEN] = node.root, node.cursor, node.taken
        children, stuck = exact.expand_traced(tuple(w), h)
        edges = []
        for code, child, tr in children:
            assert tr is not None
            state = exact.decode_state(list(child), tr.history)
            node = SpaceNode(child[ROOT], child[CURSOR], child[TAKEN], state)
            edges.append(Edge.of(code, node, tr))
        return Expansion(tuple(edges), stuck)

    def node_breaches(self, before: SpaceNode | None, after: SpaceNode) -> list[InvariantBreach]:
        """``breach_list`` of two engine nodes (encoded by the exact space)."""
        exact = self.exact_space()
        old = None if before is None else exact.encode(before)
        return exact.breach_list(old, exact.encode(after))

    def node_outcome(self, node: SpaceNode, stuck: str | None = None) -> str:
        """``outcome`` of an engine node."""
        exact = self.exact_space()
        return exact.outcome(exact.encode(node), stuck)

    def replay(self, root: int, codes: Sequence[Code]) -> list[Edge]:
        """The edges of a path given by its codes, from a root."""
        node = self.space.initial()[root]
        out: list[Edge] = []
        for code in codes:
            edge = next(e for e in self.expansion(node).edges if e.code == code)
            out.append(edge)
            node = edge.node
        return out

    def sub_value(self, x: int) -> SubValue:
        """Document sub-state ``x`` as a plain value, the same in any process."""
        return _plain(self.subs.items[x])

    def sub_id(self, value: SubValue) -> int:
        """The id here of a document sub-state given as ``sub_value`` gives it."""
        return self.subs.intern(Sub(*value))

    def encode(self, node: SpaceNode) -> S:
        """The tuple of an engine node."""
        w, _ = self.encode_state(node.state)
        w[ROOT], w[CURSOR], w[TAKEN] = node.root, node.cursor, node.taken
        return tuple(w)

    def decode(self, s: S) -> SpaceNode:
        """The engine node of a tuple (exact on everything ``SpaceNode.key()`` hashes)."""
        start = self.space.start
        documents = {}
        for doc_id, i in zip(self.doc_ids, range(FIRST_DOC, self.doc_end), strict=True):
            sub = self.subs.items[s[i]]
            first = start.documents[doc_id]
            documents[doc_id] = DocumentState.model_construct(
                state=sub.state,
                visited=sub.visited if self.carry_visited else first.visited,
                points=dict(sub.points),
                signed_by=sub.signed_by,
                ratified_by=sub.ratified_by,
                version=first.version,
                values=dict(sub.values),
                offer=offer_state(sub.offer, sub.to, sub.accepted),
                texts=dict(sub.texts),
                points_total=first.points_total,
                parties=standings(sub.parties),
                failed_by=sub.failed,
            )
        positions = {
            k: PositionState.model_construct(stance=s[j], since=None, conditions=())
            for k, j in self.pos_slot.items()
            if s[j] is not None
        }
        relations = {k: start.relations.get(k) for k, bit in self.rel_bit.items()
                     if s[self.rel_slot] & bit}
        facts = {
            f: None if s[j] == UNDATED else dt.date.fromordinal(s[j])
            for f, j in self.fact_slot.items()
            if s[j] > UNKNOWN and s[j] != ABSENT
        }
        deadlines = {}
        for d_id, j in self.dl_slot.items():
            status, due, opens, binding, cut, dec = s[j]
            deadlines[d_id] = DeadlineState.model_construct(
                status=DeadlineStatus(status),
                due=None if due is None else dt.date.fromordinal(due),
                opens=None if opens is None else dt.date.fromordinal(opens),
                anchor=None, binding=binding, extensions=(), resolved_on=None,
                cutoff_done=cut, decision=decided_state(dec),
            )
        rules = {r: RuleState.model_construct(fired=s[j] >> 1, last=bool(s[j] & 1))
                 for r, j in self.rule_slot.items()}
        state = State.model_construct(
            date=dt.date.fromordinal(s[DATE]), closed=s[CLOSED], documents=documents,
            positions=positions, relations=relations, facts=facts, deadlines=deadlines,
            rules=rules, excluded=exclusions(s[self.talks_slot]), step=0,
            unknown_facts=tuple(f for f, j in self.fact_slot.items() if s[j] == UNKNOWN),
        )
        return SpaceNode(s[ROOT], s[CURSOR], s[TAKEN], state)


SubValue = tuple[Any, ...]
"""A document sub-state as a plain value (its fields in order), not an interned id: what
travels between processes (each interns what it receives)."""


def _plain(sub: Sub) -> SubValue:
    return (sub.state, sub.points, sub.signed_by, sub.ratified_by, sub.visited, sub.values,
            sub.offer, sub.texts, sub.parties, sub.failed, sub.to, sub.accepted)


def compile_space(space: Space) -> CompiledSpace | None:
    """The compiled space of ``space``, or None when the scenario is outside the subset."""
    try:
        compiled = CompiledSpace(space)
        for node in space.initial():
            compiled.encode(node)
    except NotCompilableError:
        return None
    return compiled
