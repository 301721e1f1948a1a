"""Interests: what a party is assumed to want from a document's options.

Interests are never facts. No source states a real party's utilities as numbers, so
every interest carries an ``assumption`` that says what it assumes; the model refuses
one without it, and ``show --assumptions`` lists them all.

Per party and document: a weight per point (positive; points left out weigh nothing)
and a value in [0, 1] for each of the point's options, either one per label, a linear
scale from a ``worst`` to a ``best`` end of a numeric range, or ``piecewise`` points
between which the value is interpolated. The utility of a package is the weighted mean
of its values (additive, normalised to [0, 1]). Beside the points, ``states`` and
``facts`` value the world the text lives in: a document's lifecycle state (``peace_plan:
{weight: 1, values: {in_force: 1, signed: 0.3}}``) and whether a fact holds
(``strike_started: {weight: 1, holds: 0, otherwise: 1}``), each with a weight that joins
the points' in the weighted mean; they change the utility of every package alike, as
the state goes, so they never change which package a party prefers, only how it stands
against its BATNA. A cost of delay (``per_day``, subtracted
for each day since the scenario's start, or a daily ``discount`` factor) lowers it over
time. The reservation value (``batna``) is what the party gets with no agreement: a
number, or a default and a list of cases, each a condition in the condition language
(the first that holds on the day wins)::

    interests:
      - party: union
        document: new_contract
        assumption: Invented for teaching.
        points:
          wages: {weight: 5, linear: {worst: 0, best: 6}}
          hours: {weight: 2, values: {"37.5 h": 0, "36 h": 0.5, "35 h": 1}}
        delay: {per_day: 0.001}
        batna:
          default: 0.5
          cases:
            - {when: fact strike_started, value: 0.35}

How the values turn into utilities, zones of agreement and bargaining solutions is
``negotiation.analysis``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import ConfigDict, Field, model_validator

from negotiation.model._base import (
    ATTRIBUTION,
    CONDITION,
    SUMMARY,
    Frozen,
    Id,
    Ref,
    assumption_field,
    exactly_one,
    require_assumption,
)
from negotiation.model.attribution import Attribution

Value = Annotated[float, Field(ge=0.0, le=1.0)]
"""A value or a utility: a number from 0 (worst) to 1 (best)."""


class Linear(Frozen):
    """A linear value over a numeric range: 0 at ``worst``, 1 at ``best``, clipped
    beyond them (``worst`` may be above ``best``: less is better)."""

    worst: float = Field(description="The number worth 0.")
    best: float = Field(description="The number worth 1.")

    @model_validator(mode="after")
    def _apart(self) -> Linear:
        if self.worst == self.best:
            raise ValueError("'worst' and 'best' must differ")
        return self


class PointInterest(Frozen):
    """How much a point weighs for a party and what each of its options is worth:
    exactly one of ``values`` (discrete options), ``linear`` or ``piecewise`` (numeric
    ranges; piecewise points are ``[x, value]`` with x increasing)."""

    model_config = ConfigDict(json_schema_extra=exactly_one("values", "linear", "piecewise"))

    weight: float = Field(
        gt=0.0, description="How much the point counts, relative to the party's other points."
    )
    values: dict[str, Value] | None = Field(
        None, description="Discrete options: each option's value, from 0 (worst) to 1 (best)."
    )
    linear: Linear | None = Field(
        None, description="A numeric range: 0 at worst, 1 at best, straight in between."
    )
    piecewise: Annotated[list[tuple[float, Value]], Field(min_length=2)] | None = Field(
        None, description="A numeric range: [number, value] points, numbers increasing."
    )

    @model_validator(mode="after")
    def _one_scale(self) -> PointInterest:
        given = [n for n in ("values", "linear", "piecewise") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of 'values' (discrete options), 'linear' or 'piecewise' "
                f"(numeric ranges); got {', '.join(given) or 'none'}"
            )
        if self.piecewise is not None:
            xs = [x for x, _ in self.piecewise]
            if any(b <= a for a, b in itertools.pairwise(xs)):
                raise ValueError("piecewise points must have strictly increasing x")
        return self


class Delay(Frozen):
    """A cost of delay: exactly one of ``per_day`` (utility lost per day since the
    scenario's start) or ``discount`` (a daily factor δ: utility times δ ** days)."""

    model_config = ConfigDict(json_schema_extra=exactly_one("per_day", "discount"))

    per_day: float | None = Field(
        default=None, ge=0.0, le=1.0, description="Utility lost per day since the start."
    )
    discount: float | None = Field(
        default=None, gt=0.0, le=1.0, description="A daily factor: utility times it per day."
    )

    @model_validator(mode="after")
    def _one(self) -> Delay:
        if (self.per_day is None) == (self.discount is None):
            raise ValueError("give exactly one of 'per_day' or 'discount'")
        return self


class BatnaCase(Frozen):
    """A reservation value that applies while ``when`` (a condition) holds."""

    when: str = Field(description=f"While this holds, the BATNA is value. {CONDITION}")
    value: Value = Field(description="The BATNA in that case, from 0 to 1.")
    summary: str | None = Field(None, description=SUMMARY)


class Batna(Frozen):
    """A reservation value: the first case whose condition holds, else ``default``."""

    default: Value = Field(0.0, description="The BATNA when no case holds, from 0 to 1.")
    cases: list[BatnaCase] = Field(
        [], description="Conditional BATNAs: the first whose condition holds wins."
    )

    def case(self, holds: Callable[[str], bool]) -> BatnaCase | None:
        """The case that applies: the first whose condition ``holds`` (given the
        condition's text) says is true; None when the default applies."""
        return next((c for c in self.cases if holds(c.when)), None)

    def value(self, holds: Callable[[str], bool]) -> float:
        """The BATNA: the first case that holds, else the default."""
        found = self.case(holds)
        return self.default if found is None else found.value


class StateValues(Frozen):
    """What a document's lifecycle states are worth to a party: a weight beside the
    points' and a value per state (a state left out is worth ``otherwise``)."""

    weight: float = Field(gt=0.0, description="How much it counts, beside the points' weights.")
    values: Annotated[dict[Id, Value], Field(min_length=1)] = Field(
        description="Lifecycle state -> its value, from 0 (worst) to 1 (best)."
    )
    otherwise: Value = Field(0.0, description="The value of a state not listed.")


class FactValue(Frozen):
    """What a fact is worth to a party: a weight beside the points' and a value while it
    holds and while it does not."""

    weight: float = Field(gt=0.0, description="How much it counts, beside the points' weights.")
    holds: Value = Field(1.0, description="The value while the fact holds.")
    otherwise: Value = Field(0.0, description="The value while it does not.")


class Interest(Frozen):
    """One party's assumed interests in one document's options."""

    party: Ref = Field(description="The party (or body) whose interests these are.")
    document: Id = Field(description="The document whose options it values.")
    points: Annotated[dict[Id, PointInterest], Field(min_length=1)] = Field(
        description="Point id -> its weight and its options' values; points left out weigh 0."
    )
    states: dict[Id, StateValues] = Field(
        {},
        description="Document id -> what its lifecycle states are worth to the party (a "
        "weight beside the points' and a value per state).",
    )
    facts: dict[Id, FactValue] = Field(
        {},
        description="Fact id -> what it is worth to the party while it holds and while it "
        "does not (a weight beside the points').",
    )
    delay: Delay | None = Field(None, description="What delay costs the party, if anything.")
    batna: Value | Batna = Field(
        0.0,
        description="The reservation value (BATNA) from 0 to 1: a number, or a default and "
        "conditional cases.",
    )
    summary: str | None = Field(None, description=SUMMARY)
    attribution: Attribution | None = Field(None, description=ATTRIBUTION)
    assumption: str = assumption_field("interest")

    @model_validator(mode="before")
    @classmethod
    def _labelled(cls, data: Any) -> Any:
        return require_assumption(data, "interest")

    @property
    def reservation(self) -> Batna:
        """The BATNA as a default and cases (a bare number is a default alone)."""
        return self.batna if isinstance(self.batna, Batna) else Batna(default=self.batna)
