"""What the parts of ``Runtime`` (and ``CompiledSpace``) share: the attributes
``__init__`` and the compiling steps set, and (for the type checker only) the methods
one part calls on another. Each part is a class over ``Parts``; ``Runtime`` inherits
the runtime's parts, ``CompiledSpace`` those and the search's."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from negotiation import conditions as cond
    from negotiation.model.dates import FuzzyDate
    from negotiation.model.events import (
        AmendPoint,
        DropDeadline,
        EnforceDeadline,
        Event,
        ExtendDeadline,
        OfferEvent,
        PublishPoints,
        Ratify,
        RemovePoint,
        SetDeadline,
        WaiveDeadline,
    )
    from negotiation.model.scenario import Scenario
    from negotiation.runtime.compiled._base import (
        DeadlineInfo,
        DeadlineSlot,
        Op,
        Pred,
        RuleInfo,
        W,
    )
    from negotiation.runtime.compiled._record import DeadlineHistory, History, Recorder
    from negotiation.runtime.compiled._subs import Subs
    from negotiation.runtime.lifecycles import Lifecycle
    from negotiation.runtime.program import Program


class Parts:
    """The shared attributes of a compiled space (declarations only)."""

    # set by Runtime.__init__
    program: Program
    scenario: Scenario
    lifecycles: dict[str, Lifecycle]
    subs: Subs
    _ops: list[Op]
    _settle_known: bool
    visit_order: bool
    carry_visited: bool
    sorted_points: bool
    growable: bool
    _relevant: dict[str, dict[tuple[str, str], tuple[int, ...]]]
    _allowed: dict[str, dict[str, bool]]
    _op_memo: dict[Hashable, Op]
    decision_preds: dict[str, tuple[Pred, cond.Node]]
    _doc_parts: dict[tuple[str, str], tuple[Callable[[str, tuple[bool, ...]], str | None],
                                            list[tuple[Pred, cond.Node, str]]]]
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
    talks_slot: int
    width: int
    lc_guards: dict[str, list[Pred]]
    absorbing: dict[str, frozenset[str]]
    absorbing_by_slot: list[frozenset[str]]
    required_slots: dict[int, list[int] | None]
    # set by Clock._compile_clock
    deadlines: list[DeadlineInfo]
    dl_info: dict[str, DeadlineInfo]
    anchored_on_events: set[str | None]
    rules: list[RuleInfo]
    settle_reads: frozenset[int]
    deadline_readers: dict[int, list[int]]
    rule_readers: dict[int, list[int]]
    has_rules: bool
    static_wake: set[int]
    fact_wake: list[tuple[int, int]]
    # set by Participants._compile_participation
    participation_used: bool
    until_preds: dict[str, tuple[Pred, cond.Node]]
    leaves_later: bool

    if TYPE_CHECKING:
        # Conditions
        def _pred_of(self, node: cond.Node | None) -> Pred | None: ...
        def pred(self, node: cond.Node) -> Pred: ...
        def _stance_is(self, party: str, target: str, stance: str) -> Pred: ...
        def standing(self, w: Sequence[Any], party: str, doc_id: str) -> str: ...
        def _reads(self, node: cond.Node) -> set[int]: ...
        def view(self, w: Sequence[Any], h: History | None = None) -> cond.Facts: ...
        def threshold_of(
            self, doc_id: str
        ) -> Callable[[tuple[str, ...]], list[str]] | None: ...
        # Layout
        def relation_bit(self, key: str) -> int: ...
        def points_tuple(
            self, items: Iterable[tuple[str, str]]
        ) -> tuple[tuple[str, str], ...]: ...
        def package_items(
            self, doc_id: str, items: Iterable[tuple[str, str]]
        ) -> tuple[tuple[str, str], ...]: ...
        # Acts
        def op(self, event: Event) -> Op: ...
        def _stance_allowed(self, stance: str) -> dict[str, bool]: ...
        # Votes
        def failed_vote_op(self, event: Ratify) -> Op: ...
        # Offers
        def offer_op(self, event: OfferEvent) -> Op: ...
        # Publication
        def point_text_op(self, event: AmendPoint | PublishPoints | RemovePoint) -> Op: ...
        # Participants
        def participation_op(self, event: Event) -> Op: ...
        def gate(self, event: Event, op: Op) -> Op: ...
        def withdrawals_due(self, w: W, day: int, rec: Recorder | None) -> set[int]: ...
        def withdrawal_days(self, s: Sequence[Any]) -> list[int]: ...
        def lift_exclusions(self, w: W, rec: Recorder | None) -> bool: ...
        # DecidedLater
        def decided_extend_op(self, event: ExtendDeadline, info: DeadlineInfo) -> Op: ...
        def settle_decisions(self, w: W, rec: Recorder | None) -> set[int]: ...
        # Clock
        def _set_deadline_op(self, event: SetDeadline) -> Op: ...
        def _deadline_op(
            self, event: ExtendDeadline | DropDeadline | EnforceDeadline | WaiveDeadline
        ) -> Op: ...
        def activate(self, d: DeadlineInfo, due: FuzzyDate | None) -> DeadlineSlot: ...
        def fresh_history(self, d: DeadlineInfo, w: W) -> DeadlineHistory: ...
        def anchor_now(
            self, w: W, d: DeadlineInfo, ds: DeadlineSlot, rec: Recorder | None = None
        ) -> DeadlineSlot: ...
        def resolve(
            self, w: W, d: DeadlineInfo, status: str, note: str, rec: Recorder | None,
            unmet: bool = False,
        ) -> None: ...
        def close_day(self, w: W, rec: Recorder | None = None) -> None: ...
        def arrive(self, w: W, day: int, rec: Recorder | None = None) -> None: ...
        def next_stop(self, s: Sequence[Any], date: int, goal: int) -> int: ...
        # Settle
        def _new_op(self, op: Op) -> None: ...
        def _finish_ops(self) -> None: ...
        def skipped(
            self, w: W, op: Op, rec: Recorder | None, cause: str | None
        ) -> bool: ...
        def apply_top(self, w: W, op: Op, rec: Recorder | None = None) -> bool: ...
        def apply_effect(
            self, w: W, op: Op, rec: Recorder | None, cause: str | None
        ) -> None: ...
        def perform(self, w: W, op: Op, rec: Recorder | None, cause: str | None) -> int: ...
        def settle(
            self, w: W, rec: Recorder | None = None, touched: set[int] | None = None
        ) -> list[str]: ...
        def touched_by(self, op: Op) -> set[int] | None: ...
