"""Parties, the bodies inside them that act on their own, their people, and relations."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from negotiation.model._base import ASSUMPTION, ATTRIBUTION, Frozen, Id, Unknown
from negotiation.model.attribution import Attribution
from negotiation.model.dates import FuzzyDate


class PartyKind(StrEnum):
    """What kind of actor a party is."""

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

    name: str = Field(description="The person's name.")
    office: str | None = Field(None, description="The office they hold.")
    role: str | None = Field(None, description="Their role in the talks.")


class Body(Frozen):
    """A body inside a party that acts on its own (a parliament, a council)."""

    id: Id = Field(description="The body's id inside its party (named party.body elsewhere).")
    name: str = Field(description="The body's name.")
    kind: str = Field("body", description="What kind of body: parliament, council, ...")


class Party(Frozen):
    """A negotiating party. ``members`` may be ``unknown`` (a coalition's roster)."""

    id: Id = Field(description="The party's id.")
    name: str = Field(description="The party's name.")
    kind: PartyKind = Field(PartyKind.state, description="What kind of actor the party is.")
    members: list[Id] | Unknown = Field(
        [], description="The member parties of a coalition, or unknown."
    )
    bodies: list[Body] = Field(
        [], description="Bodies inside the party that act on their own (a parliament)."
    )
    representatives: list[Person] = Field([], description="The people who speak for it.")
    description: str | None = Field(None, description="A short description of the party.")
    attribution: Attribution | None = Field(None, description=ATTRIBUTION)
    assumption: str | None = Field(None, description=ASSUMPTION)


class RelationKind(StrEnum):
    """How one party stands to another; usable in conditions (``us supports ukraine``)."""

    supports = "supports"
    opposes = "opposes"
    mediates_for = "mediates_for"
    guarantees = "guarantees"


class Relation(Frozen):
    """A relation that holds at the start of a scenario."""

    source: Id = Field(description="The party that holds the relation.")
    kind: RelationKind = Field(description="How the source stands to the target.")
    target: Id = Field(description="The party the relation is towards.")
    since: FuzzyDate | None = Field(None, description="Since when the relation holds.")
    attribution: Attribution | None = Field(None, description=ATTRIBUTION)
    assumption: str | None = Field(None, description=ASSUMPTION)

    @property
    def key(self) -> str:
        return relation_key(self.source, self.kind, self.target)


def relation_key(source: str, kind: RelationKind | str, target: str) -> str:
    """The state's key for a relation: ``us|supports|ukraine``."""
    return f"{source}|{RelationKind(kind).value}|{target}"
