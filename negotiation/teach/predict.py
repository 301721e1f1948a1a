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

In a classroom each seat gets a question about its own party's situation
(``seat_question``): its offer on the table, what another party will do on its
documents or deadlines, or whether its deadline fires.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from negotiation.model.deadlines import LIVE_STATUSES, DeadlineStatus
from negotiation.model.documents import Document
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

Subject = Literal["deadline", "document", "offer"]
OFFER_CHOICES = ("accepted", "countered", "rejected", "on the table")
"""What becomes of a seat's offer by the next stop (``actual`` reads it from the state)."""
SAME = ("same", "unchanged", "no change")


@dataclass(frozen=True)
class Question:
    """One prediction to make: the status of a deadline or the state of a document."""

    subject: Subject
    target: str
    choices: tuple[str, ...]
    current: str
    by: str = ""  # an offer's: who made it and its package (point, option text)
    package: tuple[tuple[str, str], ...] = ()

    @property
    def about(self) -> str:
        """What the question is about, in words: ``deadline d``, ``document d``, or
        ``P's offer on d``."""
        if self.subject == "offer":
            return f"{self.by}'s offer on {self.target}"
        return f"{self.subject} {self.target}"

    @property
    def text(self) -> str:
        return (
            f"predict: after this step, what will {self.about} be? "
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


def question_for_offer(state: State, doc_id: str) -> Question:
    """What becomes of the offer on ``doc_id``'s table: accepted, countered by another
    party, rejected (withdrawn, walked away from), or still on the table."""
    offer = state.documents[doc_id].offer
    assert offer is not None
    return Question("offer", doc_id, OFFER_CHOICES, "on the table", offer.by,
                    tuple(offer.package.items()))  # fmt: skip


def seat_question(
    engine: Engine,
    state: State,
    mine: frozenset[str],
    ahead: Iterable[Event],
    deadlines: Iterable[str] = (),
) -> Question | None:
    """A question about one seat's own situation (``mine``: its party and the bodies it
    acts for), or None when none fits (the group then asks its common one):

    1. its offer on a document's table: will the other side accept it;
    2. the first event of another party ``ahead`` (the counterparts' events before the
       next stop, in order) on a document of its own (one that names it as an author,
       for acceptance or ratification, or that it holds a stance on or values) or on a
       deadline of its own (set on it or by it): what ``question_for`` asks about it;
    3. a deadline of its own, not yet met, missed or dropped: its status (will it fire):
       first one of ``deadlines`` (those its declared strategies run against), then
       one set on it, then one it set;
    4. a document of its own: its state.
    """
    for doc_id, doc in state.documents.items():
        if doc.offer is not None and doc.offer.by in mine:
            return question_for_offer(state, doc_id)
    sc = engine.scenario
    on_me = {d.id for d in sc.deadlines if set(d.on) & mine or d.set_by in mine}
    concerned = [d.id for d in sc.documents if mine & _named(d)]
    concerned += [on for who, _, on in (k.partition("|") for k in state.positions) if who in mine]
    concerned += [x.document for x in sc.interests if x.party in mine]
    for event in ahead:
        if set(event.by) & mine:
            continue
        about = getattr(event, "document", None), getattr(event, "deadline", None)
        if about[0] in concerned or about[1] in on_me:
            found = question_for(engine, state, event)
            if found is not None:
                return found
    own = [*deadlines, *(d.id for d in sc.deadlines if set(d.on) & mine)]
    for d_id in dict.fromkeys([*own, *sorted(on_me, key=[d.id for d in sc.deadlines].index)]):
        status = state.deadlines[d_id].status
        if status in LIVE_STATUSES or status is DeadlineStatus.inactive:
            return question_for_deadline(state, d_id)
    mine_first = [d for d in dict.fromkeys(concerned) if d in state.documents]
    return question_for_document(engine, state, mine_first[0]) if mine_first else None


def _named(doc: Document) -> set[str]:
    """The parties and bodies a document names: its authors, those whose acceptance it
    requires, those who ratify it."""
    out = set(doc.ratification_by)
    for names in (doc.authors, doc.requires_acceptance):
        if isinstance(names, list):
            out |= set(names)
    return out


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
    doc = state.documents[question.target]
    if question.subject == "document":
        return doc.state
    if doc.offer is not None and doc.offer.by != question.by:
        return "countered"
    if doc.offer is not None:
        return "on the table"  # its own offer still, or a new one of its own
    if question.package and all(doc.values.get(p) == v for p, v in question.package):
        return "accepted"
    return "rejected"
