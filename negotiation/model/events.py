"""Events: the closed set of things that happen in a negotiation.

Every event carries a date (optional only when it is used as an *effect* of a rule or a
deadline consequence, which happens at the moment the rule fires), its actors (``by``),
an attribution and, where the source does not state it, an ``assumption``.
The ``kind`` field selects the event type.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue

from negotiation.model._base import (
    ASSUMPTION,
    ATTRIBUTION,
    CONDITION,
    PRIORITY,
    SUMMARY,
    Frozen,
    Id,
    Ref,
)
from negotiation.model.attribution import Attribution
from negotiation.model.dates import FuzzyDate
from negotiation.model.documents import OptionValue, PointStatus, option_text
from negotiation.model.parties import RelationKind
from negotiation.model.positions import Stance


def _kind_is_required(schema: JsonSchemaValue) -> None:
    """A file must say which event it is: ``kind`` is the union's tag (its default only
    serves the Python constructors)."""
    required = schema.setdefault("required", [])
    assert isinstance(required, list)
    if "kind" not in required:
        required.insert(0, "kind")


def _kind(name: str) -> Any:
    """The ``kind`` field of the event type ``name``."""
    return Field(name, description=f"The kind of event: {name}. It selects the other fields.")


_DOCUMENT = "The id of the document."
_DEADLINE = "The id of the deadline rule."
_POINT = "The id of one of the document's points (none: the whole document)."


class EventBase(Frozen):
    """The fields every event has."""

    model_config = ConfigDict(json_schema_extra=_kind_is_required)

    id: Id | None = Field(
        None, description="An id, for branches to remove it or anchors to count from it."
    )
    date: FuzzyDate | None = Field(
        None, description="When it happened (none inside rules, consequences and decisions)."
    )
    by: list[Ref] = Field(
        [], description="Who acts: a party or body (party.body), or a list of them."
    )
    summary: str | None = Field(None, description=SUMMARY)
    attribution: Attribution | None = Field(None, description=ATTRIBUTION)
    assumption: str | None = Field(None, description=ASSUMPTION)
    priority: int = Field(0, description=PRIORITY)
    if_: str | None = Field(
        None,
        alias="if",
        description="Apply the event only if this condition holds when its turn comes; "
        "otherwise it is skipped, and the trace says why. " + CONDITION,
    )
    unless: str | None = Field(
        None,
        description="Skip the event when this condition holds when its turn comes (the "
        "trace says so). " + CONDITION,
    )

    @field_validator("by", mode="before", json_schema_input_type=Ref | list[Ref])
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @model_serializer(mode="wrap")
    def _conditions_only_when_given(self, handler: SerializerFunctionWrapHandler) -> Any:
        """An event without ``if``/``unless`` dumps as it did before they existed."""
        data = handler(self)
        if isinstance(data, dict):
            for key in ("if", "if_", "unless"):
                if key in data and data[key] is None:
                    del data[key]
        return data


class Propose(EventBase):
    """A party puts a document on the table."""

    kind: Literal["propose"] = _kind("propose")
    document: Id = Field(description=_DOCUMENT)


class Derive(EventBase):
    """A document is derived from another (``document`` is the new one)."""

    kind: Literal["derive"] = _kind("derive")
    document: Id = Field(description="The id of the new document.")
    source: Id = Field(description="The id of the document it is derived from.")


class Revise(EventBase):
    """A document is revised; points may change status."""

    kind: Literal["revise"] = _kind("revise")
    document: Id = Field(description=_DOCUMENT)
    version: str | None = Field(None, description="The new version's name.")
    points: dict[Id, PointStatus] = Field(
        {}, description="Points whose status changes: point id -> new status."
    )


class SubmitComments(EventBase):
    """A party submits comments or updated reflections on a document."""

    kind: Literal["submit_comments"] = _kind("submit_comments")
    document: Id = Field(description=_DOCUMENT)


class Meet(EventBase):
    """A meeting: who attended, which documents were discussed, who was absent."""

    kind: Literal["meet"] = _kind("meet")
    attendees: list[Ref] = Field([], description="Who attended.")
    documents: list[Id] = Field([], description="The documents discussed.")
    absent: list[Ref] = Field([], description="Who was expected but absent.")


class Statement(EventBase):
    """A statement: recorded, changes nothing."""

    kind: Literal["statement"] = _kind("statement")
    about: list[Ref] = Field([], description="What or whom the statement is about (ids).")


class Request(EventBase):
    """A party asks another to act: recorded, changes nothing."""

    kind: Literal["request"] = _kind("request")
    to: list[Ref] = Field([], description="Who is asked.")
    action: str = Field(description="What they are asked to do, in words.")


class Commitment(EventBase):
    """A pledge; it may open (activate) deadline rules such as a conditional window."""

    kind: Literal["commitment"] = _kind("commitment")
    opens: list[Id] = Field([], description="The deadline rules the pledge activates.")


class StatePosition(EventBase):
    """Each party in ``by`` takes ``stance`` on ``document`` (or one of its points)."""

    kind: Literal["state_position"] = _kind("state_position")
    document: Id = Field(description=_DOCUMENT)
    point: Id | None = Field(None, description=_POINT)
    stance: Stance = Field(description="The stance taken.")
    conditions: list[str] = Field([], description="The conditions attached, in words.")


class Accept(EventBase):
    """Each party in ``by`` accepts the document (or a point)."""

    kind: Literal["accept"] = _kind("accept")
    document: Id = Field(description=_DOCUMENT)
    point: Id | None = Field(None, description=_POINT)


class Reject(EventBase):
    """Each party in ``by`` rejects the document (or a point)."""

    kind: Literal["reject"] = _kind("reject")
    document: Id = Field(description=_DOCUMENT)
    point: Id | None = Field(None, description=_POINT)


class Sign(EventBase):
    """The parties in ``by`` sign the document."""

    kind: Literal["sign"] = _kind("sign")
    document: Id = Field(description=_DOCUMENT)


class Ratify(EventBase):
    """A party or a body (``uk.commons``) in ``by`` ratifies the document, or, with
    ``result: failed``, a ratification vote or referendum fails: recorded (``ratification
    of DOC by PARTY failed``), the document does not move. ``yes``/``no``/``abstain`` are
    the counts the source gives, kept as attributed data."""

    kind: Literal["ratify"] = _kind("ratify")
    document: Id = Field(description=_DOCUMENT)
    result: Literal["passed", "failed"] = Field(
        "passed",
        description="passed (the default): ratified; failed: the vote or referendum failed.",
    )
    yes: int | None = Field(None, ge=0, description="Votes for, as the source gives them.")
    no: int | None = Field(None, ge=0, description="Votes against, as the source gives them.")
    abstain: int | None = Field(None, ge=0, description="Abstentions, as the source gives them.")

    @model_serializer(mode="wrap")
    def _vote_only_when_given(self, handler: SerializerFunctionWrapHandler) -> Any:
        """A plain ratification dumps as it did before votes could fail."""
        data = handler(self)
        if isinstance(data, dict):
            for key in ("if", "if_", "unless", "yes", "no", "abstain"):
                if key in data and data[key] is None:
                    del data[key]
            if data.get("result") == "passed":
                del data["result"]
        return data

    def vote_text(self) -> str:
        """The counts given, as a note (empty when none is)."""
        counts = [(w, n) for w, n in (("yes", self.yes), ("no", self.no),
                                      ("abstain", self.abstain)) if n is not None]
        return ", ".join(f"{w} {n:,}" for w, n in counts)


class Withdraw(EventBase):
    """The document is withdrawn."""

    kind: Literal["withdraw"] = _kind("withdraw")
    document: Id = Field(description=_DOCUMENT)


class Supersede(EventBase):
    """``document`` is superseded by ``replacement``."""

    kind: Literal["supersede"] = _kind("supersede")
    document: Id = Field(description="The id of the document superseded.")
    replacement: Id | None = Field(None, description="The id of the document that replaces it.")


class Breach(EventBase):
    """The document (in force) is breached."""

    kind: Literal["breach"] = _kind("breach")
    document: Id = Field(description=_DOCUMENT)


class SetDeadline(EventBase):
    """Activate a declared deadline rule, optionally with a due date."""

    kind: Literal["set_deadline"] = _kind("set_deadline")
    deadline: Id = Field(description=_DEADLINE)
    due: FuzzyDate | None = Field(None, description="The due date it gets (else its declared one).")


class ExtendDeadline(EventBase):
    """Move a deadline's due date later (also after it has passed)."""

    kind: Literal["extend_deadline"] = _kind("extend_deadline")
    deadline: Id = Field(description=_DEADLINE)
    to: FuzzyDate = Field(description="The new, later due date.")
    condition: str | None = Field(
        None,
        description="Decided later: the due date moves to 'to' only if this condition holds "
        "when the 'cutoff' day closes (else to 'otherwise'). " + CONDITION,
    )
    cutoff: FuzzyDate | None = Field(
        None, description="With 'condition': the day the extension is decided (on its close)."
    )
    otherwise: FuzzyDate | None = Field(
        None, description="With 'condition': the due date if it does not hold (none: it stays)."
    )

    @model_validator(mode="after")
    def _decided_later(self) -> ExtendDeadline:
        if (self.condition is None) != (self.cutoff is None):
            raise ValueError("give 'condition' and 'cutoff' together")
        if self.otherwise is not None and self.condition is None:
            raise ValueError("'otherwise' needs a 'condition' and a 'cutoff'")
        return self

    @model_serializer(mode="wrap")
    def _plain_when_unconditional(self, handler: SerializerFunctionWrapHandler) -> Any:
        """An unconditional extension dumps as it did before decisions existed."""
        data = handler(self)
        if isinstance(data, dict):
            for key in ("if", "if_", "unless", "condition", "cutoff", "otherwise"):
                if key in data and data[key] is None:
                    del data[key]
        return data


class DropDeadline(EventBase):
    """Drop a deadline, or (``nonbinding: true``) declare it non-binding."""

    kind: Literal["drop_deadline"] = _kind("drop_deadline")
    deadline: Id = Field(description=_DEADLINE)
    nonbinding: bool = Field(
        False, description="true: keep it but declare it non-binding; false: drop it."
    )


class EnforceDeadline(EventBase):
    """The setter applies a missed deadline's threatened consequence."""

    kind: Literal["enforce_deadline"] = _kind("enforce_deadline")
    deadline: Id = Field(description=_DEADLINE)


class WaiveDeadline(EventBase):
    """The setter waives a missed deadline's threatened consequence."""

    kind: Literal["waive_deadline"] = _kind("waive_deadline")
    deadline: Id = Field(description=_DEADLINE)


class SetFact(EventBase):
    """A fact becomes true."""

    kind: Literal["set_fact"] = _kind("set_fact")
    fact: Id = Field(description="The id of the fact.")


class ClearFact(EventBase):
    """A fact becomes false."""

    kind: Literal["clear_fact"] = _kind("clear_fact")
    fact: Id = Field(description="The id of the fact.")


class UnknownFact(EventBase):
    """A fact becomes unknown: the sources disagree or fall silent. A condition over an
    unknown fact is neither true nor false (``fact X is unknown`` is true)."""

    kind: Literal["unknown_fact"] = _kind("unknown_fact")
    fact: Id = Field(description="The id of the fact.")


class SetRelation(EventBase):
    """Start (``active: true``) or end a relation between two parties."""

    kind: Literal["set_relation"] = _kind("set_relation")
    source: Id = Field(description="The party that holds the relation.")
    relation: RelationKind = Field(description="How the source stands to the target.")
    target: Id = Field(description="The party the relation is towards.")
    active: bool = Field(True, description="true: the relation starts; false: it ends.")


class SetPoint(EventBase):
    """Change one point's status (bracket, agree, drop, reopen)."""

    kind: Literal["set_point"] = _kind("set_point")
    document: Id = Field(description=_DOCUMENT)
    point: Id = Field(description="The id of one of the document's points.")
    status: PointStatus = Field(description="The point's new status.")


class PublishedPoint(Frozen):
    """A point as a publication gives it: its id, its text and its status."""

    id: Id = Field(description="The point's id inside its document.")
    text: str = Field(description="What the point says, as published.")
    status: PointStatus = Field(PointStatus.open, description="The point's status when published.")


class PublishPoints(EventBase):
    """Points of a document become known with their text (published, leaked, added to
    the draft). Before it they are not in the state; a point already known is refused."""

    kind: Literal["publish_points"] = _kind("publish_points")
    document: Id = Field(description=_DOCUMENT)
    points: list[PublishedPoint] = Field(
        min_length=1, description="The points that become known, with their text."
    )


class AmendPoint(EventBase):
    """A known point's text changes (and, optionally, its status)."""

    kind: Literal["amend_point"] = _kind("amend_point")
    document: Id = Field(description=_DOCUMENT)
    point: Id = Field(description="The id of a known point of the document.")
    text: str = Field(description="The point's new text.")
    status: PointStatus | None = Field(None, description="The point's new status (none: kept).")


class RemovePoint(EventBase):
    """A known point is taken out of the text: it is no longer in the state."""

    kind: Literal["remove_point"] = _kind("remove_point")
    document: Id = Field(description=_DOCUMENT)
    point: Id = Field(description="The id of a known point of the document.")


POINT_TEXT_KINDS = ("publish_points", "amend_point", "remove_point")
"""The event kinds that change which points of a document are known, and their text."""


class Transition(EventBase):
    """Fire any trigger of a document's lifecycle (declared lifecycles use this)."""

    kind: Literal["transition"] = _kind("transition")
    document: Id = Field(description=_DOCUMENT)
    trigger: Id = Field(description="The trigger of the document's lifecycle to fire.")


class Join(EventBase):
    """The parties in ``by`` join (accede to) a document: they participate in it from
    this day on."""

    kind: Literal["join"] = _kind("join")
    document: Id = Field(description=_DOCUMENT)


class Leave(EventBase):
    """The parties in ``by`` withdraw from (leave) a document, which stays in force for
    the others. With ``effective_after_days`` or ``effective`` the notice is given now
    and the withdrawal takes effect on that day (the party participates until then)."""

    kind: Literal["leave"] = _kind("leave")
    document: Id = Field(description=_DOCUMENT)
    effective_after_days: int | None = Field(
        None, ge=1, description="The withdrawal takes effect this many days after notice."
    )
    effective: FuzzyDate | None = Field(
        None, description="The day the withdrawal takes effect (after the notice)."
    )

    @model_validator(mode="after")
    def _one_delay(self) -> Leave:
        if self.effective_after_days is not None and self.effective is not None:
            raise ValueError("give effective_after_days or effective, not both")
        return self


class Suspend(EventBase):
    """``party`` is suspended from a document (by the parties in ``by``): it stays a
    party but cannot sign, ratify, accept or make offers on it until readmitted."""

    kind: Literal["suspend"] = _kind("suspend")
    party: Id = Field(description="The party suspended.")
    document: Id = Field(description=_DOCUMENT)


class Readmit(EventBase):
    """``party`` is readmitted: to a document (``document``: after a suspension or a
    withdrawal) or, without ``document``, to the talks (after an exclusion)."""

    kind: Literal["readmit"] = _kind("readmit")
    party: Id = Field(description="The party readmitted.")
    document: Id | None = Field(None, description="The document (none: the talks).")


class Exclude(EventBase):
    """``party`` is excluded from the talks (by the parties in ``by``): it cannot
    propose, take stances, sign or make offers. With ``until`` the exclusion ends by
    itself as soon as that condition holds."""

    kind: Literal["exclude"] = _kind("exclude")
    party: Id = Field(description="The party excluded.")
    until: str | None = Field(
        None, description="The exclusion ends when this condition holds. " + CONDITION
    )


PARTICIPATION_KINDS = ("join", "leave", "suspend", "readmit", "exclude")
"""The event kinds that change who participates in a document or in the talks."""


_PACKAGE = (
    "The package: point id -> the option proposed for it (a label, or a number of the "
    "point's range). Every point named must declare options; points left out stay open."
)


class _OfferEvent(EventBase):
    """An offer-protocol move: made by exactly one party on one document."""

    document: Id = Field(description=_DOCUMENT)

    @model_validator(mode="after")
    def _one_party(self) -> _OfferEvent:
        if len(self.by) != 1:
            raise ValueError(f"{self.__dict__['kind']} is made by exactly one party in 'by', "
                             f"got {len(self.by)}")
        return self


class Offer(_OfferEvent):
    """A party puts a package on the table: an option for some or all of the document's
    points that declare options."""

    kind: Literal["offer"] = _kind("offer")
    package: dict[Id, OptionValue] = Field(min_length=1, description=_PACKAGE)
    to: list[Ref] | None = Field(
        None,
        min_length=1,
        description="A single text put to these parties (a mediator's draft): it is agreed "
        "only when every one of them has accepted it; a rejection leaves it on the table "
        "until its author replaces it. Without 'to', any other party's acceptance agrees "
        "the offer and a rejection withdraws it.",
    )

    @model_validator(mode="after")
    def _not_to_itself(self) -> Offer:
        if self.to is not None:
            if self.by[0] in self.to:
                raise ValueError(f"{self.by[0]} cannot put a text to itself ('to')")
            if len(set(self.to)) != len(self.to):
                raise ValueError("'to' names a party twice")
        return self


class Counter(_OfferEvent):
    """A party answers another party's pending offer with a package of its own (the
    pending offer is replaced)."""

    kind: Literal["counter"] = _kind("counter")
    package: dict[Id, OptionValue] = Field(min_length=1, description=_PACKAGE)


class AcceptOffer(_OfferEvent):
    """A party accepts the offer another party has on the table: the package's points
    are agreed, each on its option."""

    kind: Literal["accept_offer"] = _kind("accept_offer")


class RejectOffer(_OfferEvent):
    """A party rejects the offer another party has on the table: it is withdrawn."""

    kind: Literal["reject_offer"] = _kind("reject_offer")


class WalkAway(_OfferEvent):
    """A party leaves the table: any pending offer is withdrawn and the party's stance on
    the document becomes rejects."""

    kind: Literal["walk_away"] = _kind("walk_away")


OFFER_KINDS = ("offer", "counter", "accept_offer", "reject_offer", "walk_away")
"""The offer-protocol event kinds."""
OfferEvent = Offer | Counter | AcceptOffer | RejectOffer | WalkAway


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
    | UnknownFact
    | SetRelation
    | SetPoint
    | Transition
    | Offer
    | Counter
    | AcceptOffer
    | RejectOffer
    | WalkAway
    | PublishPoints
    | AmendPoint
    | RemovePoint
    | Join
    | Leave
    | Suspend
    | Readmit
    | Exclude,
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
        if event.condition is not None and event.cutoff is not None:
            other = event.otherwise.display() if event.otherwise else "its due date as it is"
            return (f"{who} extends {event.deadline} to {event.to.display()} if "
                    f"{event.condition} holds on {event.cutoff.display()}, else to {other}")
        return f"{who} extends {event.deadline} to {event.to.display()}"
    if isinstance(event, Meet):
        return f"meeting of {', '.join(event.attendees) or who}"
    if isinstance(event, Offer | Counter):
        terms = ", ".join(f"{p} {option_text(v)}" for p, v in event.package.items())
        return f"{who}: {event.kind} on {event.document}: {terms}"
    if isinstance(event, AcceptOffer | RejectOffer | WalkAway):
        verb = {"accept_offer": "accepts the offer on", "reject_offer": "rejects the offer on",
                "walk_away": "walks away from"}[event.kind]
        return f"{who}: {verb} {event.document}"
    if isinstance(event, PublishPoints):
        ids = ", ".join(p.id for p in event.points)
        text = f"publish {event.document} points {ids}"
        return f"{who}: {text}" if who else text
    if isinstance(event, Suspend | Readmit | Exclude):
        verb = {"suspend": "suspends", "readmit": "readmits", "exclude": "excludes"}[event.kind]
        where = {"suspend": f" from {event.__dict__.get('document')}",
                 "readmit": f" to {event.__dict__.get('document') or 'the talks'}",
                 "exclude": " from the talks"}[event.kind]
        return f"{who or 'the parties'} {verb} {event.party}{where}"
    if isinstance(event, Join | Leave):
        verb = "joins" if isinstance(event, Join) else "withdraws from"
        return f"{who}: {verb} {event.document}"
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
