"""Lifecycles as data: a ``LifecycleSpec`` names states, transitions (with optional
condition-language guards) and absorbing states; a scenario may declare its own beside
the default document and position lifecycles. ``negotiation.runtime.lifecycles``
compiles a spec into a ``transitions`` Machine and its lookup table.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from negotiation.model._base import ASSUMPTION, CONDITION, Frozen, Id

ANY: Literal["*"] = "*"


class TransitionSpec(Frozen):
    """One transition: ``trigger`` moves ``source`` (a state, a list, or ``*``) to ``dest``."""

    trigger: Id = Field(description="The trigger's name (an event kind or any move).")
    source: list[Id] | Literal["*"] = Field(
        description="The state or states it leaves from, or * for every non-absorbing state."
    )
    dest: Id = Field(description="The state it moves to.")
    guard: str | None = Field(None, description=f"Must hold for the move. {CONDITION}")
    reason: str | None = Field(None, description="Why the guard exists, in words.")
    assumption: str | None = Field(None, description=ASSUMPTION)

    @field_validator("source", mode="before", json_schema_input_type=Id | list[Id] | Literal["*"])
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) and value != ANY else value


class LifecycleSpec(Frozen):
    """A lifecycle definition: states, the initial one, transitions, absorbing states."""

    id: Id = Field(description="The lifecycle's id, named by documents' lifecycle.")
    applies_to: Literal["document", "position"] = Field(
        "document", description="Whether it is a lifecycle of documents or of positions."
    )
    states: list[Id] = Field(description="Every state, each once.")
    initial: Id = Field(description="The state a document starts in (one of the states).")
    transitions: list[TransitionSpec] = Field(description="The moves between states.")
    absorbing: list[Id] = Field(
        [], description="States that end the lifecycle (no transition leaves them)."
    )
    description: str | None = Field(None, description="What the lifecycle models.")

    @model_validator(mode="after")
    def _consistent(self) -> LifecycleSpec:
        known = set(self.states)
        if len(known) != len(self.states):
            raise ValueError("lifecycle states must be unique")
        if self.initial not in known:
            raise ValueError(f"initial state {self.initial!r} is not one of the states")
        for t in self.transitions:
            for s in ([] if t.source == ANY else t.source) + [t.dest]:
                if s not in known:
                    raise ValueError(f"transition {t.trigger!r} names unknown state {s!r}")
        for s in self.absorbing:
            if s not in known:
                raise ValueError(f"absorbing state {s!r} is not one of the states")
            outgoing = [t.trigger for t in self.transitions if t.source != ANY and s in t.source]
            if outgoing:
                raise ValueError(f"absorbing state {s!r} has outgoing transitions {outgoing}")
        return self

    def sources(self, t: TransitionSpec) -> list[str]:
        """The states a transition leaves from (``*`` means every non-absorbing state)."""
        if t.source == ANY:
            return [s for s in self.states if s not in self.absorbing]
        return list(t.source)


_PRE_SIGN = ["drafted", "proposed", "under_negotiation", "revised", "agreed_in_principle"]

DEFAULT_DOCUMENT_LIFECYCLE = LifecycleSpec(
    id="document",
    applies_to="document",
    description="The default document lifecycle.",
    states=[
        *_PRE_SIGN,
        "signed",
        "ratified",
        "in_force",
        "breached",
        "terminated",
        "rejected",
        "withdrawn",
        "superseded",
        "lapsed",
    ],
    initial="drafted",
    transitions=[
        TransitionSpec(trigger="propose", source=["drafted"], dest="proposed"),
        TransitionSpec(trigger="derive", source=["drafted"], dest="proposed"),
        TransitionSpec(
            trigger="submit_comments",
            source=["proposed", "under_negotiation", "revised"],
            dest="under_negotiation",
        ),
        TransitionSpec(
            trigger="negotiate", source=["proposed", "revised"], dest="under_negotiation"
        ),
        TransitionSpec(
            trigger="revise",
            source=["proposed", "under_negotiation", "revised", "agreed_in_principle"],
            dest="revised",
        ),
        TransitionSpec(
            trigger="agree",
            source=["proposed", "under_negotiation", "revised"],
            dest="agreed_in_principle",
        ),
        TransitionSpec(trigger="sign", source=["agreed_in_principle"], dest="signed"),
        TransitionSpec(trigger="ratify", source=["signed"], dest="ratified"),
        TransitionSpec(trigger="enter_into_force", source=["signed", "ratified"], dest="in_force"),
        TransitionSpec(trigger="breach", source=["in_force"], dest="breached"),
        TransitionSpec(trigger="terminate", source=["in_force", "breached"], dest="terminated"),
        TransitionSpec(trigger="reject", source=_PRE_SIGN, dest="rejected"),
        TransitionSpec(trigger="withdraw", source=_PRE_SIGN, dest="withdrawn"),
        TransitionSpec(trigger="supersede", source=_PRE_SIGN, dest="superseded"),
        TransitionSpec(trigger="lapse", source=[*_PRE_SIGN, "signed"], dest="lapsed"),
    ],
    absorbing=["terminated", "rejected", "withdrawn", "superseded", "lapsed"],
)

_STANCES = [
    "unknown",
    "undecided",
    "supports",
    "supports_with_conditions",
    "opposes",
    "accepts",
    "rejects",
]

DEFAULT_POSITION_LIFECYCLE = LifecycleSpec(
    id="position",
    applies_to="position",
    description="The default position lifecycle: any stance may follow any other.",
    states=_STANCES,
    initial="unknown",
    transitions=[TransitionSpec(trigger=s, source=ANY, dest=s) for s in _STANCES[1:]],
)

DEFAULT_LIFECYCLES: dict[str, LifecycleSpec] = {
    DEFAULT_DOCUMENT_LIFECYCLE.id: DEFAULT_DOCUMENT_LIFECYCLE,
    DEFAULT_POSITION_LIFECYCLE.id: DEFAULT_POSITION_LIFECYCLE,
}
