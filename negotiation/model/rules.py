"""Reactive rules: when a condition becomes true, apply effects."""

from __future__ import annotations

from typing import Literal

from negotiation.model._base import Frozen, Id
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

    id: Id
    when: str
    then: list[Event]
    mode: Literal["once", "each"] = "once"
    priority: int = 0
    summary: str | None = None
    attribution: Attribution | None = None
    assumption: str | None = None
