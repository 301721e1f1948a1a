"""Deadline rules, all as data: due dates, windows, options, defaults and sunsets.

Kinds and what they mean (calendar days; the due day itself counts as in time):

``deadline``
    Due on ``due``; met when ``requirement`` holds (at once, if ``ends_early``; else
    checked only at the close of the due day). Passing unmet applies the
    ``consequence``: *automatic* effects apply on expiry (status ``expired``); a
    *threatened* one marks it ``missed`` and waits for the setter to enforce, waive or
    extend it by a later event.
``window``
    Opens ``earliest_days`` after its anchor and closes ``latest_days`` after it; the
    anchor is a date, or the day a condition first holds. Met when the requirement
    holds inside the window; ``early`` if before it; missed after it.
``option``
    Lapses (``expired``) unless its requirement (the exercise) holds by ``due``.
``default``
    The consequence applies unless the requirement (a named party's act) holds within
    ``within_days`` of the anchor: a date, the day a condition first holds, or the day
    a named event is applied.
``sunset``
    On ``due`` its consequence applies (e.g. an agreement lapses).

A ``conditional_extension`` moves the due date to ``extended_due`` if its condition
holds at the close of ``cutoff``; otherwise the nearer date stands.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import model_validator

from negotiation.model._base import Frozen, Id, Ref, Unknown
from negotiation.model.attribution import Attribution
from negotiation.model.dates import FuzzyDate
from negotiation.model.events import Event

MAX_DAY_COUNT = 100_000
"""The longest relative deadline, in days (about 270 years)."""


class DeadlineKind(StrEnum):
    deadline = "deadline"
    window = "window"
    option = "option"
    default = "default"
    sunset = "sunset"


class DeadlineStatus(StrEnum):
    inactive = "inactive"
    waiting = "waiting"
    pending = "pending"
    open = "open"
    met = "met"
    early = "early"
    missed = "missed"
    expired = "expired"
    enforced = "enforced"
    waived = "waived"
    dropped = "dropped"


LIVE_STATUSES = frozenset({DeadlineStatus.waiting, DeadlineStatus.pending, DeadlineStatus.open})
"""Statuses in which a deadline can still be met, missed or extended."""


class Anchor(Frozen):
    """What a relative deadline counts from: a date, the day a condition first holds, or
    the day an event (by its id) is applied."""

    date: FuzzyDate | None = None
    condition: str | None = None
    event: Id | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Anchor:
        if sum(x is not None for x in (self.date, self.condition, self.event)) != 1:
            raise ValueError("an anchor needs exactly one of 'date', 'condition' or 'event'")
        return self


class Consequence(Frozen):
    """What happens when a deadline passes unmet."""

    mode: Literal["automatic", "threatened"] = "automatic"
    summary: str | None = None
    effects: list[Event] = []


class ConditionalExtension(Frozen):
    condition: str
    cutoff: FuzzyDate
    extended_due: FuzzyDate


class Deadline(Frozen):
    """A deadline rule. See the module docstring for the kinds."""

    id: Id
    kind: DeadlineKind = DeadlineKind.deadline
    summary: str | None = None
    set_by: Ref | Unknown | None = None
    on: list[Ref] = []
    active: bool = True
    due: FuzzyDate | None = None
    anchor: Anchor | None = None
    within_days: int | None = None
    earliest_days: int | None = None
    latest_days: int | None = None
    requirement: str | None = None
    ends_early: bool = True
    consequence: Consequence | None = None
    conditional_extension: ConditionalExtension | None = None
    binding: bool = True
    priority: int = 0
    attribution: Attribution | None = None
    assumption: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> Deadline:
        kind = self.kind
        dated = (DeadlineKind.deadline, DeadlineKind.option, DeadlineKind.sunset)
        if kind in dated and self.due is None and self.active:
            raise ValueError(f"a {kind.value} needs a 'due' date")
        if kind is DeadlineKind.window:
            if self.anchor is None or self.earliest_days is None or self.latest_days is None:
                raise ValueError("a window needs 'anchor', 'earliest_days' and 'latest_days'")
            if self.latest_days < self.earliest_days:
                raise ValueError(
                    f"a window's latest day ({self.latest_days}) precedes its earliest "
                    f"({self.earliest_days})"
                )
        if kind is DeadlineKind.default and (self.anchor is None or self.within_days is None):
            raise ValueError("a default needs 'anchor' and 'within_days'")
        if kind in (DeadlineKind.option, DeadlineKind.default, DeadlineKind.window) and (
            self.requirement is None
        ):
            raise ValueError(f"a {kind.value} needs a 'requirement'")
        for days in (self.within_days, self.earliest_days, self.latest_days):
            if days is not None and not 0 <= days <= MAX_DAY_COUNT:
                raise ValueError(f"day counts must be between 0 and {MAX_DAY_COUNT}")
        ext = self.conditional_extension
        if ext is not None and self.due is not None:
            if ext.extended_due.last_day < self.due.last_day:
                raise ValueError("a conditional extension must not move the due date earlier")
            if ext.cutoff.last_day > self.due.last_day:
                raise ValueError("a conditional extension's cutoff must not be after the due date")
        return self
