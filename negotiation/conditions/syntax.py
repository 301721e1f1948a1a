"""The condition language's syntax tree, and the two interfaces it meets: the names a
scenario defines (``Vocabulary``) and the state it is evaluated against (``Facts``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Node:
    text: str = field(compare=False)


@dataclass(frozen=True)
class Const(Node):
    value: bool


@dataclass(frozen=True)
class Not(Node):
    operand: Node


@dataclass(frozen=True)
class And(Node):
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or(Node):
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class DocState(Node):
    document: str
    state: str
    reached: bool = False


@dataclass(frozen=True)
class PointIs(Node):
    document: str
    point: str
    status: str


@dataclass(frozen=True)
class PointValue(Node):
    """The point is agreed on one option (``value``: the option as the state holds it)."""

    document: str
    point: str
    value: str


@dataclass(frozen=True)
class OfferPending(Node):
    document: str


@dataclass(frozen=True)
class StanceIs(Node):
    party: str
    target: str
    stance: str


@dataclass(frozen=True)
class RelationHolds(Node):
    source: str
    relation: str
    target: str


@dataclass(frozen=True)
class HasActed(Node):
    party: str
    act: str  # "signed" | "ratified"
    document: str


@dataclass(frozen=True)
class VoteFailed(Node):
    """``ratification of DOC by PARTY failed``: the party's last ratification vote on the
    document failed and it has not ratified since."""

    document: str
    party: str


@dataclass(frozen=True)
class RatifiedCount(Node):
    """``at least K [of (A, B, ...)] have ratified DOC``."""

    document: str
    at_least: int
    among: tuple[str, ...] | None = None  # None: every ratifier counts


@dataclass(frozen=True)
class RatifiedWeight(Node):
    """``ratified weight W of DOC is at least|more than|less than X%``."""

    document: str
    weight: str
    op: str  # "at least" | "more than" | "less than"
    share: float


@dataclass(frozen=True)
class ThresholdMet(Node):
    """``threshold of DOC is met``: the document's ``entry_into_force`` threshold."""

    document: str


@dataclass(frozen=True)
class AllAccept(Node):
    document: str


@dataclass(frozen=True)
class FactHolds(Node):
    fact: str
    value: bool = True


@dataclass(frozen=True)
class FactUnknown(Node):
    """``fact X is unknown``: true exactly when the fact is unknown (never unknown
    itself)."""

    fact: str


@dataclass(frozen=True)
class FactHeld(Node):
    fact: str
    op: str  # "at least" | "more than" | "less than"
    days: int


@dataclass(frozen=True)
class DeadlineIs(Node):
    deadline: str
    status: str


@dataclass(frozen=True)
class DeadlineDue(Node):
    """``deadline X is due WHEN DATE``: the deadline's current due date (extensions
    included) compared with a day; false when it has no due date."""

    deadline: str
    op: str  # before | after | on | on or after | on or before
    day: dt.date


@dataclass(frozen=True)
class Participation(Node):
    """``X participates in D`` (``status`` participates: a party, a withdrawal perhaps
    notified but not yet effective), ``X is suspended from D`` (suspended), ``X has
    withdrawn from D`` (withdrawn)."""

    party: str
    document: str
    status: str  # participates | suspended | withdrawn


@dataclass(frozen=True)
class Excluded(Node):
    """``X is excluded from talks``."""

    party: str


PARTICIPATING = frozenset({"party", "leaving"})
"""The standings in which a party participates in a document."""


def standing_of(
    explicit: str | None, party: str, required: list[str] | None, signed: tuple[str, ...]
) -> str:
    """A party's standing in a document: the one an event gave it (``explicit``), else
    ``party`` when the document requires its acceptance or it has signed, else ``none``.
    The one place that says who participates in a document initially."""
    if explicit is not None:
        return explicit
    if party in signed or (required is not None and party in required):
        return "party"
    return "none"


@dataclass(frozen=True)
class RuleFired(Node):
    """``rule R has fired [[at least|more than|less than] N times]``: with no count, at
    least once (the state carries it); with a count, how often it fired in the run so
    far, which only a run's history knows (so only ``expect`` may ask)."""

    rule: str
    op: str | None = None  # None: at least once; "exactly" | "at least" | ...
    times: int | None = None


@dataclass(frozen=True)
class DeadlineFired(Node):
    """``deadline X has fired``: it has resolved (met, early, missed, expired, enforced,
    waived or reached): its consequence, if any, has had its turn."""

    deadline: str


@dataclass(frozen=True)
class DateCmp(Node):
    op: str  # before | after | on | on or after | on or before
    day: dt.date


# -- what the parser checks names against, and what evaluation reads ------------------


class Vocabulary(Protocol):
    """The names a scenario defines."""

    def parties(self) -> set[str]: ...  # parties and their bodies (``uk.commons``)
    def documents(self) -> set[str]: ...
    def points(self, document: str) -> set[str]: ...
    def options(self, document: str, point: str) -> list[str]: ...  # as option texts
    def document_states(self, document: str) -> set[str]: ...
    def facts(self) -> set[str]: ...
    def deadlines(self) -> set[str]: ...
    def weights(self) -> set[str]: ...  # the names of the scenario's declared weights
    def rules(self) -> set[str]: ...  # the ids of the scenario's reactive rules


class Facts(Protocol):
    """What evaluation reads: the current state seen through the scenario."""

    @property
    def today(self) -> dt.date: ...
    def document_state(self, document: str) -> str: ...
    def document_visited(self, document: str) -> tuple[str, ...]: ...
    def point_status(self, document: str, point: str) -> str: ...
    def point_value(self, document: str, point: str) -> str | None: ...  # the agreed option
    def offer_by(self, document: str) -> str | None: ...  # who has an offer pending
    def stance(self, party: str, target: str) -> str: ...
    def relation(self, source: str, relation: str, target: str) -> bool: ...
    def fact_since(self, fact: str) -> dt.date | bool | None: ...
    def deadline_status(self, deadline: str) -> str: ...
    def deadline_due(self, deadline: str) -> dt.date | None: ...
    def signed_by(self, document: str) -> tuple[str, ...]: ...
    def ratified_by(self, document: str) -> tuple[str, ...]: ...
    def required_parties(self, document: str) -> list[str] | None: ...
    # a standing an event gave (status, since, effective), None: the initial one
    def standing(
        self, party: str, document: str
    ) -> tuple[str, dt.date, dt.date | None] | None: ...
    def excluded(self, party: str) -> tuple[dt.date, str | None] | None: ...  # since, until
    def failed_by(self, document: str) -> tuple[str, ...]: ...  # failed ratification votes
    def weight(self, name: str) -> dict[str, float]: ...  # a declared weight, per party
    def threshold_shortfall(self, document: str) -> list[str] | None: ...  # None: no threshold
    def rule_fired(self, rule: str) -> int: ...  # how often (0/1 where only "ever" is known)
    def fact_unknown(self, fact: str) -> bool: ...  # neither true nor false
