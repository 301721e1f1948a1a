"""Documents and their points. Any part the source is silent on may be ``unknown``."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from negotiation.model._base import (
    ASSUMPTION,
    ATTRIBUTION,
    CONDITION,
    SUMMARY,
    Frozen,
    Id,
    Ref,
    Unknown,
)
from negotiation.model.attribution import Attribution


class PointStatus(StrEnum):
    """Where a point stands in the text."""

    open = "open"
    bracketed = "bracketed"
    agreed = "agreed"
    dropped = "dropped"


class Point(Frozen):
    """One point of a document, with its own status."""

    id: Id = Field(description="The point's id inside its document (document.point elsewhere).")
    summary: str | Unknown = Field(
        "unknown", description="What the point says, in neutral words, or unknown."
    )
    category: str | None = Field(None, description="A grouping of points, e.g. security.")
    status: PointStatus = Field(PointStatus.open, description="The point's status at the start.")
    attribution: Attribution | None = Field(None, description=ATTRIBUTION)
    assumption: str | None = Field(None, description=ASSUMPTION)


class Guard(Frozen):
    """A condition that must hold for some of a document's triggers (``sign`` by default).

    ``condition`` is in the condition language; ``assumption`` labels a guard the source
    does not state.
    """

    condition: str = Field(description=f"What must hold for the triggers. {CONDITION}")
    triggers: list[str] = Field(
        ["sign"], description="The lifecycle triggers the guard applies to (sign by default)."
    )
    reason: str | None = Field(None, description="Why the guard exists, in words.")
    assumption: str | None = Field(None, description=ASSUMPTION)
    attribution: Attribution | None = Field(None, description=ATTRIBUTION)


class Document(Frozen):
    """A negotiated text moving through a lifecycle."""

    id: Id = Field(description="The document's id.")
    title: str = Field(description="The document's title.")
    kind: str = Field(
        "agreement", description="What kind of text: agreement, plan, framework, annex, ..."
    )
    authors: list[Id] | Unknown = Field(
        "unknown", description="The parties that drafted it, or unknown."
    )
    version: str | None = Field(None, description="The version the scenario starts from.")
    derived_from: Id | None = Field(None, description="The document this one is derived from.")
    point_count: int | Unknown | None = Field(
        None, description="How many points the source says it has, or unknown."
    )
    points: list[Point] | Unknown = Field(
        [], description="The points the scenario tracks, or unknown."
    )
    requires_acceptance: list[Id] | Unknown = Field(
        "unknown", description="The parties whose acceptance it needs, or unknown."
    )
    ratification_by: list[Ref] = Field(
        [], description="The parties or bodies (party.body) that must ratify it."
    )
    depends_on: list[Guard] = Field(
        [], description="Conditions that must hold for some of its triggers (guards)."
    )
    lifecycle: Id = Field(
        "document", description="The id of its lifecycle: document (the default) or your own."
    )
    initial_state: Id | None = Field(
        None, description="The lifecycle state it starts in (the lifecycle's initial one)."
    )
    summary: str | None = Field(None, description=SUMMARY)
    attribution: Attribution | None = Field(None, description=ATTRIBUTION)
    assumption: str | None = Field(None, description=ASSUMPTION)

    def point_ids(self) -> list[str]:
        return [] if self.points == "unknown" else [p.id for p in self.points]
