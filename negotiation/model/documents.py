"""Documents and their points. Any part the source is silent on may be ``unknown``.

A point may declare its ``options``: discrete labels, or a numeric range (``min`` to
``max`` by ``step``, with a ``unit``). The product of a document's points with options is
its outcome space (``negotiation.analysis.space``).
"""

from __future__ import annotations

import math
from collections import Counter
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Discriminator, Field, StringConstraints, Tag, field_validator, model_validator

from negotiation.model._base import (
    ASSUMPTION,
    ATTRIBUTION,
    CONDITION,
    SUMMARY,
    Frozen,
    Id,
    Ref,
    Unknown,
)
from negotiation.model.attribution import Attribution

MAX_OPTIONS = 1000
"""The most options one point may have (labels, or steps of a numeric range)."""

OptionLabel = Annotated[str, StringConstraints(min_length=1, max_length=80)]
"""A discrete option of a point: ``35 h``, ``time and a half``."""


OptionValue = OptionLabel | float
"""What an offer names for a point: one of its labels, or a number of its range."""


def option_text(value: str | float) -> str:
    """An option as the state holds it: a label as it is, a number in its shortest form
    (``3.25``, ``45500``)."""
    if isinstance(value, str):
        return value
    number = round(float(value), 10)
    return str(int(number)) if number.is_integer() else repr(number)


def option_texts(point: Point) -> list[str]:
    """A point's options as texts (``option_text``): its labels, or its range's numbers."""
    opts = point.options
    if opts is None:
        return []
    if isinstance(opts, NumericRange):
        return [option_text(opts.min + i * opts.step) for i in range(opts.count)]
    return list(opts)


class PointStatus(StrEnum):
    """Where a point stands in the text."""

    open = "open"
    bracketed = "bracketed"
    agreed = "agreed"
    dropped = "dropped"


class NumericRange(Frozen):
    """Options ``min``, ``min + step``, ... up to ``max``: a whole number of steps."""

    min: float = Field(allow_inf_nan=False, description="The smallest option.")
    max: float = Field(
        allow_inf_nan=False,
        description="The largest option: min plus a whole number of steps.",
    )
    step: float = Field(
        gt=0, allow_inf_nan=False, description="The difference between neighbouring options."
    )
    unit: str | None = Field(None, description="The unit shown after a number, e.g. % or h.")

    @property
    def count(self) -> int:
        """How many options the range holds."""
        return round((self.max - self.min) / self.step) + 1

    @model_validator(mode="after")
    def _whole_steps(self) -> NumericRange:
        if self.max < self.min:
            raise ValueError(f"max ({self.max:g}) is below min ({self.min:g})")
        steps = (self.max - self.min) / self.step
        if not math.isclose(steps, round(steps), rel_tol=1e-9, abs_tol=1e-9):
            raise ValueError(
                f"max ({self.max:g}) must be min ({self.min:g}) plus a whole number of "
                f"steps of {self.step:g}"
            )
        if self.count > MAX_OPTIONS:
            raise ValueError(f"{self.count:,} options; a point may have at most {MAX_OPTIONS:,}")
        return self


def _options_kind(value: Any) -> str:
    """Which kind of options a point gives: a mapping is a numeric range; anything else
    is read as a list of labels."""
    return "range" if isinstance(value, dict | NumericRange) else "labels"


Options = Annotated[
    Annotated[
        Annotated[list[OptionLabel], Field(min_length=1, max_length=MAX_OPTIONS)], Tag("labels")
    ]
    | Annotated[NumericRange, Tag("range")],
    Discriminator(_options_kind),
]
"""A point's options: a list of labels, or a numeric range."""


class Point(Frozen):
    """One point of a document, with its own status and, optionally, its options."""

    id: Id = Field(description="The point's id inside its document (document.point elsewhere).")
    summary: str | Unknown = Field(
        "unknown", description="What the point says, in neutral words, or unknown."
    )
    category: str | None = Field(None, description="A grouping of points, e.g. security.")
    status: PointStatus = Field(PointStatus.open, description="The point's status at the start.")
    options: Options | None = Field(
        None,
        description="What the point may settle on, for negotiation zopa: a list of labels, or "
        "a numeric range {min, max, step, unit}.",
    )
    attribution: Attribution | None = Field(None, description=ATTRIBUTION)
    assumption: str | None = Field(None, description=ASSUMPTION)

    def option_problem(self, value: str | float) -> str | None:
        """Why ``value`` is not one of the point's options (None: it is one)."""
        opts = self.options
        if opts is None:
            return f"point {self.id} declares no options"
        if isinstance(opts, NumericRange):
            if isinstance(value, str):
                return f"point {self.id} takes a number from {opts.min:g} to {opts.max:g}"
            steps = (value - opts.min) / opts.step
            whole = math.isclose(steps, round(steps), rel_tol=1e-9, abs_tol=1e-9)
            if not opts.min - 1e-9 <= value <= opts.max + 1e-9 or not whole:
                return (
                    f"{value:g} is not an option of {self.id} ({opts.min:g} to {opts.max:g} "
                    f"by {opts.step:g})"
                )
            return None
        if option_text(value) not in opts:
            listed = ", ".join(repr(o) for o in opts)
            return f"{option_text(value)!r} is not an option of {self.id} ({listed})"
        return None

    @field_validator("options")
    @classmethod
    def _distinct(
        cls, value: list[str] | NumericRange | None
    ) -> list[str] | NumericRange | None:
        if isinstance(value, list):
            twice = [x for x, n in Counter(value).items() if n > 1]
            if twice:
                raise ValueError(f"option {twice[0]!r} is listed twice")
        return value


class Guard(Frozen):
    """A condition that must hold for some of a document's triggers (``sign`` by default).

    ``condition`` is in the condition language; ``assumption`` labels a guard the source
    does not state.
    """

    condition: str = Field(description=f"What must hold for the triggers. {CONDITION}")
    triggers: list[str] = Field(
        ["sign"], description="The lifecycle triggers the guard applies to (sign by default)."
    )
    reason: str | None = Field(None, description="Why the guard exists, in words.")
    assumption: str | None = Field(None, description=ASSUMPTION)
    attribution: Attribution | None = Field(None, description=ATTRIBUTION)


class EntryIntoForce(Frozen):
    """A threshold for entry into force: at least ``at_least`` of ``of`` (the document's
    ratifiers by default) have ratified, holding at least ``share`` per cent of the
    scenario's declared ``weight``. It replaces the all-ratifiers gate; the delay after
    the threshold is met is a milestone anchored on ``threshold of DOC is met``."""

    at_least: int | None = Field(
        None, ge=1, description="How many of the counted parties must have ratified."
    )
    of: list[Ref] | None = Field(
        None, description="The parties or bodies counted (none: the document's ratification_by)."
    )
    weight: Id | None = Field(
        None, description="The name of a weight declared in the scenario's weights."
    )
    share: float | None = Field(
        None, gt=0, le=100,
        description="The per cent of the weight's total the ratifiers must hold (with weight).",
    )
    summary: str | None = Field(None, description=SUMMARY)
    attribution: Attribution | None = Field(None, description=ATTRIBUTION)
    assumption: str | None = Field(None, description=ASSUMPTION)

    @model_validator(mode="after")
    def _some_threshold(self) -> EntryIntoForce:
        if (self.weight is None) != (self.share is None):
            raise ValueError("'weight' and 'share' go together")
        if self.at_least is None and self.weight is None:
            raise ValueError("a threshold needs 'at_least', or 'weight' and 'share', or both")
        return self


def ratified_count(ratified: tuple[str, ...] | list[str], among: list[str] | None) -> int:
    """How many of ``among`` (everyone, when None) are in ``ratified``."""
    if among is None:
        return len(ratified)
    done = set(ratified)
    return sum(1 for p in among if p in done)


def ratified_share(ratified: tuple[str, ...] | list[str], weights: dict[str, float]) -> float:
    """The per cent of the weights' total held by the ratifiers (0 when the total is 0)."""
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    done = set(ratified)
    return 100.0 * sum(v for p, v in weights.items() if p in done) / total


def threshold_shortfall(
    spec: EntryIntoForce, ratifiers: list[str], ratified: tuple[str, ...],
    weights: dict[str, float],
) -> list[str]:
    """What a threshold still lacks, one sentence per part (empty: it is met). The one
    definition of a threshold being met: count and share both reached."""
    out = []
    among = spec.of if spec.of is not None else (ratifiers or None)
    if spec.at_least is not None:
        n = ratified_count(ratified, among)
        if n < spec.at_least:
            out.append(f"{n} ratified, at least {spec.at_least} needed")
    if spec.weight is not None and spec.share is not None:
        held = ratified_share(ratified, weights)
        if held < spec.share - 1e-9:
            out.append(f"{held:.4g}% of {spec.weight} ratified, at least {spec.share:g}% needed")
    return out


class Document(Frozen):
    """A negotiated text moving through a lifecycle."""

    id: Id = Field(description="The document's id.")
    title: str = Field(description="The document's title.")
    kind: str = Field(
        "agreement", description="What kind of text: agreement, plan, framework, annex, ..."
    )
    authors: list[Id] | Unknown = Field(
        "unknown", description="The parties that drafted it, or unknown."
    )
    version: str | None = Field(None, description="The version the scenario starts from.")
    derived_from: Id | None = Field(None, description="The document this one is derived from.")
    point_count: int | Unknown | None = Field(
        None, description="How many points the source says it has, or unknown."
    )
    points: list[Point] | Unknown = Field(
        [], description="The points the scenario tracks, or unknown."
    )
    points_total: int | None = Field(
        None,
        ge=0,
        description="How many points the whole text has when only some are known (the "
        "others are published later by publish_points events, or never): shown as "
        "'7 of 20 points known'.",
    )
    requires_acceptance: list[Id] | Unknown = Field(
        "unknown", description="The parties whose acceptance it needs, or unknown."
    )
    ratification_by: list[Ref] = Field(
        [],
        description="The parties or bodies (party.body) that must ratify it. Unless "
        "'in_force_before_ratification' says why not, it cannot enter into force (reach "
        "the state in_force) before each of them has ratified.",
    )
    in_force_before_ratification: str | None = Field(
        None,
        description="Opt out of the ratification gate: why this document may enter into "
        "force before every ratifier has ratified (a labelled assumption, or what the "
        "source says, e.g. provisional application).",
    )
    entry_into_force: EntryIntoForce | None = Field(
        None,
        description="A threshold that replaces the all-ratifiers gate: in force once at "
        "least at_least of the ratifiers, holding share per cent of a declared weight, have "
        "ratified.",
    )
    depends_on: list[Guard] = Field(
        [], description="Conditions that must hold for some of its triggers (guards)."
    )
    lifecycle: Id = Field(
        "document", description="The id of its lifecycle: document (the default) or your own."
    )
    initial_state: Id | None = Field(
        None, description="The lifecycle state it starts in (the lifecycle's initial one)."
    )
    summary: str | None = Field(None, description=SUMMARY)
    attribution: Attribution | None = Field(None, description=ATTRIBUTION)
    assumption: str | None = Field(None, description=ASSUMPTION)

    def point_ids(self) -> list[str]:
        return [] if self.points == "unknown" else [p.id for p in self.points]
