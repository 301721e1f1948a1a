"""The scenario: one frozen model that is both the engine's input and the YAML schema."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, field_validator, model_validator

from negotiation.model._base import Frozen, Id
from negotiation.model.attribution import Attribution, Source
from negotiation.model.dates import FuzzyDate
from negotiation.model.deadlines import Deadline
from negotiation.model.decisions import DecisionPoint
from negotiation.model.documents import Document
from negotiation.model.events import Event
from negotiation.model.lifecycles import LifecycleSpec
from negotiation.model.parties import Party, Relation
from negotiation.model.positions import Position
from negotiation.model.rules import Rule

SCHEMA_VERSION = 1
"""The newest scenario schema version this package reads."""


class FactSpec(Frozen):
    """A named boolean fact; the state records since when it has been true."""

    id: Id
    summary: str | None = None
    initially: bool = False
    since: FuzzyDate | None = None
    attribution: Attribution | None = None
    assumption: str | None = None


class Expectation(Frozen):
    """An assertion on the state at the close of a date, checked on every run.

    ``branch`` None means the base timeline; otherwise the named branch.
    """

    at: FuzzyDate
    that: str
    branch: Id | None = None
    summary: str | None = None


class Invariant(Frozen):
    """A property of every reachable state: exactly one of ``never`` / ``always``."""

    id: Id
    never: str | None = None
    always: str | None = None
    summary: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Invariant:
        if (self.never is None) == (self.always is None):
            raise ValueError("an invariant needs exactly one of 'never' or 'always'")
        return self

    @property
    def condition(self) -> str:
        """The condition that must hold in every state."""
        return self.always if self.always is not None else f"not ({self.never})"


class Branch(Frozen):
    """An alternative timeline: the base timeline with events removed and added.

    ``after`` drops every base event dated after it; ``horizon`` overrides the run's.
    ``probability`` is an assumption unless attributed, and is labelled as one.
    """

    id: Id
    summary: str | None = None
    remove: list[Id] = []
    add: list[Event] = []
    after: FuzzyDate | None = None
    horizon: FuzzyDate | None = None
    probability: float | None = Field(default=None, ge=0.0, le=1.0)
    assumption: str | None = None


class Scenario(Frozen):
    """A whole scenario script."""

    version: int = SCHEMA_VERSION
    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=80)]
    title: str
    summary: str | None = None
    illustrative: bool = False
    extends: str | None = None
    sources: list[Source] = []
    start: FuzzyDate | None = None
    horizon: FuzzyDate | None = None
    parties: list[Party] = []
    documents: list[Document] = []
    lifecycles: list[LifecycleSpec] = []
    positions: list[Position] = []
    relations: list[Relation] = []
    facts: list[FactSpec] = []
    deadlines: list[Deadline] = []
    rules: list[Rule] = []
    timeline: list[Event] = []
    branches: list[Branch] = []
    expect: list[Expectation] = []
    invariants: list[Invariant] = []
    decisions: list[DecisionPoint] = []
    assumptions: list[str] = []

    @field_validator("version")
    @classmethod
    def _supported(cls, value: int) -> int:
        if value > SCHEMA_VERSION:
            raise ValueError(
                f"schema version {value} is newer than this negotiation package reads "
                f"({SCHEMA_VERSION}); upgrade the package"
            )
        if value < 1:
            raise ValueError("schema version must be 1 or more")
        return value


def list_assumptions(scenario: Scenario) -> list[tuple[str, str]]:
    """Every ``assumption`` in a scenario, with where it stands; branch probabilities
    without their own assumption are listed as assumed."""
    out: list[tuple[str, str]] = [("scenario", a) for a in scenario.assumptions]
    labelled: list[tuple[str, object]] = [
        *((f"party {p.id}", p) for p in scenario.parties),
        *((f"document {d.id}", d) for d in scenario.documents),
        *(
            (f"point {d.id}.{p.id}", p)
            for d in scenario.documents
            if d.points != "unknown"
            for p in d.points
        ),
        *((f"document {d.id} guard", g) for d in scenario.documents for g in d.depends_on),
        *(
            (f"lifecycle {lc.id} {t.trigger}", t)
            for lc in scenario.lifecycles
            for t in lc.transitions
        ),
        *((f"position {p.party} on {p.on}", p) for p in scenario.positions),
        *((f"relation {r.key}", r) for r in scenario.relations),
        *((f"fact {f.id}", f) for f in scenario.facts),
        *((f"deadline {d.id}", d) for d in scenario.deadlines),
        *((f"rule {r.id}", r) for r in scenario.rules),
        *((f"event {e.id or i}", e) for i, e in enumerate(scenario.timeline)),
        *((f"branch {b.id}", b) for b in scenario.branches),
        *((f"branch {b.id} event {e.id}", e) for b in scenario.branches for e in b.add),
    ]
    for where, item in labelled:
        text = getattr(item, "assumption", None)
        if isinstance(text, str):
            out.append((where, text))
    for b in scenario.branches:
        if b.probability is not None and b.assumption is None:
            out.append((f"branch {b.id}", f"probability {b.probability} (assumed)"))
    return out


def decision_assumptions(scenario: Scenario) -> list[tuple[str, str]]:
    """Every assumption of the decision points, with where it stands; a probability
    without its own assumption text is listed as assumed."""
    out: list[tuple[str, str]] = []
    for dp in scenario.decisions:
        if dp.assumption:
            out.append((f"decision {dp.id}", dp.assumption))
        for alt in dp.alternatives:
            where = f"decision {dp.id} alternative {alt.id}"
            if alt.assumption:
                out.append((where, alt.assumption))
            elif alt.probability is not None:
                out.append((where, f"probability {alt.probability:g} (assumed)"))
    return out
