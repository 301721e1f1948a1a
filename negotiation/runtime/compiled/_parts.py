"""What the parts of ``CompiledSpace`` share: the attributes ``__init__`` and the
compiling steps set, and (for the type checker only) the methods one part calls on
another. Each part is a class over ``Parts``; ``CompiledSpace`` inherits them all."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from negotiation import conditions as cond
    from negotiation.model.dates import FuzzyDate
    from negotiation.model.events import (
        DropDeadline,
        EnforceDeadline,
        Event,
        ExtendDeadline,
        SetDeadline,
        WaiveDeadline,
    )
    from negotiation.model.scenario import Scenario
    from negotiation.runtime.compiled._base import (
        DeadlineInfo,
        DeadlineMoves,
        DeadlineSlot,
        Decision,
        DocMoves,
        Op,
        Pred,
        RootInfo,
        RuleInfo,
        S,
        W,
    )
    from negotiation.runtime.compiled._subs import Subs
    from negotiation.runtime.lifecycles import Lifecycle
    from negotiation.runtime.program import Program
    from negotiation.runtime.space import Space


class Parts:
    """The shared attributes of a compiled space (declarations only)."""

    # set by CompiledSpace.__init__
    space: Space
    program: Program
    scenario: Scenario
    lifecycles: dict[str, Lifecycle]
    subs: Subs
    _ops: list[Op]
    _party_moves: dict[str, tuple[list[DocMoves], list[DeadlineMoves]]]
    max_moves: int
    visit_order: bool
    carry_visited: bool
    project: bool
    _relevant: dict[str, dict[tuple[str, str], tuple[int, ...]]]
    when: list[tuple[int, Pred, Decision]]
    roots: list[RootInfo]
    invariants: list[Pred]
    _outcomes: dict[Hashable, str]
    _risky: dict[tuple[int, int, int], str]
    # set by Layout._layout
    doc_ids: list[str]
    doc_slot: dict[str, int]
    doc_end: int
    pos_slot: dict[str, int]
    rel_slot: int
    rel_bit: dict[str, int]
    fact_ids: list[str]
    fact_slot: dict[str, int]
    dl_ids: list[str]
    dl_slot: dict[str, int]
    dl_first: int
    dl_end: int
    rule_ids: list[str]
    rule_slot: dict[str, int]
    width: int
    lc_guards: dict[str, list[Pred]]
    absorbing: dict[str, frozenset[str]]
    absorbing_by_slot: list[frozenset[str]]
    required_slots: dict[int, list[int] | None]
    initial_names: dict[int, str]
    # set by Clock._compile_clock
    deadlines: list[DeadlineInfo]
    dl_info: dict[str, DeadlineInfo]
    anchored_on_events: set[str | None]
    rules: list[RuleInfo]
    settle_reads: frozenset[int]
    has_rules: bool
    static_wake: set[int]
    fact_wake: list[tuple[int, int]]

    if TYPE_CHECKING:
        # Conditions
        def _pred_of(self, node: cond.Node | None) -> Pred | None: ...
        def pred(self, node: cond.Node) -> Pred: ...
        def _stance_is(self, party: str, target: str, stance: str) -> Pred: ...
        def _reads(self, node: cond.Node) -> set[int]: ...
        # Acts
        def op(self, event: Event) -> Op: ...
        # Clock
        def _set_deadline_op(self, event: SetDeadline) -> Op: ...
        def _deadline_op(
            self, event: ExtendDeadline | DropDeadline | EnforceDeadline | WaiveDeadline
        ) -> Op: ...
        def _activate(self, d: DeadlineInfo, due: FuzzyDate | None) -> DeadlineSlot: ...
        def anchor_now(self, w: W, d: DeadlineInfo, ds: DeadlineSlot) -> DeadlineSlot: ...
        def close_day(self, w: W) -> None: ...
        def arrive(self, w: W, day: int) -> None: ...
        def next_stop(self, s: S, date: int, goal: int) -> int: ...
        # Settle
        def apply_top(self, w: W, op: Op) -> bool: ...
        def apply_effect(self, w: W, op: Op) -> None: ...
        def settle(self, w: W) -> None: ...
