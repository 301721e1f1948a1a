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
``milestone``
    A named day of a text (adoption day, implementation day): reached (status
    ``reached``, not expired or missed) on ``due``, or ``within_days`` after its anchor
    (a date, the day a condition first holds, the day a named event is applied; a
    milestone may count from another: ``anchor: {condition: deadline adoption_day is
    reached}``). Its consequence's effects then apply, whatever their mode.

A ``conditional_extension`` moves the due date to ``extended_due`` if its condition
holds at the close of ``cutoff``; otherwise the nearer date stands.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import ConfigDict, Field, model_validator
from pydantic.json_schema import JsonSchemaValue

from negotiation.model._base import (
    ASSUMPTION,
    ATTRIBUTION,
    CONDITION,
    PRIORITY,
    SUMMARY,
    Frozen,
    Id,
    Ref,
    Unknown,
    exactly_one,
)
from negotiation.model.attribution import Attribution
from negotiation.model.dates import FuzzyDate
from negotiation.model.events import Event

MAX_DAY_COUNT = 100_000
"""The longest relative deadline, in days (about 270 years)."""

_DAY_COUNT: JsonSchemaValue = {"minimum": 0, "maximum": MAX_DAY_COUNT}
"""The JSON Schema bounds of a day count (the model's validator checks the same)."""


class DeadlineKind(StrEnum):
    """What kind of deadline rule (see the module docstring)."""

    deadline = "deadline"
    window = "window"
    option = "option"
    default = "default"
    sunset = "sunset"
    milestone = "milestone"


class DeadlineStatus(StrEnum):
    """Where a deadline stands."""

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
    reached = "reached"


LIVE_STATUSES = frozenset({DeadlineStatus.waiting, DeadlineStatus.pending, DeadlineStatus.open})
"""Statuses in which a deadline can still be met, missed or extended."""


class Anchor(Frozen):
    """What a relative deadline counts from: a date, the day a condition first holds, or
    the day an event (by its id) is applied."""

    model_config = ConfigDict(json_schema_extra=exactly_one("date", "condition", "event"))

    date: FuzzyDate | None = Field(None, description="Count from this date.")
    condition: str | None = Field(
        None, description=f"Count from the day this first holds. {CONDITION}"
    )
    event: Id | None = Field(None, description="Count from the day the event with this id applies.")

    @model_validator(mode="after")
    def _exactly_one(self) -> Anchor:
        if sum(x is not None for x in (self.date, self.condition, self.event)) != 1:
            raise ValueError("an anchor needs exactly one of 'date', 'condition' or 'event'")
        return self


class Consequence(Frozen):
    """What happens when a deadline passes unmet."""

    mode: Literal["automatic", "threatened"] = Field(
        "automatic",
        description="automatic: applies on expiry; threatened: the setter may enforce, "
        "waive or extend it later.",
    )
    summary: str | None = Field(None, description=SUMMARY)
    effects: list[Event] = Field([], description="The events applied (no dates).")


class ConditionalExtension(Frozen):
    """The due date moves to ``extended_due`` if ``condition`` holds at ``cutoff``."""

    condition: str = Field(description=f"Checked at the close of the cutoff day. {CONDITION}")
    cutoff: FuzzyDate = Field(description="The day the condition is checked (not after due).")
    extended_due: FuzzyDate = Field(description="The due date if the condition holds.")


class Deadline(Frozen):
    """A deadline rule. See the module docstring for the kinds."""

    id: Id = Field(description="The deadline's id.")
    kind: DeadlineKind = Field(
        DeadlineKind.deadline, description="deadline, window, option, default or sunset."
    )
    summary: str | None = Field(None, description=SUMMARY)
    set_by: Ref | Unknown | None = Field(
        None, description="The party that set it (it may enforce, waive or extend it), or unknown."
    )
    on: list[Ref] = Field([], description="The parties or bodies it is set on.")
    active: bool = Field(
        True, description="false: declared but inactive until a set_deadline event."
    )
    due: FuzzyDate | None = Field(
        None, description="The due date: in time through its last day (deadline, option, sunset)."
    )
    anchor: Anchor | None = Field(
        None, description="What a window or a default counts its days from."
    )
    within_days: int | None = Field(
        None,
        description="A default: days from the anchor within which the requirement must hold.",
        json_schema_extra=_DAY_COUNT,
    )
    earliest_days: int | None = Field(
        None,
        description="A window: the day after the anchor it opens.",
        json_schema_extra=_DAY_COUNT,
    )
    latest_days: int | None = Field(
        None,
        description="A window: the day after the anchor it closes.",
        json_schema_extra=_DAY_COUNT,
    )

    requirement: str | None = Field(None, description=f"What meets the deadline. {CONDITION}")
    ends_early: bool = Field(
        True,
        description="true: met as soon as the requirement holds; false: checked only at the "
        "close of the due day.",
    )
    consequence: Consequence | None = Field(None, description="What happens if it passes unmet.")
    conditional_extension: ConditionalExtension | None = Field(
        None, description="A later due date that applies if a condition holds at a cutoff."
    )
    binding: bool = Field(True, description="false: a non-binding deadline.")
    priority: int = Field(0, description=PRIORITY)
    attribution: Attribution | None = Field(None, description=ATTRIBUTION)
    assumption: str | None = Field(None, description=ASSUMPTION)

    def _milestone_shape(self) -> None:
        if self.due is None and (self.anchor is None or self.within_days is None):
            raise ValueError("a milestone needs a 'due' date, or 'anchor' and 'within_days'")
        if self.requirement is not None:
            raise ValueError(
                "a milestone has no 'requirement': it is reached on its day (use a "
                "deadline for something that must be done by a day)"
            )

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
        if kind is DeadlineKind.milestone:
            self._milestone_shape()
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
