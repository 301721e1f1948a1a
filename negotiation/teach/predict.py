"""Predicting the next state: the question to ask before a step, and its scoring.

Before an event is applied the session asks about one thing the event may change:

* a deadline event (set, extend, drop, enforce, waive) or a commitment that opens a
  deadline rule: that deadline's status;
* a stance (accept, reject, a position) on a document that a live deadline's
  requirement names: that deadline's status (the deadline effect);
* any other event on a document: the document's lifecycle state;
* a fact that a waiting window is anchored on: that window's status.

Events that change nothing (statements, meetings, requests) get no question. Answers
are one of the choices (or its number), or ``same`` for "it will not change".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from negotiation.model.deadlines import LIVE_STATUSES, DeadlineStatus
from negotiation.model.events import (
    Accept,
    ClearFact,
    Commitment,
    Event,
    Reject,
    SetFact,
    StatePosition,
)
from negotiation.model.state import State
from negotiation.runtime.engine import Engine

Subject = Literal["deadline", "document"]
SAME = ("same", "unchanged", "no change")


@dataclass(frozen=True)
class Question:
    """One prediction to make: the status of a deadline or the state of a document."""

    subject: Subject
    target: str
    choices: tuple[str, ...]
    current: str

    @property
    def text(self) -> str:
        what = "deadline" if self.subject == "deadline" else "document"
        return (
            f"predict: after this step, what will {what} {self.target} be? "
            f"(now {self.current}; 'same' if it will not change)"
        )

    def read(self, answer: str) -> str | None:
        """The choice an answer names, or None if it names none."""
        text = answer.strip().lower()
        if text in SAME:
            return self.current
        if text.isdigit() and 1 <= int(text) <= len(self.choices):
            return self.choices[int(text) - 1]
        return text if text in self.choices else None


def question_for_deadline(state: State, d_id: str) -> Question:
    """What deadline ``d_id``'s status will be."""
    return Question(
        "deadline",
        d_id,
        tuple(s.value for s in DeadlineStatus),
        state.deadlines[d_id].status.value,
    )


def question_for_document(engine: Engine, state: State, doc_id: str) -> Question:
    """What document ``doc_id``'s lifecycle state will be."""
    lifecycle = engine.lifecycles[engine.documents[doc_id].lifecycle]
    return Question("document", doc_id, tuple(lifecycle.spec.states), state.documents[doc_id].state)


def question_for(engine: Engine, state: State, event: Event) -> Question | None:
    """The prediction to ask before ``event`` is applied to ``state`` (None: nothing to
    predict). See the module docstring for the choice."""
    deadline = getattr(event, "deadline", None)
    if isinstance(deadline, str) and deadline in state.deadlines:
        return question_for_deadline(state, deadline)
    if isinstance(event, Commitment) and event.opens:
        return question_for_deadline(state, event.opens[0])
    if isinstance(event, Accept | Reject | StatePosition):
        for d in engine.scenario.deadlines:
            live = state.deadlines[d.id].status in LIVE_STATUSES
            if live and d.requirement and event.document in d.requirement.split():
                return question_for_deadline(state, d.id)
    if isinstance(event, SetFact | ClearFact):
        for d in engine.scenario.deadlines:
            anchor = d.anchor.condition if d.anchor is not None else None
            if anchor and event.fact in anchor.split():
                return question_for_deadline(state, d.id)
        return None
    document = getattr(event, "document", None)
    if isinstance(document, str) and document in state.documents:
        return question_for_document(engine, state, document)
    return None


def actual(question: Question, state: State) -> str:
    """The true answer, read from the state after the step."""
    if question.subject == "deadline":
        return state.deadlines[question.target].status.value
    return state.documents[question.target].state
