"""Decision points: where a scenario forks into alternative moves.

A decision point is taken once, either on a date (``at``, ordered with the timeline's
events by (date, priority), after the events of the same date and priority) or the first
time a condition holds (``when``, checked in every state the explorer or sampler
reaches). At a decision point the scenario offers

* ``alternatives``: named moves, each a list of events (empty: nothing happens), with an
  optional ``probability``; a probability is an assumption and is listed as one unless
  the alternative carries its own ``assumption`` text; and/or
* ``free: true`` with ``parties``: every legal move of those parties (see
  ``negotiation.runtime.legal``), plus passing when ``allow_pass`` (the default).

Events of an alternative carry no date: they happen on the day the decision is taken.
A decision whose ``when`` first holds at the close of a day is taken the next morning.
An alternative whose events are blocked is not an option; a decision with no option is
a stuck state (``negotiation explore`` reports it).

Sampling weights: a labelled alternative weighs its probability; what is left of 1 is
shared equally by the unlabelled options (unlabelled alternatives, every free move, the
pass). Options that turn out blocked are dropped and the rest renormalised.
"""

from __future__ import annotations

from pydantic import ConfigDict, Field, model_validator

from negotiation.model._base import (
    ASSUMPTION,
    ATTRIBUTION,
    CONDITION,
    PRIORITY,
    SUMMARY,
    Frozen,
    Id,
    Ref,
    exactly_one,
)
from negotiation.model.attribution import Attribution
from negotiation.model.dates import FuzzyDate
from negotiation.model.events import Event

PROBABILITY_SLACK = 1e-9


class Alternative(Frozen):
    """One option at a decision point: its events happen together, in order."""

    id: Id = Field(description="The alternative's id inside its decision point.")
    summary: str | None = Field(None, description=SUMMARY)
    events: list[Event] = Field(
        [], description="The events it applies together, in order, with no dates (empty: none)."
    )
    probability: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="How likely it is, 0 to 1, for sampling; an assumption unless attributed.",
    )
    assumption: str | None = Field(None, description=ASSUMPTION)
    attribution: Attribution | None = Field(None, description=ATTRIBUTION)


class DecisionPoint(Frozen):
    """Where the scenario forks. Exactly one of ``at`` / ``when``."""

    model_config = ConfigDict(json_schema_extra=exactly_one("at", "when"))

    id: Id = Field(description="The decision point's id.")
    summary: str | None = Field(None, description=SUMMARY)
    at: FuzzyDate | None = Field(None, description="The date it is taken (or give when).")
    when: str | None = Field(
        None, description=f"It is taken the first time this holds (or give at). {CONDITION}"
    )
    priority: int = Field(0, description=PRIORITY)
    alternatives: list[Alternative] = Field([], description="The named moves on offer.")
    parties: list[Ref] = Field(
        [], description="With free: true, the parties whose every legal move is on offer."
    )
    free: bool = Field(False, description="true: every legal move of the parties is on offer.")
    allow_pass: bool = Field(
        True, description="With free: true, whether passing (doing nothing) is on offer."
    )
    assumption: str | None = Field(None, description=ASSUMPTION)
    attribution: Attribution | None = Field(None, description=ATTRIBUTION)

    @model_validator(mode="after")
    def _shape(self) -> DecisionPoint:
        if (self.at is None) == (self.when is None):
            raise ValueError("a decision point needs exactly one of 'at' or 'when'")
        if self.free and not self.parties:
            raise ValueError("a free decision point needs 'parties' (who may move)")
        if self.parties and not self.free:
            raise ValueError("'parties' only applies with 'free: true'")
        if not self.free and not self.alternatives:
            raise ValueError("a decision point needs 'alternatives' or 'free: true'")
        labelled = [a.probability for a in self.alternatives if a.probability is not None]
        total = sum(labelled)
        if total > 1 + PROBABILITY_SLACK:
            raise ValueError(f"the alternatives' probabilities add up to {total:g}, more than 1")
        everything_labelled = len(labelled) == len(self.alternatives) and not self.free
        if everything_labelled and abs(total - 1) > 1e-6:
            raise ValueError(
                f"every alternative has a probability but they add up to {total:g}, not 1"
            )
        return self


def option_weights(decision: DecisionPoint, free_moves: int) -> list[float]:
    """Sampling weights of the options, in order: alternatives, free moves, the pass."""
    options = list(decision.alternatives)
    unlabelled = sum(1 for a in options if a.probability is None)
    extra = free_moves + (1 if decision.free and decision.allow_pass else 0)
    rest = max(0.0, 1.0 - sum(a.probability or 0.0 for a in options))
    share = rest / (unlabelled + extra) if unlabelled + extra else 0.0
    weights = [a.probability if a.probability is not None else share for a in options]
    return weights + [share] * extra
