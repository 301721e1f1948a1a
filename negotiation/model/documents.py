"""Documents and their points. Any part the source is silent on may be ``unknown``."""

from __future__ import annotations

from enum import StrEnum

from negotiation.model._base import Frozen, Id, Ref, Unknown
from negotiation.model.attribution import Attribution


class PointStatus(StrEnum):
    open = "open"
    bracketed = "bracketed"
    agreed = "agreed"
    dropped = "dropped"


class Point(Frozen):
    """One point of a document, with its own status."""

    id: Id
    summary: str | Unknown = "unknown"
    category: str | None = None
    status: PointStatus = PointStatus.open
    attribution: Attribution | None = None
    assumption: str | None = None


class Guard(Frozen):
    """A condition that must hold for some of a document's triggers (``sign`` by default).

    ``condition`` is in the condition language; ``assumption`` labels a guard the source
    does not state.
    """

    condition: str
    triggers: list[str] = ["sign"]
    reason: str | None = None
    assumption: str | None = None
    attribution: Attribution | None = None


class Document(Frozen):
    """A negotiated text moving through a lifecycle."""

    id: Id
    title: str
    kind: str = "agreement"
    authors: list[Id] | Unknown = "unknown"
    version: str | None = None
    derived_from: Id | None = None
    point_count: int | Unknown | None = None
    points: list[Point] | Unknown = []
    requires_acceptance: list[Id] | Unknown = "unknown"
    ratification_by: list[Ref] = []
    depends_on: list[Guard] = []
    lifecycle: Id = "document"
    initial_state: Id | None = None
    summary: str | None = None
    attribution: Attribution | None = None
    assumption: str | None = None

    def point_ids(self) -> list[str]:
        return [] if self.points == "unknown" else [p.id for p in self.points]
