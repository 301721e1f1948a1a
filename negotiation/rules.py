"""Reactive rules: when a condition becomes true, apply effects."""

from __future__ import annotations

from typing import Literal

from ._base import Frozen, Id
from .attribution import Attribution
from .events import Event


class Rule(Frozen):
    """``when`` CONDITION ``then`` EFFECTS.

    Fires when the condition *becomes* true (it was false, or never evaluated, at the
    previous check): ``once`` at most once per run, ``each`` every time it becomes true.
    Rules are tried in (priority, declaration order).
    """

    id: Id
    when: str
    then: list[Event]
    mode: Literal["once", "each"] = "once"
    priority: int = 0
    summary: str | None = None
    attribution: Attribution | None = None
    assumption: str | None = None
