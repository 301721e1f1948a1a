"""Parties, the bodies inside them that act on their own, their people, and relations."""

from __future__ import annotations

from enum import StrEnum

from negotiation.model._base import Frozen, Id, Unknown
from negotiation.model.attribution import Attribution
from negotiation.model.dates import FuzzyDate


class PartyKind(StrEnum):
    state = "state"
    coalition = "coalition"
    international_organisation = "international_organisation"
    person = "person"
    company = "company"
    union = "union"
    observer = "observer"
    other = "other"


class Person(Frozen):
    """A representative: a named person with an office or a role."""

    name: str
    office: str | None = None
    role: str | None = None


class Body(Frozen):
    """A body inside a party that acts on its own (a parliament, a council)."""

    id: Id
    name: str
    kind: str = "body"


class Party(Frozen):
    """A negotiating party. ``members`` may be ``unknown`` (a coalition's roster)."""

    id: Id
    name: str
    kind: PartyKind = PartyKind.state
    members: list[Id] | Unknown = []
    bodies: list[Body] = []
    representatives: list[Person] = []
    description: str | None = None
    attribution: Attribution | None = None
    assumption: str | None = None


class RelationKind(StrEnum):
    """How one party stands to another; usable in conditions (``us supports ukraine``)."""

    supports = "supports"
    opposes = "opposes"
    mediates_for = "mediates_for"
    guarantees = "guarantees"


class Relation(Frozen):
    """A relation that holds at the start of a scenario."""

    source: Id
    kind: RelationKind
    target: Id
    since: FuzzyDate | None = None
    attribution: Attribution | None = None
    assumption: str | None = None

    @property
    def key(self) -> str:
        return relation_key(self.source, self.kind, self.target)


def relation_key(source: str, kind: RelationKind | str, target: str) -> str:
    """The state's key for a relation: ``us|supports|ukraine``."""
    return f"{source}|{RelationKind(kind).value}|{target}"
