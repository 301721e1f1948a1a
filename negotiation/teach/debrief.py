"""What a classroom group reached, for the debrief: the day its main document was
agreed against the deadlines' due dates, and each party's utility against its BATNA.

* **The main document**: the first document (in the scenario's order) that the
  parties' interests value; else the first named by a deadline's requirement; else the
  first declared.
* **Agreed**: signed, or further along the agreement path (ratified, in force): the
  first of ``AGREED`` the document's lifecycle has; or every point with options settled
  on a value by accepted offers (``OFFERED``). Its *agreement day* is the first day of
  the group's history on which the document entered one of those states or its last
  point settled (the group's first day if it started agreed); none if it never did.
* **Against each deadline**: the deadline's due date in the group's state (extensions
  included) and how many days before (or after) it the agreement came.
* **The other valued documents** (``others``): each one's agreement day and the
  parties' utilities against their BATNAs, the same way.
* **Utility against BATNA** (when the scenario declares interests in the document):
  each party's BATNA on the group's state (the first case whose condition holds, else
  the default: as ``analysis.zopa.Analysis.batnas`` reads it on the scripted state),
  and the utility of the agreed package, delayed from the scenario's start to the
  agreement day as ``negotiation zopa`` delays it. A package is one option per point:
  the values accepted offers settled (``DocumentState.values``), else options that the
  points' records name. A document agreed without a known package (signed by the
  script, its options never named) has utility None (shown as ``-``); with no
  agreement at all each party gets its BATNA, and the page says so.

Pure: a group in, values out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from negotiation.analysis.space import OutcomeSpace, Package, option_label
from negotiation.analysis.utility import PartyUtility, state_utility, world_of
from negotiation.analysis.zopa import documents_with_interests
from negotiation.model.documents import Document, option_text
from negotiation.model.state import DocumentState, State
from negotiation.runtime.engine import Engine
from negotiation.teach.group import Group

AGREED = ("signed", "ratified", "in_force")
"""The states of a document's agreement path, in order (the first one a lifecycle has
is where the document counts as agreed)."""
OFFERED = "agreed by offers"
"""The agreed state of a document whose points accepted offers settled."""


@dataclass(frozen=True)
class DeadlineMark:
    """A deadline in the group's state, and the agreement day against its due date."""

    deadline: str
    status: str
    due: dt.date | None
    margin: int | None
    """Days from the agreement to the due date: positive before it, negative after it;
    None when there is no agreement or no due date."""

    @property
    def against(self) -> str:
        """The agreement day against the due date, in words ('-' when there is none)."""
        if self.margin is None:
            return "-"
        if self.margin == 0:
            return "on the due date"
        n = abs(self.margin)
        return f"{n} day{'s' * (n != 1)} {'before' if self.margin > 0 else 'after'}"


@dataclass(frozen=True)
class FinalStanding:
    """One party's utility of the agreed package against its BATNA."""

    party: str
    batna: float
    because: str | None
    """The condition of the BATNA case that holds (None: the default)."""
    utility: float | None
    """None: no agreed package."""
    agreed: bool = True
    """False: no agreement, so the party gets its BATNA."""

    @property
    def words(self) -> str:
        if not self.agreed:
            return f"no agreement: {self.batna:.3f} (its BATNA) vs BATNA {self.batna:.3f}"
        utility = "-" if self.utility is None else f"{self.utility:.3f}"
        verdict = ""
        if self.utility is not None:
            verdict = " (above)" if self.utility >= self.batna else " (below)"
        return f"{utility} vs BATNA {self.batna:.3f}{verdict}"


@dataclass(frozen=True)
class Other:
    """Another valued document: its agreement day and state, and the standings."""

    document: str
    agreed_on: dt.date | None
    agreed_state: str | None
    standings: tuple[FinalStanding, ...]

    @property
    def agreement(self) -> str:
        if self.agreed_on is None:
            return "none"
        return f"{self.agreed_on.isoformat()} ({self.agreed_state})"


@dataclass(frozen=True)
class Debrief:
    document: str | None
    agreed_on: dt.date | None
    agreed_state: str | None
    deadlines: tuple[DeadlineMark, ...]
    standings: tuple[FinalStanding, ...]
    """Empty when the scenario declares no interests in the main document."""
    others: tuple[Other, ...] = ()
    """The other documents the parties' interests value, in the scenario's order."""

    @property
    def agreement(self) -> str:
        if self.document is None:
            return "-"
        if self.agreed_on is None:
            return "none"
        return f"{self.agreed_on.isoformat()} ({self.agreed_state})"


def main_document(engine: Engine) -> str | None:
    """The document a debrief is about (see the module docstring)."""
    sc = engine.scenario
    valued = documents_with_interests(engine)
    if valued:
        return valued[0]
    named = " ".join(d.requirement or "" for d in sc.deadlines).split()
    for doc in sc.documents:
        if any(word == doc.id or word.startswith(f"{doc.id}.") for word in named):
            return doc.id
    return sc.documents[0].id if sc.documents else None


def agreed_states(engine: Engine, document: str) -> tuple[str, ...]:
    """The states in which ``document`` counts as agreed (empty: its lifecycle has none
    of ``AGREED``)."""
    doc = next(d for d in engine.scenario.documents if d.id == document)
    states = set(engine.lifecycles[doc.lifecycle].spec.states)
    return tuple(s for s in AGREED if s in states)


def agreement_day(group: Group, document: str) -> tuple[dt.date | None, str | None]:
    """The first day the document entered an agreed state in the group's history, and
    that state (None, None: never)."""
    agreed = agreed_states(group.engine, document)
    what = f"document {document}"
    doc = next(d for d in group.engine.scenario.documents if d.id == document)
    valued = {p.id for p in (doc.points if doc.points != "unknown" else []) if p.options}
    settled: set[str] = set()
    for line in group.log:
        for entry in line.entries:
            for change in entry.changes:
                if change.what == what and change.after in agreed:
                    return entry.date, change.after
                if change.what.startswith(f"value {document}.") and change.after is not None:
                    settled.add(change.what.split(".", 1)[1])
            if valued and settled >= valued:
                return entry.date, OFFERED
    first = group.log[0].day if group.log else group.day
    start = group.engine.initial_state().documents.get(document)
    if start is not None and start.state in agreed:
        return first, start.state
    return None, None


def agreed_package(space: OutcomeSpace, doc: DocumentState) -> Package | None:
    """The package a document's state names: for every point with options, the value
    an accepted offer settled, else the option its record names (by label). None when
    a point has neither."""
    out = []
    for point, options in zip(space.points, space.options, strict=True):
        recorded = doc.values.get(point.id, doc.points.get(point.id))
        labels = [option_label(point, o) for o in options]
        found = next(
            (i for i, o in enumerate(options) if recorded in (labels[i], str(o), option_text(o))),
            None,
        )
        if found is None:
            return None
        out.append(found)
    return tuple(out)


def standings(
    engine: Engine, state: State, document: str, agreed_on: dt.date | None
) -> tuple[FinalStanding, ...]:
    """Each interested party's BATNA on ``state`` and its utility of the package the
    state records (None if none), delayed to ``agreed_on``."""
    interests = [x for x in engine.scenario.interests if x.document == document]
    if not interests:
        return ()
    doc: Document = next(d for d in engine.scenario.documents if d.id == document)
    space = OutcomeSpace.of(doc)
    doc_state = state.documents.get(document)
    package = agreed_package(space, doc_state) if doc_state is not None else None
    days = ((agreed_on or state.date) - engine.start_date()).days
    view = engine.turn_view(state)
    out = []
    for x in interests:
        case = x.reservation.case(lambda when: engine.evaluate(when, state))
        batna = x.reservation.default if case is None else case.value
        because = None if case is None else case.when
        utility = None
        if package is not None and agreed_on is not None:
            world = world_of(x, view.state, view.fact)
            utility = state_utility(x, PartyUtility.of(x, space)(package), world, days)
        out.append(FinalStanding(x.party, batna, because, utility, agreed_on is not None))
    return tuple(out)


def debrief(group: Group) -> Debrief:
    """What the group reached (see the module docstring)."""
    engine = group.engine
    document = main_document(engine)
    if document is None:
        return Debrief(None, None, None, (), ())
    day, agreed = agreement_day(group, document)
    marks = []
    for d_id, ds in group.state.deadlines.items():
        margin = (ds.due - day).days if day is not None and ds.due is not None else None
        marks.append(DeadlineMark(d_id, ds.status.value, ds.due, margin))
    others = []
    for other in documents_with_interests(engine):
        if other != document:
            on, state = agreement_day(group, other)
            others.append(Other(other, on, state, standings(engine, group.state, other, on)))
    return Debrief(
        document,
        day,
        agreed,
        tuple(marks),
        standings(engine, group.state, document, day),
        tuple(others),
    )
