"""A party's stance on a document or on one of its points."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from negotiation.model._base import ASSUMPTION, ATTRIBUTION, Frozen, Id, Ref
from negotiation.model.attribution import Attribution
from negotiation.model.dates import FuzzyDate


class Stance(StrEnum):
    """Stances, which are also the states of the default position lifecycle."""

    unknown = "unknown"
    undecided = "undecided"
    supports = "supports"
    supports_with_conditions = "supports_with_conditions"
    opposes = "opposes"
    accepts = "accepts"
    rejects = "rejects"


class Position(Frozen):
    """A stance held at the start of a scenario. ``on`` is a document or ``doc.point``."""

    party: Id = Field(description="The party that holds the stance.")
    on: Ref = Field(description="The document, or one of its points as document.point.")
    stance: Stance = Field(description="The stance held.")
    conditions: list[str] = Field(
        [], description="The conditions the party attaches, in words."
    )
    since: FuzzyDate | None = Field(None, description="Since when the stance is held.")
    attribution: Attribution | None = Field(None, description=ATTRIBUTION)
    assumption: str | None = Field(None, description=ASSUMPTION)



def position_key(party: str, on: str) -> str:
    """The state's key for a position: ``ukraine|twenty_point_plan``."""
    return f"{party}|{on}"
