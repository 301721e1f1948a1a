"""Reactive rules: when a condition becomes true, apply effects."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from negotiation.model._base import (
    ASSUMPTION,
    ATTRIBUTION,
    CONDITION,
    PRIORITY,
    SUMMARY,
    Frozen,
    Id,
)
from negotiation.model.attribution import Attribution
from negotiation.model.events import Event


class Rule(Frozen):
    """``when`` CONDITION ``then`` EFFECTS.

    Fires when the condition *becomes* true (it was false when the rule last looked):
    ``once`` at most once per run, ``each`` every time it becomes true. After every
    change the engine evaluates all rules and fires the first armed one in (priority,
    declaration) order, then looks again; every rule sees every intermediate state, so
    no change is missed. Rules that keep re-arming each other raise ``RuleLoopError``
    instead of looping forever. A condition true at the start fires at the start.
    """

    id: Id = Field(description="The rule's id.")
    when: str = Field(description=f"The rule fires when this becomes true. {CONDITION}")
    then: list[Event] = Field(description="The events applied when it fires (no dates).")
    mode: Literal["once", "each"] = Field(
        "once", description="once: at most once per run; each: every time it becomes true."
    )
    priority: int = Field(0, description=PRIORITY)
    summary: str | None = Field(None, description=SUMMARY)
    attribution: Attribution | None = Field(None, description=ATTRIBUTION)
    assumption: str | None = Field(None, description=ASSUMPTION)

