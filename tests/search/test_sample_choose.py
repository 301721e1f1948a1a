"""``CompiledSpace.choose`` (what ``sample`` walks): applying only the drawn option, and
drawing again when it is blocked, gives exactly the explorer's options (``Space.expand``)
renormalised by their weights."""

from __future__ import annotations

from typing import Any

from benchmarks.family import Family
from negotiation import Scenario
from negotiation.loader import load_scenario
from negotiation.runtime.compiled._base import Pick
from negotiation.runtime.compiled.space import CompiledSpace, compile_space
from negotiation.runtime.space import Space, SpaceNode
from tests.conftest import TALKS
from tests.conftest import expansion as expand

Outcome = tuple[Any, ...]


def _shares(weights: list[float]) -> list[float]:
    total = sum(weights)
    if total <= 0:
        return [1 / len(weights)] * len(weights)
    return [w / total for w in weights]


def _compiled(space: Space) -> CompiledSpace:
    compiled = compile_space(space)
    assert compiled is not None
    return compiled


def _scripted(script: tuple[int, ...], asked: list[list[float]]) -> Pick:
    """A ``pick`` that gives the answers of ``script``, then raises LookupError."""

    def pick(weights: list[float]) -> int:
        asked.append(weights)
        if len(asked) > len(script):
            raise LookupError
        return script[len(asked) - 1]

    return pick


def _chosen(compiled: CompiledSpace, node: SpaceNode) -> dict[Outcome, float]:
    """Every result of ``choose`` with its exact probability (every answer of ``pick``)."""
    out: dict[Outcome, float] = {}
    scripts: list[tuple[tuple[int, ...], float]] = [((), 1.0)]
    s = compiled.encode(node)
    while scripts:
        script, p = scripts.pop()
        asked: list[list[float]] = []
        try:
            child, stuck = compiled.choose(s, _scripted(script, asked))
        except LookupError:
            shares = _shares(asked[-1])
            scripts += [((*script, i), p * q) for i, q in enumerate(shares) if q > 0]
            continue
        k: Outcome = ("stuck", stuck) if child is None else ("child", compiled.key(child))
        out[k] = out.get(k, 0.0) + p
    return out


def _expanded(compiled: CompiledSpace, space: Space, node: SpaceNode) -> dict[Outcome, float]:
    expansion = expand(space, node)
    if not expansion.edges:
        return {("stuck", expansion.stuck is not None): 1.0}
    shares = _shares([e.weight for e in expansion.edges]) if len(expansion.edges) > 1 else [1.0]
    out: dict[Outcome, float] = {}
    for edge, q in zip(expansion.edges, shares, strict=True):
        k = ("child", compiled.key(compiled.encode(edge.node)))
        out[k] = out.get(k, 0.0) + q
    return out


def _same_everywhere(scenario: Scenario) -> int:
    space = Space(scenario)
    compiled = _compiled(space)
    seen = set()
    frontier = space.initial()
    checked = 0
    while frontier:
        following = []
        for node in frontier:
            chosen, expanded = _chosen(compiled, node), _expanded(compiled, space, node)
            assert chosen.keys() == expanded.keys()
            for k, p in chosen.items():
                assert abs(p - expanded[k]) < 1e-9, (k, p, expanded[k])
            checked += 1
            for edge in expand(space, node).edges:
                if edge.node.key() not in seen:
                    seen.add(edge.node.key())
                    following.append(edge.node)
        frontier = following
    return checked


def test_choose_draws_expands_options_renormalised() -> None:
    assert _same_everywhere(load_scenario(TALKS)) > 100


def test_free_moves_drawn_among_candidates_are_the_legal_moves_uniformly() -> None:
    # two documents, two free decisions: some candidate moves are blocked
    assert _same_everywhere(Family(2, 2).scenario()) > 1000


def test_blocked_options_are_drawn_again_and_all_blocked_is_stuck() -> None:
    data = load_scenario(TALKS).model_dump(mode="json", exclude_none=True)
    # east's reply: two options that are blocked once the plan is withdrawn, one that is not
    data["decisions"][0]["alternatives"] = [
        {"id": "accept", "probability": 0.7, "events": [
            {"kind": "accept", "by": ["east"], "document": "plan"}]},
        {"id": "sign", "events": [{"kind": "sign", "by": ["east"], "document": "plan"}]},
        {"id": "silence", "events": []},
    ]
    data["branches"] = [
        {"id": "withdrawn", "add": [
            {"kind": "withdraw", "by": ["west"], "document": "plan", "date": "2025-11-23"}]},
    ]
    assert _same_everywhere(Scenario.model_validate(data)) > 50
    # nothing left: both expand and choose are stuck
    data["decisions"][0]["alternatives"] = data["decisions"][0]["alternatives"][:2]
    scenario = Scenario.model_validate(data)
    space = Space(scenario, ["withdrawn"])
    node = space.initial()[0]
    while (expansion := expand(space, node)).edges:
        node = expansion.edges[0].node
    assert expansion.stuck is not None and "accept:" in expansion.stuck
    assert _chosen(_compiled(space), node) == {("stuck", True): 1.0}
    assert _same_everywhere(scenario) > 20
