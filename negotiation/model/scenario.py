"""The scenario: one frozen model that is both the engine's input and the YAML schema."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints, field_validator, model_validator
from pydantic.json_schema import JsonSchemaValue

from negotiation.model._base import (
    ASSUMPTION,
    ATTRIBUTION,
    CONDITION,
    SUMMARY,
    Frozen,
    Id,
    Ref,
    ReprArgs,
    clipped,
    counted,
    exactly_one,
)
from negotiation.model.attribution import Attribution, Source
from negotiation.model.dates import FuzzyDate
from negotiation.model.deadlines import Deadline
from negotiation.model.decisions import DecisionPoint
from negotiation.model.documents import Document
from negotiation.model.events import Event
from negotiation.model.interests import Interest
from negotiation.model.lifecycles import LifecycleSpec
from negotiation.model.parties import Party, Relation
from negotiation.model.positions import Position
from negotiation.model.rules import Rule
from negotiation.model.strategies import PartyStrategy

SCHEMA_VERSION = 1
"""The newest scenario schema version this package reads."""


class FactSpec(Frozen):
    """A named boolean fact; the state records since when it has been true."""

    id: Id = Field(description="The fact's id, used in conditions.")
    summary: str | None = Field(None, description="What the fact means, in words.")
    initially: bool | Literal["unknown"] = Field(
        False, description="Whether it is true at the start, or unknown."
    )
    since: FuzzyDate | None = Field(None, description="Since when it has been true, if it is.")
    attribution: Attribution | None = Field(None, description=ATTRIBUTION)
    assumption: str | None = Field(None, description=ASSUMPTION)


class Expectation(Frozen):
    """An assertion on the state at the close of a date, checked on every run.

    ``branch`` None means the base timeline; otherwise the named branch.
    """

    id: Id | None = Field(
        None, description="An id, so that a what-if (extends) can replace or remove it."
    )
    at: FuzzyDate = Field(description="The day: checked on the state at its close.")
    that: str = Field(description=f"What must hold then. {CONDITION}")
    branch: Id | None = Field(None, description="The branch it is checked on (none: the base).")
    summary: str | None = Field(None, description=SUMMARY)


class Invariant(Frozen):
    """A property of every reachable state: exactly one of ``never`` / ``always``."""

    model_config = ConfigDict(json_schema_extra=exactly_one("never", "always"))

    id: Id = Field(description="The invariant's id.")
    never: str | None = Field(None, description=f"Must hold in no state. {CONDITION}")
    always: str | None = Field(None, description=f"Must hold in every state. {CONDITION}")
    summary: str | None = Field(None, description=SUMMARY)
    branches: list[Id] | None = Field(
        None,
        description="The timelines it must hold in: 'base' and branch ids (default: all).",
    )

    def holds_in(self, branch: str | None) -> bool:
        """Whether it applies to the base timeline (None) or a branch."""
        return self.branches is None or (branch or "base") in self.branches

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

    id: Id = Field(description="The branch's id (run it with --branch).")
    summary: str | None = Field(None, description=SUMMARY)
    remove: list[Id] = Field([], description="The ids of base events it removes.")
    add: list[Event] = Field([], description="The events it adds (dated).")
    after: FuzzyDate | None = Field(None, description="Every base event after it is dropped.")
    horizon: FuzzyDate | None = Field(None, description="The branch's last day run.")
    probability: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="How likely it is, 0 to 1; an assumption unless attributed.",
    )
    assumption: str | None = Field(None, description=ASSUMPTION)


def _file_form(schema: JsonSchemaValue) -> None:
    """What a file must give: ``id`` and ``title``, unless it ``extends`` a base that
    gives them (the loader merges the two before validating)."""
    required = schema.pop("required", [])
    schema["if"] = {"required": ["extends"], "properties": {"extends": {"type": "string"}}}
    schema["else"] = {"required": required}


class Scenario(Frozen):
    """A whole scenario script."""

    model_config = ConfigDict(json_schema_extra=_file_form)

    version: int = Field(
        SCHEMA_VERSION,
        description="The version of the scenario file format it is written for.",
        json_schema_extra={"minimum": 1, "maximum": SCHEMA_VERSION},
    )
    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=80)] = Field(
        description="The scenario's id: lower-case letters, digits, _ and -, like its file name."
    )
    title: str = Field(description="The scenario's title.")
    summary: str | None = Field(None, description="A paragraph on what the scenario covers.")
    illustrative: bool = Field(
        False, description="true for an invented teaching case, not a real one."
    )
    extends: str | None = Field(
        None,
        description="The base scenario of a what-if: a bundled name, or a .yaml path relative "
        "to this file. Its fields are merged under this file's.",
        # not a URL (as negotiation.loader._extends.is_url has it); the message is for editors
        json_schema_extra={
            "pattern": "^(?!.*://)(?![A-Za-z][A-Za-z0-9+.-]+:)",
            "patternErrorMessage": "extends names a bundled scenario or a local .yaml file, "
            "not a URL",
        },
    )
    sources: list[Source] = Field([], description="What the facts come from.")
    start: FuzzyDate | None = Field(None, description="The first day of the record.")
    horizon: FuzzyDate | None = Field(None, description="The last day run.")
    parties: list[Party] = Field([], description="Who negotiates.")
    documents: list[Document] = Field([], description="The texts negotiated.")
    lifecycles: list[LifecycleSpec] = Field(
        [], description="Lifecycles of your own, beside the default document and position ones."
    )
    positions: list[Position] = Field([], description="Stances held at the start.")
    relations: list[Relation] = Field(
        [], description="How parties stand to each other at the start."
    )
    facts: list[FactSpec] = Field([], description="Named true/false facts.")
    weights: dict[Id, dict[Ref, float]] = Field(
        {},
        description="Named weights of parties, for thresholds: weight name -> party or body "
        "-> its weight (e.g. a share of emissions or of population). Not a fact unless "
        "attributed: label it in assumptions.",
    )
    deadlines: list[Deadline] = Field([], description="Deadline rules.")
    rules: list[Rule] = Field([], description="Reactive rules: when a condition, then events.")
    timeline: list[Event] = Field([], description="The dated events.")
    branches: list[Branch] = Field([], description="Alternative timelines.")
    expect: list[Expectation] = Field([], description="Checks on the state at given days.")
    invariants: list[Invariant] = Field([], description="Checks on every reachable state.")
    decisions: list[DecisionPoint] = Field(
        [], description="Where the scenario forks, for explore and sample."
    )
    interests: list[Interest] = Field(
        [],
        description="Each party's assumed interests in a document's options, for negotiation "
        "zopa: never facts, each labelled with an assumption.",
    )
    strategies: list[PartyStrategy] = Field(
        [],
        description="How parties are assumed to bargain over a document's options, for "
        "negotiation simulate: never facts, each labelled with an assumption.",
    )
    assumptions: list[str] = Field([], description="Scenario-wide assumptions, in words.")

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

    def __repr_args__(self) -> ReprArgs:
        """A short ``repr``: ``Scenario(id='x', title='...', 4 parties, 2 documents,
        12 events, 3 branches)`` (the title cut at 60 characters)."""
        yield "id", self.id
        yield "title", clipped(self.title)
        yield None, counted(len(self.parties), "party")
        yield None, counted(len(self.documents), "document")
        yield None, counted(len(self.timeline), "event")
        yield None, counted(len(self.branches), "branch")


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
        *((f"interest of {x.party} in {x.document}", x) for x in scenario.interests),
        *((f"strategy of {x.party} in {x.document}", x) for x in scenario.strategies),
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
