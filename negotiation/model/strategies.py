"""Strategies as data: how a party is assumed to bargain over a document's options.

A strategy is never a fact. No source states how a real party concedes, so every
strategy carries an ``assumption`` that says what it assumes; the model refuses one
without it, and ``show --assumptions`` lists them all.

Per party and document, a ``kind`` and its parameters, and the ``deadline`` the party
reads its time from (the fraction of the way from the start to that deadline's due
date, extensions included)::

    strategies:
      - party: union
        document: new_contract
        kind: boulware
        e: 0.2
        deadline: old_contract_sunset
        assumption: Invented for teaching.
      - party: employer
        document: new_contract
        kind: responses
        accept: 0.7
        target: 0.8
        deadline: old_contract_sunset
        assumption: Invented for teaching.

The kinds (``negotiation.behaviour.strategies`` gives them behaviour):

* ``boulware``, ``linear``, ``conceder``, ``time_based``: the time-dependent tactics of
  Faratin, Sierra and Jennings (1998) as NegMAS implements them. The target utility at
  time t is ``r + (best - r) * (1 - t ** (1 / e))``: ``e`` below 1 concedes late
  (Boulware, default 0.25), 1 is linear, above 1 concedes early (conceder, default 4).
  ``time_based`` takes any ``e``.
* ``hardliner``: always its best package; accepts only as much.
* ``tit_for_tat``: answers the other side's concession with a like relative concession.
* ``random``: a random package worth at least its BATNA (a baseline).
* ``responses``: if-then rules: accept an offer worth at least ``accept``; otherwise
  counter with the package nearest ``target``.
* ``mediator``: not a side but the mediator of single-text rounds on the document
  (``negotiation.behaviour.mediated``): it drafts one text (its first draft ``draft``, a
  package, or the one its rule picks), every other party with a strategy on the document
  accepts or rejects it, and it revises the text from the rejections; its ``deadline``
  ends the rounds. A document with a mediator is bargained by mediated rounds, not by
  alternating offers.

Which names exist (the party, the document, the deadline) is checked where a strategy
is used (``negotiation.behaviour.scenario``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import ConfigDict, Field, model_validator

from negotiation.model._base import SUMMARY, Frozen, Id, Ref, assumption_field, require_assumption
from negotiation.model.documents import OptionValue
from negotiation.model.interests import Value


class StrategyKind(StrEnum):
    """The strategy family (issue 12, item 5)."""

    boulware = "boulware"
    linear = "linear"
    conceder = "conceder"
    time_based = "time_based"
    hardliner = "hardliner"
    tit_for_tat = "tit_for_tat"
    random = "random"
    responses = "responses"
    mediator = "mediator"


TIME_BASED = frozenset(
    {StrategyKind.boulware, StrategyKind.linear, StrategyKind.conceder, StrategyKind.time_based}
)
"""The kinds whose target falls with time by an exponent ``e``."""

DEFAULT_E = {StrategyKind.boulware: 0.25, StrategyKind.linear: 1.0, StrategyKind.conceder: 4.0}
"""The exponent when none is given: NegMAS's named curves (its ``PolyAspiration``
exponents 4, 1 and 0.25 are our ``1 / e``)."""


def _when(kind: StrategyKind, then: dict[str, Any]) -> dict[str, Any]:
    return {"if": {"properties": {"kind": {"const": kind.value}}}, "then": then}


def _e(**bound: float) -> dict[str, Any]:
    return {"properties": {"e": bound}}


_PARAMETERS: dict[str, Any] = {
    "allOf": [
        _when(StrategyKind.boulware, _e(exclusiveMaximum=1)),
        _when(StrategyKind.linear, _e(minimum=1, maximum=1)),
        _when(StrategyKind.conceder, _e(exclusiveMinimum=1)),
        _when(StrategyKind.time_based, {"required": ["e"]}),
        _when(StrategyKind.responses, {"required": ["accept", "target"]}),
        {"if": {"required": ["draft"]},
         "then": {"properties": {"kind": {"const": StrategyKind.mediator.value}}}},
    ]
}
"""What the model's validator says of the parameters, for editors (the JSON Schema)."""


class PartyStrategy(Frozen):
    """One party's assumed strategy in one document's bargaining."""

    model_config = ConfigDict(json_schema_extra=_PARAMETERS)

    party: Ref = Field(description="The party (or body) that bargains this way.")
    document: Id = Field(description="The document whose options it bargains over.")
    kind: StrategyKind = Field(
        description="boulware, linear, conceder or time_based (concession over time), "
        "hardliner, tit_for_tat, random, responses (if-then rules), or mediator (drafts "
        "one text for the others to accept or reject, and revises it)."
    )
    deadline: Id = Field(
        description="The deadline whose due date (extensions included) ends the party's time."
    )
    e: float | None = Field(
        None,
        gt=0.0,
        description="Concession exponent of a time-based kind: below 1 concedes late "
        "(boulware, default 0.25), 1 is linear, above 1 early (conceder, default 4).",
    )
    accept: Value | None = Field(
        None, description="responses: accept an offer worth at least this (0 to 1)."
    )
    target: Value | None = Field(
        None, description="responses: otherwise counter with the package nearest this utility."
    )
    draft: dict[Id, OptionValue] | None = Field(
        None,
        min_length=1,
        description="mediator: the first draft, point id -> option (every point with "
        "options; default: the package the mediator's rule picks).",
    )
    summary: str | None = Field(None, description=SUMMARY)
    assumption: str = assumption_field("strategy")

    @model_validator(mode="before")
    @classmethod
    def _labelled(cls, data: Any) -> Any:
        return require_assumption(data, "strategy")

    @model_validator(mode="after")
    def _parameters(self) -> PartyStrategy:
        kind = self.kind
        if kind not in TIME_BASED and self.e is not None:
            raise ValueError(f"'e' is for the time-based kinds, not {kind.value}")
        if kind is StrategyKind.time_based and self.e is None:
            raise ValueError("a time_based strategy needs its exponent 'e'")
        if self.e is not None:
            bad = {
                StrategyKind.boulware: (self.e >= 1, "below 1"),
                StrategyKind.linear: (self.e != 1, "1"),
                StrategyKind.conceder: (self.e <= 1, "above 1"),
            }.get(kind)
            if bad is not None and bad[0]:
                raise ValueError(f"a {kind.value} strategy's 'e' must be {bad[1]}, got {self.e:g}")
        if self.draft is not None and kind is not StrategyKind.mediator:
            raise ValueError(f"'draft' belongs to the mediator kind, not {kind.value}")
        given = [n for n in ("accept", "target") if getattr(self, n) is not None]
        if kind is StrategyKind.responses:
            if len(given) != 2:
                raise ValueError("a responses strategy needs 'accept' and 'target'")
        elif given:
            raise ValueError(
                f"{' and '.join(given)} belong to the responses kind, not {kind.value}"
            )
        return self

    @property
    def exponent(self) -> float | None:
        """The concession exponent of a time-based kind (its default if none is given)."""
        if self.e is not None:
            return self.e
        return DEFAULT_E.get(self.kind)
