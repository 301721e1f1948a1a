"""Events: the closed set of things that happen in a negotiation.

Every event carries a date (optional only when it is used as an *effect* of a rule or a
deadline consequence, which happens at the moment the rule fires), its actors (``by``),
an attribution and, where the source does not state it, an ``assumption``.
The ``kind`` field selects the event type.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from negotiation.model._base import Frozen, Id, Ref
from negotiation.model.attribution import Attribution
from negotiation.model.dates import FuzzyDate
from negotiation.model.documents import PointStatus
from negotiation.model.parties import RelationKind
from negotiation.model.positions import Stance


class EventBase(Frozen):
    id: Id | None = None
    date: FuzzyDate | None = None
    by: list[Ref] = []
    summary: str | None = None
    attribution: Attribution | None = None
    assumption: str | None = None
    priority: int = 0

    @field_validator("by", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


class Propose(EventBase):
    """A party puts a document on the table."""

    kind: Literal["propose"] = "propose"
    document: Id


class Derive(EventBase):
    """A document is derived from another (``document`` is the new one)."""

    kind: Literal["derive"] = "derive"
    document: Id
    source: Id


class Revise(EventBase):
    """A document is revised; points may change status."""

    kind: Literal["revise"] = "revise"
    document: Id
    version: str | None = None
    points: dict[Id, PointStatus] = {}


class SubmitComments(EventBase):
    """A party submits comments or updated reflections on a document."""

    kind: Literal["submit_comments"] = "submit_comments"
    document: Id


class Meet(EventBase):
    """A meeting: who attended, which documents were discussed, who was absent."""

    kind: Literal["meet"] = "meet"
    attendees: list[Ref] = []
    documents: list[Id] = []
    absent: list[Ref] = []


class Statement(EventBase):
    """A statement: recorded, changes nothing."""

    kind: Literal["statement"] = "statement"
    about: list[Ref] = []


class Request(EventBase):
    """A party asks another to act: recorded, changes nothing."""

    kind: Literal["request"] = "request"
    to: list[Ref] = []
    action: str


class Commitment(EventBase):
    """A pledge; it may open (activate) deadline rules such as a conditional window."""

    kind: Literal["commitment"] = "commitment"
    opens: list[Id] = []


class StatePosition(EventBase):
    """Each party in ``by`` takes ``stance`` on ``document`` (or one of its points)."""

    kind: Literal["state_position"] = "state_position"
    document: Id
    point: Id | None = None
    stance: Stance
    conditions: list[str] = []


class Accept(EventBase):
    """Each party in ``by`` accepts the document (or a point)."""

    kind: Literal["accept"] = "accept"
    document: Id
    point: Id | None = None


class Reject(EventBase):
    """Each party in ``by`` rejects the document (or a point)."""

    kind: Literal["reject"] = "reject"
    document: Id
    point: Id | None = None


class Sign(EventBase):
    """The parties in ``by`` sign the document."""

    kind: Literal["sign"] = "sign"
    document: Id


class Ratify(EventBase):
    """A party or a body (``uk.commons``) in ``by`` ratifies the document."""

    kind: Literal["ratify"] = "ratify"
    document: Id


class Withdraw(EventBase):
    kind: Literal["withdraw"] = "withdraw"
    document: Id


class Supersede(EventBase):
    """``document`` is superseded by ``replacement``."""

    kind: Literal["supersede"] = "supersede"
    document: Id
    replacement: Id | None = None


class Breach(EventBase):
    kind: Literal["breach"] = "breach"
    document: Id


class SetDeadline(EventBase):
    """Activate a declared deadline rule, optionally with a due date."""

    kind: Literal["set_deadline"] = "set_deadline"
    deadline: Id
    due: FuzzyDate | None = None


class ExtendDeadline(EventBase):
    """Move a deadline's due date later (also after it has passed)."""

    kind: Literal["extend_deadline"] = "extend_deadline"
    deadline: Id
    to: FuzzyDate


class DropDeadline(EventBase):
    """Drop a deadline, or (``nonbinding: true``) declare it non-binding."""

    kind: Literal["drop_deadline"] = "drop_deadline"
    deadline: Id
    nonbinding: bool = False


class EnforceDeadline(EventBase):
    """The setter applies a missed deadline's threatened consequence."""

    kind: Literal["enforce_deadline"] = "enforce_deadline"
    deadline: Id


class WaiveDeadline(EventBase):
    """The setter waives a missed deadline's threatened consequence."""

    kind: Literal["waive_deadline"] = "waive_deadline"
    deadline: Id


class SetFact(EventBase):
    kind: Literal["set_fact"] = "set_fact"
    fact: Id


class ClearFact(EventBase):
    kind: Literal["clear_fact"] = "clear_fact"
    fact: Id


class SetRelation(EventBase):
    """Start (``active: true``) or end a relation between two parties."""

    kind: Literal["set_relation"] = "set_relation"
    source: Id
    relation: RelationKind
    target: Id
    active: bool = True


class SetPoint(EventBase):
    """Change one point's status (bracket, agree, drop, reopen)."""

    kind: Literal["set_point"] = "set_point"
    document: Id
    point: Id
    status: PointStatus


class Transition(EventBase):
    """Fire any trigger of a document's lifecycle (declared lifecycles use this)."""

    kind: Literal["transition"] = "transition"
    document: Id
    trigger: Id


Event = Annotated[
    Propose
    | Derive
    | Revise
    | SubmitComments
    | Meet
    | Statement
    | Request
    | Commitment
    | StatePosition
    | Accept
    | Reject
    | Sign
    | Ratify
    | Withdraw
    | Supersede
    | Breach
    | SetDeadline
    | ExtendDeadline
    | DropDeadline
    | EnforceDeadline
    | WaiveDeadline
    | SetFact
    | ClearFact
    | SetRelation
    | SetPoint
    | Transition,
    Field(discriminator="kind"),
]
"""Any event; ``kind`` selects which."""

DOCUMENT_TRIGGERS: dict[str, str] = {
    "propose": "propose",
    "derive": "derive",
    "revise": "revise",
    "submit_comments": "submit_comments",
    "sign": "sign",
    "ratify": "ratify",
    "withdraw": "withdraw",
    "supersede": "supersede",
    "breach": "breach",
}
"""Event kinds that fire the document lifecycle trigger of the same name."""


def describe(event: Event) -> str:
    """A plain one-line description of an event, for trace lines without a summary."""
    who = ", ".join(event.by)
    if isinstance(event, SetRelation):
        change = "starts" if event.active else "ends"
        return f"relation {event.source} {event.relation.value} {event.target} {change}"
    if isinstance(event, StatePosition):
        target = f"{event.document}.{event.point}" if event.point else event.document
        return f"{who or 'stance'}: {event.stance.value.replace('_', ' ')} on {target}"
    if isinstance(event, ExtendDeadline):
        return f"{who} extends {event.deadline} to {event.to.display()}"
    if isinstance(event, Meet):
        return f"meeting of {', '.join(event.attendees) or who}"
    if isinstance(event, Transition):
        done = f"{event.document}: {event.trigger.replace('_', ' ')}"
        return f"{done} ({who})" if who else done
    fields = event.__dict__  # plain reads: absent fields must not go through __getattr__
    found = [fields.get(name) for name in ("document", "deadline", "fact")]
    subject = next((t for t in found if isinstance(t, str)), None)
    point = fields.get("point")
    if subject and isinstance(point, str):
        subject = f"{subject}.{point}"
    verb = event.kind.replace("_", " ")
    text = f"{verb} {subject}" if subject else verb
    return f"{who}: {text}" if who else text
