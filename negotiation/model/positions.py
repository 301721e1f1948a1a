"""A party's stance on a document or on one of its points."""

from __future__ import annotations

from enum import StrEnum

from negotiation.model._base import Frozen, Id, Ref
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

    party: Id
    on: Ref
    stance: Stance
    conditions: list[str] = []
    since: FuzzyDate | None = None
    attribution: Attribution | None = None
    assumption: str | None = None


def position_key(party: str, on: str) -> str:
    """The state's key for a position: ``ukraine|twenty_point_plan``."""
    return f"{party}|{on}"
