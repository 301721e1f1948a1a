"""Immutable state snapshots. A branch or an undo is a pointer to an earlier snapshot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from typing import Any

from pydantic import SerializerFunctionWrapHandler, model_serializer

from negotiation.model._base import Frozen, ReprArgs, Shown, counted
from negotiation.model.deadlines import DeadlineStatus


class OfferState(Frozen):
    """The offer on the table: who made it and its package (point id -> option, as
    text: a label, or a number in its shortest form)."""

    by: str
    package: dict[str, str]
    to: tuple[str, ...] = ()
    """A single text's addressees: it is agreed when all of them have accepted it."""
    accepted: tuple[str, ...] = ()
    """Which of ``to`` have accepted it so far."""

    @model_serializer(mode="wrap")
    def _without_empty(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if not self.to:
            data.pop("to", None)
            data.pop("accepted", None)
        return data


class Standing(Frozen):
    """A party's standing in a document, where an event changed it: ``party`` (joined or
    readmitted), ``leaving`` (withdrawal notified, taking effect on ``effective``; it
    participates until then), ``suspended`` or ``withdrawn``, since ``since``."""

    status: str
    since: dt.date
    effective: dt.date | None = None


class Exclusion(Frozen):
    """A party excluded from the talks since ``since``, until ``until`` holds (if given)."""

    since: dt.date
    until: str | None = None


class DocumentState(Frozen):
    """A document's part of the state. ``values`` holds the option each point settled on
    by an accepted offer; ``offer`` the offer pending on it. Both are left out of a dump
    while empty, so states of scenarios without offers dump as before."""

    state: str
    visited: tuple[str, ...]
    points: dict[str, str] = {}
    signed_by: tuple[str, ...] = ()
    ratified_by: tuple[str, ...] = ()
    version: str | None = None
    values: dict[str, str] = {}
    offer: OfferState | None = None
    texts: dict[str, str] = {}
    """The text of each point published or amended by an event (point id -> text);
    a point's declared summary is not repeated here."""
    points_total: int | None = None
    """How many points the whole text has, when the scenario says only some are known."""

    @property
    def points_known(self) -> int:
        """How many of its points are known (published, not removed)."""
        return len(self.points)
    parties: dict[str, Standing] = {}
    failed_by: tuple[str, ...] = ()
    """Who voted the document down (``ratify`` with ``result: failed``) and has not
    ratified since; left out of a dump while empty."""

    @model_serializer(mode="wrap")
    def _without_empty(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if not self.values:
            data.pop("values", None)
        if self.offer is None:
            data.pop("offer", None)
        if not self.texts:
            data.pop("texts", None)
        if self.points_total is None:
            data.pop("points_total", None)
        else:
            data["points_known"] = self.points_known
        if not self.parties:
            data.pop("parties", None)
        if not self.failed_by:
            data.pop("failed_by", None)
        return data


class PositionState(Frozen):
    stance: str
    since: dt.date | None = None
    conditions: tuple[str, ...] = ()


class Extension(Frozen):
    """One move of a due date: who, when, from which date to which."""

    on: dt.date
    by: tuple[str, ...]
    from_due: dt.date | None
    to_due: dt.date
    after_expiry: bool = False
    conditional: bool = False
    event: str | None = None


class PendingExtension(Frozen):
    """An extension decided later (an ``extend_deadline`` with a ``condition``): on
    ``cutoff`` the due date moves to ``to`` if ``condition`` holds, else to ``otherwise``
    (None: it stays)."""

    cutoff: dt.date
    condition: str
    to: dt.date
    otherwise: dt.date | None = None
    by: tuple[str, ...] = ()
    event: str | None = None


class DeadlineState(Frozen):
    status: DeadlineStatus
    due: dt.date | None = None
    opens: dt.date | None = None
    anchor: dt.date | None = None
    binding: bool = True
    extensions: tuple[Extension, ...] = ()
    resolved_on: dt.date | None = None
    cutoff_done: bool = False
    decision: PendingExtension | None = None

    @model_serializer(mode="wrap")
    def _without_decision(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """No pending decision: the deadline dumps as it did before they existed."""
        data: dict[str, Any] = handler(self)
        if self.decision is None:
            data.pop("decision", None)
        return data


class RuleState(Frozen):
    fired: int = 0
    last: bool = False


class State(Frozen):
    """Everything that can change, at one moment of the calendar.

    ``closed`` says whether the close-of-day processing of ``date`` (deadlines due that
    day, extension cut-offs) has been done. The canonical ``key()`` hashes the date,
    documents (state, the states visited so far, points, signatures, ratifications, agreed
    values, the pending offer, parties' standings),
    positions (stance), relations, facts (with the day each became true, since durations
    depend on it), deadlines (status, due, opening day, binding, whether a conditional
    extension's cut-off has passed), rule memory and exclusions from the talks. Not
    hashed: ``step`` (a counter), version labels, position conditions and since-dates,
    extension history (recorded in the trace).
    """

    date: dt.date
    closed: bool = False
    documents: dict[str, DocumentState] = {}
    positions: dict[str, PositionState] = {}
    relations: dict[str, dt.date | None] = {}
    facts: dict[str, dt.date | None] = {}
    deadlines: dict[str, DeadlineState] = {}
    rules: dict[str, RuleState] = {}
    excluded: dict[str, Exclusion] = {}
    step: int = 0
    unknown_facts: tuple[str, ...] = ()
    """Facts that are unknown (neither true nor false); left out of a dump while empty."""

    @model_serializer(mode="wrap")
    def _without_empty(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """No exclusions, no unknown facts: the state dumps as it did before they
        existed."""
        data: dict[str, Any] = handler(self)
        if not self.excluded:
            data.pop("excluded", None)
        if not self.unknown_facts:
            data.pop("unknown_facts", None)
        return data

    def __repr_args__(self) -> ReprArgs:
        """A short ``repr``: ``State(2025-12-12, closed=True, 3 documents, 12 positions,
        2 deadlines, 1 fact)``."""
        yield None, Shown(self.date.isoformat())
        yield "closed", self.closed
        yield None, counted(len(self.documents), "document")
        yield None, counted(len(self.positions), "position")
        yield None, counted(len(self.deadlines), "deadline")
        yield None, counted(len(self.facts), "fact")

    def stance(self, party: str, on: str) -> str:
        pos = self.positions.get(f"{party}|{on}")
        return pos.stance if pos is not None else "unknown"

    def key(self) -> Hashable:
        """A canonical, hashable key: equal states have equal keys (``step`` excluded)."""
        return (
            self.date,
            self.closed,
            tuple(
                (
                    k,
                    d.state,
                    tuple(sorted(d.visited)),  # read by "has reached"
                    tuple(sorted(d.points.items())),
                    d.signed_by,
                    d.ratified_by,
                    tuple(sorted(d.values.items())),
                    None if d.offer is None
                    else (d.offer.by, tuple(sorted(d.offer.package.items())),
                          *((tuple(sorted(d.offer.to)), tuple(sorted(d.offer.accepted)))
                            if d.offer.to else ())),
                    tuple(sorted((p, x.status, x.since, x.effective)
                                 for p, x in d.parties.items())),
                    *((d.failed_by,) if d.failed_by else ()),
                )
                for k, d in sorted(self.documents.items())
            ),
            tuple(sorted((k, p.stance) for k, p in self.positions.items())),
            tuple(sorted(self.relations)),  # since-dates of relations are history only
            tuple(sorted(self.facts.items(), key=lambda kv: kv[0])),
            tuple(
                (k, d.status.value, d.due, d.opens, d.binding, d.cutoff_done,
                 None if d.decision is None else tuple(d.decision.model_dump().values()))
                for k, d in sorted(self.deadlines.items())
            ),
            tuple(sorted((k, r.fired > 0, r.last) for k, r in self.rules.items())),
            tuple(sorted((p, x.since, x.until) for p, x in self.excluded.items())),
            *((self.unknown_facts,) if self.unknown_facts else ()),
        )
