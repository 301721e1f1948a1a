"""A classroom group: students each play a party; the other parties follow their
``Counterparts``. Pure: no I/O, no wall clock.

A group is a scenario, the parties its students play (its *seats*) and an append-only
tuple of accepted ``Action`` values; ``Group.replay`` rebuilds the same group from
that tuple, so storing the actions is storing the group. ``Group.take`` is the one way
in: it gives the next group, or raises ``RefusedError`` with every reason (nothing is
appended for a refused action).

The clock. The group stands on a day. On arriving at a day (``advance_to``: every
deadline that falls due on the way fires, one stop at a time), the counterparts act:
today, every scripted event dated since the last stop whose actors include no student
(``Scripted``), each checked with ``Engine.check`` and skipped with its reasons when
the students' path has made it illegal. Then each seat may make one move (or pass).
The clock moves on to the next stop when every seat has acted or passed, or when the
instructor advances it: the next scripted day, due date or window opening
(``Engine.checkpoints``), else the last day; past the last day the group is finished.

``Counterparts`` is the seam for the parties no student plays: "what do these parties
do on this day". ``teach.counterparts.Strategic`` plugs the declared strategies in there
(a party follows its strategy or the script, as the instructor chose); a group needs only
that the answer be a function of the turn (replay stays deterministic). The turn carries
the offers made so far in the group (``Offered``), which a strategy answers.

Predictions. With ``predict`` on, each seat is asked once a day, before its move or pass,
a question about its own party's situation (``question``: will the other side accept its
offer, what will another party do on its documents, will its deadline fire; else what
the first scripted event still ahead will change); the answer is an action
(``predict``), and it is scored when the clock arrives at the next stop (``predictions``).

Answers. After a student's move that puts an offer on a table the counterparts answer
at once, on the move's day (``Counterparts.answers``: a strategy answers the offer).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol

from negotiation.model.dates import FuzzyDate
from negotiation.model.errors import MoveError
from negotiation.model.events import Event
from negotiation.model.state import State
from negotiation.model.trace import TraceEntry
from negotiation.runtime.engine import Engine
from negotiation.runtime.notation import parse_move
from negotiation.teach.choices import STUDENT, ChoiceCache, SeatChoice, actors, move_text
from negotiation.teach.predict import (
    Question,
    actual,
    question_for,
    question_for_deadline,
    question_for_document,
    seat_question,
)
from negotiation.teach.script import Frame, FrameKind, ScriptItem, advance_to, agenda, end_day

ActionKind = Literal["start", "pause", "end", "advance", "move", "pass", "predict"]
Status = Literal["waiting", "running", "paused", "ended", "finished"]
LineKind = Literal["clock", "script", "skipped", "move", "pass", "control", "end", "predict"]

INSTRUCTOR = "instructor"
"""The seat of the instructor's actions (start, pause, advance, end)."""
CONTROLS: frozenset[str] = frozenset({"start", "pause", "end", "advance"})


class RefusedError(MoveError):
    """An action the group does not accept: ``reasons`` says every reason."""

    def __init__(self, reasons: tuple[str, ...]) -> None:
        self.reasons = reasons
        super().__init__("; ".join(reasons))


@dataclass(frozen=True)
class Action:
    """One accepted action: by a seat (a party a student plays) or ``INSTRUCTOR``; a
    move is written in the move grammar (``runtime.notation``)."""

    seat: str
    kind: ActionKind
    text: str = ""


@dataclass(frozen=True)
class Line:
    """One line of a group's history, with the trace entries it wrote."""

    day: dt.date
    kind: LineKind
    text: str
    seat: str | None = None
    reasons: tuple[str, ...] = ()
    entries: tuple[TraceEntry, ...] = ()


@dataclass(frozen=True)
class Offered:
    """An offer put on the table in the group: the day, the document, who made it and
    its package (point id -> option text, as the state records it)."""

    day: dt.date
    document: str
    by: str
    package: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Prediction:
    """A seat's prediction on a day, and what the state said at the next stop (None
    until the clock gets there)."""

    day: dt.date
    seat: str
    question: Question
    answer: str
    actual: str | None = None

    @property
    def right(self) -> bool | None:
        return None if self.actual is None else self.answer == self.actual


@dataclass(frozen=True)
class Turn:
    """What the counterparts are asked about: the parties no student plays, the day
    the group arrived at, the previous stop (None on the first day), and every offer
    made in the group so far, oldest first."""

    engine: Engine
    state: State
    day: dt.date
    since: dt.date | None
    parties: tuple[str, ...]
    students: frozenset[str]
    offers: tuple[Offered, ...] = ()


def offered(before: State, after: State, day: dt.date) -> tuple[Offered, ...]:
    """The offers a step put on the table (a document whose pending offer changed to a
    new one)."""
    out = []
    for doc, now in after.documents.items():
        was = before.documents.get(doc)
        if now.offer is not None and (was is None or was.offer != now.offer):
            out.append(Offered(day, doc, now.offer.by, tuple(now.offer.package.items())))
    return tuple(out)


class Counterparts(Protocol):
    """What the parties no student plays do: on a day the clock arrives at (``moves``),
    and at once after a student's move that puts an offer on a table (``answers``: the
    turn is the move's day, its ``since`` that day too), their events, in order."""

    def moves(self, turn: Turn) -> tuple[Event, ...]: ...

    def answers(self, turn: Turn) -> tuple[Event, ...]: ...


class Scripted:
    """The scenario's script: the timeline's events dated since the previous stop and
    up to the day, except those a student's party takes part in (the students decide
    those). Events by no party (the world) are the script's too."""

    def __init__(self, engine: Engine, branch: str | None = None) -> None:
        self.items: tuple[ScriptItem, ...] = tuple(i for i in agenda(engine, branch) if i.event)

    def moves(self, turn: Turn) -> tuple[Event, ...]:
        out = []
        for item in self.items:
            event = item.event
            assert event is not None
            due = item.day <= turn.day if turn.since is None else turn.since < item.day <= turn.day
            if due and not set(event.by) & turn.students:
                out.append(event)
        return tuple(out)

    def answers(self, turn: Turn) -> tuple[Event, ...]:
        """The script does not answer: its events come on their days."""
        return ()


@dataclass(frozen=True)
class Group:
    engine: Engine
    seats: tuple[str, ...]
    counterparts: Counterparts
    end: dt.date
    state: State
    choice_cache: ChoiceCache = field(compare=False, repr=False)
    """Where the seats' legal choices are kept (shared by the groups given the same)."""
    actions: tuple[Action, ...] = ()
    log: tuple[Line, ...] = ()
    status: Status = "waiting"
    done: frozenset[str] = frozenset()
    since: dt.date | None = None
    predict: bool = False
    offers: tuple[Offered, ...] = ()
    predictions: tuple[Prediction, ...] = ()

    # -- building -------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        engine: Engine,
        seats: tuple[str, ...],
        counterparts: Counterparts | None = None,
        until: dt.date | None = None,
        predict: bool = False,
        choice_cache: ChoiceCache | None = None,
    ) -> Group:
        """A new group on the scenario's first day, the script of that day applied;
        ``predict``: each seat predicts before the clock moves; ``choice_cache``: where
        its seats' legal choices are kept (a classroom shares one among the groups of an
        engine; default: the group's own)."""
        if choice_cache is not None and choice_cache.engine is not engine:
            raise ValueError("choice_cache: kept for another engine than the group's")
        known = [p.id for p in engine.scenario.parties]
        unknown = [s for s in seats if s not in known]
        if unknown or not seats or len(set(seats)) != len(seats):
            problem = f"unknown party {unknown[0]!r}" if unknown else "each party once"
            raise MoveError(f"seats: {problem} (parties: {', '.join(known)})")
        ordered = tuple(p for p in known if p in seats)
        state = engine.initial_state()
        group = cls(
            engine=engine,
            seats=ordered,
            counterparts=counterparts or Scripted(engine),
            end=end_day(engine, None, until),
            state=state,
            choice_cache=choice_cache if choice_cache is not None else ChoiceCache(engine),
            predict=predict,
        )
        return group.arrive(state.date)

    @classmethod
    def replay(
        cls,
        engine: Engine,
        seats: tuple[str, ...],
        actions: tuple[Action, ...],
        counterparts: Counterparts | None = None,
        until: dt.date | None = None,
        predict: bool = False,
        choice_cache: ChoiceCache | None = None,
    ) -> Group:
        """The group those accepted actions make (``RefusedError`` if one is not accepted)."""
        group = cls.open(engine, seats, counterparts, until, predict, choice_cache)
        for action in actions:
            group = group.take(action)
        return group

    # -- reading --------------------------------------------------------------------------
    @property
    def day(self) -> dt.date:
        return self.state.date

    @property
    def waiting_for(self) -> tuple[str, ...]:
        """The seats whose turn it is (in the scenario's party order)."""
        if self.status != "running":
            return ()
        return tuple(s for s in self.seats if s not in self.done)

    def question(self, seat: str | None = None) -> Question | None:
        """The prediction a seat is asked today: one about its own party's situation
        (``teach.predict.seat_question``: its offer on the table, what another party
        will do on its documents or deadlines before the next stop, whether its
        deadline fires), else the group's common one: what one document or deadline
        will be once the clock has moved on, about the first scripted event of the
        counterparts' between today and the next stop that ``teach.predict`` asks about;
        else about a deadline due by then; else the state of the first document the
        parties' interests value (else the first document). None: past the last day, or
        a scenario with no document."""
        stop = self.next_stop()
        if stop is None:
            return None
        students = {a for s in self.seats for a in actors(self.engine, s)}
        ahead = [
            item.event
            for item in agenda(self.engine, None)
            if item.event is not None
            and self.day < item.day <= stop
            and not set(item.event.by) & students
        ]
        if seat is not None:
            sc = self.engine.scenario
            mine = frozenset(actors(self.engine, seat))
            deadlines = [x.deadline for x in sc.strategies if x.party in mine]
            found = seat_question(self.engine, self.state, mine, ahead, deadlines)
            if found is not None:
                return found
        for event in ahead:
            found = question_for(self.engine, self.state, event)
            if found is not None:
                return found
        for d_id, ds in self.state.deadlines.items():
            if ds.due is not None and self.day <= ds.due <= stop:
                return question_for_deadline(self.state, d_id)
        sc = self.engine.scenario
        valued = [x.document for x in sc.interests] + [d.id for d in sc.documents]
        return question_for_document(self.engine, self.state, valued[0]) if valued else None

    def must_predict(self, seat: str) -> Question | None:
        """The question the seat must answer before it moves or passes (None: none)."""
        if not self.predict or self.status != "running" or seat not in self.waiting_for:
            return None
        if any(p.day == self.day and p.seat == seat for p in self.predictions):
            return None
        return self.question(seat)

    def choices(self, seat: str) -> tuple[SeatChoice, ...]:
        """The legal moves of a seat's party now, in a stable order (documents in
        declaration order, then deadlines), in the move grammar's words
        (``runtime.legal.legal_moves``'s answer, kept by the group's ``choice_cache``: a
        pass leaves the state as it was, and groups of one scenario often stand in the
        same state)."""
        return self.choice_cache.choices(self.state, seat)

    def why(self, seat: str, text: str) -> tuple[str, ...]:
        """Every reason a move by the seat would be refused now (empty: allowed); a
        move that does not parse raises ``MoveError``."""
        event = parse_move(text, self.engine.scenario, self.day)
        return self._reasons(seat, event)

    def _reasons(self, seat: str, event: Event) -> tuple[str, ...]:
        mine = actors(self.engine, seat)
        if not set(event.by) <= mine:
            return (f"you play {seat}; that move is by {', '.join(event.by)}",)
        return tuple(self.engine.check(self.state, event))

    def frames(self) -> tuple[Frame, ...]:
        """The group's path as a session's recorded frames (what the report draws): its
        opening, then one frame per accepted action that changed the state or wrote trace
        entries (a move, and the clock it moved), with the state after it. Replayed from
        the actions."""
        group = Group.open(
            self.engine, self.seats, self.counterparts, self.end, self.predict, self.choice_cache
        )
        opening = tuple(e for line in group.log for e in line.entries)
        out = [Frame(0, "start", self.engine.initial_state(), group.state, opening)]
        for action in self.actions:
            after = group.take(action)
            entries = tuple(e for line in after.log[len(group.log) :] for e in line.entries)
            if entries or after.state != group.state:
                kind: FrameKind = "event" if action.kind == "move" else "clock"
                out.append(Frame(len(out), kind, group.state, after.state, entries))
            group = after
        return tuple(out)

    # -- acting ---------------------------------------------------------------------------
    def take(self, action: Action) -> Group:
        """The group after an action, or ``RefusedError`` with every reason."""
        if action.seat == INSTRUCTOR:
            return self._control(action)
        if action.seat not in self.seats:
            raise RefusedError((f"{action.seat!r} is not a seat of this group",))
        if action.kind not in ("move", "pass", "predict"):
            raise RefusedError((f"a seat cannot {action.kind} the group",))
        if self.status != "running":
            raise RefusedError((f"the group is {self.status}",))
        if action.seat in self.done:
            raise RefusedError(
                (f"{action.seat} has already acted on {self.day}; wait for the others",)
            )
        question = self.must_predict(action.seat)
        if action.kind == "predict":
            return self._predicted(action, question)
        if question is not None:
            raise RefusedError((f"predict first: {question.text}",))
        if action.kind == "pass":
            line = Line(self.day, "pass", f"{action.seat} passes", action.seat)
            return self.acted(action, self.state, line)
        try:
            event = parse_move(action.text, self.engine.scenario, self.day)
        except MoveError as e:
            raise RefusedError((str(e),)) from None
        reasons = self._reasons(action.seat, event)
        if reasons:
            raise RefusedError(reasons)
        words = move_text(event)
        played = event.model_copy(
            update={
                "date": FuzzyDate.of(self.day),
                "summary": f"{words} (a student's move)",
                "attribution": STUDENT,
            }
        )
        result = self.engine.apply(self.state, played)
        line = Line(self.day, "move", words, action.seat, (), tuple(result.entries))
        new = offered(self.state, result.state, self.day)
        log, offers = (*self.log, line), (*self.offers, *new)
        moved = replace(self, state=result.state, log=log, offers=offers)
        answered = moved.answered_now() if new else moved  # an offer is answered at once
        return answered.acted(replace(action, text=words), answered.state, None)

    def answered_now(self) -> Group:
        """The group after the counterparts' answers to a student's move, on its day."""
        turn = self.turn_on(self.day)
        events = self.counterparts.answers(replace(turn, since=self.day))
        return self.counterpart_events(events, self.day) if events else self

    def _predicted(self, action: Action, question: Question | None) -> Group:
        if question is None:
            raise RefusedError((f"{action.seat} has nothing to predict now",))
        answer = question.read(action.text)
        if answer is None:
            choices = ", ".join(question.choices)
            raise RefusedError((f"answer one of: {choices}, or same (got {action.text!r})",))
        made = Prediction(self.day, action.seat, question, answer)
        words = f"{action.seat} predicts {question.about}: {answer}"
        line = Line(self.day, "predict", words, action.seat)
        return replace(
            self,
            actions=(*self.actions, replace(action, text=answer)),
            log=(*self.log, line),
            predictions=(*self.predictions, made),
        )

    def acted(self, action: Action, state: State, line: Line | None) -> Group:
        """The group after a seat's action (``line``: its history line, None when it is
        written already, with the state it gave)."""
        group = replace(
            self,
            state=state,
            actions=(*self.actions, action),
            log=self.log if line is None else (*self.log, line),
            done=self.done | {action.seat},
            offers=(*self.offers, *offered(self.state, state, self.day)),
        )
        if group.done >= set(group.seats):
            return group.clock_on()
        return group

    def _control(self, action: Action) -> Group:
        allowed: dict[str, tuple[Status, ...]] = {
            "start": ("waiting", "paused"),
            "pause": ("running",),
            "advance": ("waiting", "running", "paused"),
            "end": ("waiting", "running", "paused"),
        }
        if action.kind not in allowed:
            raise RefusedError((f"the instructor cannot {action.kind}",))
        if self.status not in allowed[action.kind]:
            raise RefusedError((f"cannot {action.kind}: the group is {self.status}",))
        after: dict[str, Status] = {"start": "running", "pause": "paused", "end": "ended"}
        status = after.get(action.kind, self.status)
        words = {"start": "started", "pause": "paused", "end": "ended", "advance": "advanced"}
        line = Line(self.day, "control", f"the instructor {words[action.kind]} the group")
        group = replace(self, status=status, actions=(*self.actions, action), log=(*self.log, line))
        return group.clock_on() if action.kind == "advance" else group

    # -- the clock ------------------------------------------------------------------------
    def next_stop(self) -> dt.date | None:
        """Where the clock goes next (None: past the last day)."""
        day = self.day
        if day >= self.end:
            return None
        ahead = {i.day for i in agenda(self.engine, None) if day < i.day <= self.end}
        ahead |= {c for c in self.engine.checkpoints(self.state) if day < c <= self.end}
        return min(ahead, default=self.end)

    def clock_on(self) -> Group:
        """The group at the next stop (every seat's turn again), or finished."""
        stop = self.next_stop()
        moved = (
            self._finish()
            if stop is None
            else replace(self, done=frozenset(), since=self.day).arrive(stop)
        )
        if all(p.actual is not None for p in moved.predictions):
            return moved
        scored = tuple(  # the open predictions, against the state the clock arrived at
            p if p.actual is not None else replace(p, actual=actual(p.question, moved.state))
            for p in moved.predictions
        )
        return replace(moved, predictions=scored)

    def _finish(self) -> Group:
        group = self._clock(self.end, close=True)
        line = Line(group.day, "end", f"the group ends at the close of {self.end}")
        return replace(group, status="finished", done=frozenset(), log=(*group.log, line))

    def _clock(self, day: dt.date, close: bool = False) -> Group:
        state, log = self.state, list(self.log)
        for stop in advance_to(self.engine, state, day, close):
            log += [Line(e.date, "clock", e.summary, None, (), (e,)) for e in stop.entries]
            state = stop.state
        return replace(self, state=state, log=tuple(log))

    def arrive(self, day: dt.date) -> Group:
        """The group with the clock at ``day`` and the counterparts' moves of the day."""
        group = self._clock(day)
        return group.counterpart_events(self.counterparts.moves(group.turn_on(day)), day)

    def turn_on(self, day: dt.date) -> Turn:
        """What the counterparts are asked about on ``day``."""
        others = tuple(p.id for p in self.engine.scenario.parties if p.id not in self.seats)
        students = frozenset(a for s in self.seats for a in actors(self.engine, s))
        return Turn(self.engine, self.state, day, self.since, others, students, self.offers)

    def counterpart_events(self, events: tuple[Event, ...], day: dt.date) -> Group:
        """The group after the counterparts' events on ``day``, each checked (and skipped
        with its reasons when the engine refuses it)."""
        state, log, offers = self.state, list(self.log), list(self.offers)
        for event in events:
            who = ", ".join(event.by) or None
            words = event.summary or move_text(event)
            reasons = tuple(self.engine.check(state, event))
            if reasons:
                log.append(Line(day, "skipped", f"skipped: {words}", who, reasons))
                continue
            result = self.engine.apply(state, event)
            if result.blocked:
                log.append(Line(day, "skipped", f"skipped: {words}", who, result.entry.reasons))
                continue
            log.append(Line(day, "script", words, who, (), tuple(result.entries)))
            offers += offered(state, result.state, day)
            state = result.state
        return replace(self, state=state, log=tuple(log), offers=tuple(offers))
