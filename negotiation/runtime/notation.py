"""Moves: one line of text per event, and back again.

A move is how a person (the ``why`` command, the ``play`` command) or a counterexample
file writes an event. ``parse_move`` turns a line into an ``Event``, checking every name
against the scenario; ``format_move`` writes an event back as the canonical line, so that
``parse_move(format_move(e), scenario) == e`` for every event the grammar can express.
Grammar (words are case-insensitive)::

    move     := SUBJECT PHRASE
    SUBJECT  := PARTY | PARTY ("," PARTY)* "and" PARTY    a party or a body (uk.commons)
    TARGET   := DOC | DOC "." POINT
    DATE     := YYYY-MM-DD | YYYY-MM | YYYY-MM-DD..YYYY-MM-DD

    PHRASE   := "proposes" DOC                          propose
              | "derives" DOC "from" DOC                derive (the first DOC is the new one)
              | "revises" DOC                           revise
              | "comments" "on" DOC                     submit_comments
              | "accepts" TARGET | "rejects" TARGET     accept | reject
              | "supports" TARGET ["with" "conditions"] state_position supports[_with_conditions]
              | "opposes" TARGET                        state_position opposes
              | "is" "undecided" "on" TARGET            state_position undecided
              | "takes" "stance" STANCE "on" TARGET     state_position, any stance
              | "signs" DOC | "ratifies" DOC            sign | ratify
              | "withdraws" DOC | "breaches" DOC        withdraw | breach
              | "supersedes" DOC ["with" DOC]           supersede (by its replacement)
              | "agrees" DOC                            transition agree
              | "moves" DOC "by" TRIGGER                transition: any move of DOC's lifecycle
              | "marks" DOC "." POINT "as" STATUS       set_point (open, bracketed, agreed, dropped)
              | "commits" "to" DEADLINE ("and" DEADLINE)*  commitment opening deadline rules
              | "sets" "deadline" DEADLINE ["due" DATE] set_deadline
              | "extends" DEADLINE "to" DATE            extend_deadline
              | "drops" DEADLINE                        drop_deadline
              | "declares" DEADLINE "non-binding"       drop_deadline, nonbinding
              | "enforces" DEADLINE | "waives" DEADLINE enforce_deadline | waive_deadline
              | "sets" "fact" FACT | "clears" "fact" FACT          set_fact | clear_fact
              | ("starts" | "ends") "relation" RELATION PARTY      set_relation
              | "offers" DOC PACKAGE | "counters" DOC PACKAGE       offer | counter
              | "accepts" "the" "offer" "on" DOC                   accept_offer
              | "rejects" "the" "offer" "on" DOC                   reject_offer
              | "walks" "away" "from" DOC                          walk_away
              | "joins" DOC                                        join
              | "withdraws" "from" DOC ["effective" (DATE | "after" N "days")]  leave
              | "suspends" PARTY "from" DOC                        suspend
              | "readmits" PARTY ["to" DOC]                        readmit (no DOC: talks)
              | "excludes" PARTY "from" "talks" ["until" CONDITION]  exclude
    PACKAGE  := POINT OPTION ("," POINT OPTION)*   an option as written: 35 h, 3.5
    RELATION := supports | opposes | guarantees | mediates_for

With several parties a verb may take its plural form (``east and west sign plan``);
either form is read, and ``format_move`` writes the one that agrees. In a relation move
the (single) subject is the relation's source and its actor.

Not expressible, and so not round-tripped: summaries, attributions, assumptions,
priorities, ids, a revision's version and points, a position's condition texts, and the
kinds ``meet``, ``statement`` and ``request`` (``format_move`` raises ``MoveError``).
The date is not part of the line: ``parse_move`` takes it as an argument.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError

from negotiation.model.dates import FuzzyDate
from negotiation.model.documents import NumericRange, PointStatus, option_text
from negotiation.model.errors import MoveError, did_you_mean
from negotiation.model.events import (
    Accept,
    AcceptOffer,
    Breach,
    ClearFact,
    Commitment,
    Counter,
    Derive,
    DropDeadline,
    EnforceDeadline,
    Event,
    Exclude,
    ExtendDeadline,
    Join,
    Leave,
    Offer,
    Propose,
    Ratify,
    Readmit,
    Reject,
    RejectOffer,
    Revise,
    SetDeadline,
    SetFact,
    SetPoint,
    SetRelation,
    Sign,
    StatePosition,
    SubmitComments,
    Supersede,
    Suspend,
    Transition,
    WaiveDeadline,
    WalkAway,
    Withdraw,
)
from negotiation.model.parties import RelationKind
from negotiation.model.positions import Stance
from negotiation.model.scenario import Scenario
from negotiation.model.vocabulary import ScenarioVocabulary

MAX_MOVE_LENGTH = 500

_VERB_PAIRS = (
    "proposes/propose derives/derive revises/revise comments/comment accepts/accept "
    "rejects/reject supports/support opposes/oppose is/are takes/take signs/sign "
    "ratifies/ratify withdraws/withdraw breaches/breach supersedes/supersede "
    "agrees/agree moves/move marks/mark commits/commit sets/set extends/extend "
    "drops/drop declares/declare enforces/enforce waives/waive clears/clear "
    "starts/start ends/end offers/offer counters/counter walks/walk joins/join "
    "suspends/suspend readmits/readmit excludes/exclude"
)
VERBS: dict[str, str] = dict(pair.split("/") for pair in _VERB_PAIRS.split())
"""Every verb of the grammar: singular form -> plural form."""

_SINGULAR = {plural: singular for singular, plural in VERBS.items()} | {v: v for v in VERBS}
_SIMPLE_DOC_KINDS: dict[str, type[Propose | Revise | Sign | Ratify | Withdraw | Breach]] = {
    "proposes": Propose,
    "revises": Revise,
    "signs": Sign,
    "ratifies": Ratify,
    "withdraws": Withdraw,
    "breaches": Breach,
}
_SIMPLE_DEADLINE_KINDS: dict[str, type[DropDeadline | EnforceDeadline | WaiveDeadline]] = {
    "drops": DropDeadline,
    "enforces": EnforceDeadline,
    "waives": WaiveDeadline,
}
_STANCE_PHRASES = {
    Stance.supports: "supports {t}",
    Stance.supports_with_conditions: "supports {t} with conditions",
    Stance.opposes: "opposes {t}",
    Stance.undecided: "is undecided on {t}",
}
_DATE_TEXT = re.compile(r"^\d{4}-\d{2}(-\d{2})?(\.\.\d{4}-\d{2}-\d{2})?$")
_TOKEN = re.compile(r"[^\s,]+|,")


class MoveParseError(MoveError):
    """A move did not parse: ``reason``, at 1-based ``column`` of ``text``."""

    def __init__(self, reason: str, text: str, column: int) -> None:
        self.reason = reason
        self.text = text
        self.column = column
        super().__init__(f"{reason} at column {column} of move {text!r}")


@dataclass(frozen=True)
class _MoveToken:
    value: str  # lower-cased
    raw: str
    pos: int  # 0-based offset in the text


def _hint_or_list(name: str, known: set[str]) -> str:
    """A did-you-mean, or else the known names when there are few."""
    hint = did_you_mean(name, known)
    if hint or len(known) > 12:
        return hint
    return f" (known: {', '.join(sorted(known))})" if known else " (the scenario has none)"


class _MoveParser:
    def __init__(self, text: str, scenario: Scenario) -> None:
        self.text = text
        self.vocab = ScenarioVocabulary(scenario)
        self.scenario = scenario
        self.toks = [
            _MoveToken(m.group().lower(), m.group(), m.start()) for m in _TOKEN.finditer(text)
        ]
        self.i = 0

    # -- helpers ---------------------------------------------------------------------
    def fail(self, reason: str, tok: _MoveToken | None = None) -> MoveParseError:
        pos = tok.pos if tok is not None else len(self.text.rstrip())
        return MoveParseError(reason, self.text, pos + 1)

    def peek(self) -> _MoveToken | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def at(self, word: str) -> bool:
        t = self.peek()
        return t is not None and t.value == word

    def next(self, what: str) -> _MoveToken:
        t = self.peek()
        if t is None:
            raise self.fail(f"expected {what}, got the end")
        self.i += 1
        return t

    def take(self, word: str) -> None:
        t = self.next(repr(word))
        if t.value != word:
            raise self.fail(f"expected {word!r}, got {t.raw!r}", t)

    def name(self, known: set[str], what: str) -> str:
        t = self.next(f"a {what}")
        if t.value not in known:
            raise self.fail(f"unknown {what} {t.raw!r}{_hint_or_list(t.value, known)}", t)
        return t.value

    def end(self) -> None:
        t = self.peek()
        if t is not None:
            raise self.fail(f"unexpected {t.raw!r} after a complete move", t)

    # -- names -----------------------------------------------------------------------
    def party(self) -> str:
        return self.name(self.vocab.parties(), "party")

    def document(self) -> str:
        t = self.peek()
        if t is not None and "." in t.value and t.value.split(".")[0] in self.vocab.documents():
            raise self.fail(f"{t.raw!r} names a point; this move takes a whole document", t)
        return self.name(self.vocab.documents(), "document")

    def target(self) -> tuple[str, str | None]:
        t = self.next("a document or a point (doc.point)")
        doc, dot, point = t.value.partition(".")
        docs = self.vocab.documents()
        if doc not in docs:
            raise self.fail(f"unknown document {doc!r}{_hint_or_list(doc, docs)}", t)
        if not dot:
            return doc, None
        points = self.vocab.points(doc)
        if point not in points:
            known = f" (its points: {', '.join(sorted(points))})" if points else " (it has none)"
            hint = did_you_mean(point, points)
            raise self.fail(f"unknown point {point!r} of {doc}{hint}{known}", t)
        return doc, point

    def deadline(self) -> str:
        return self.name(self.vocab.deadlines(), "deadline")

    def date(self) -> FuzzyDate:
        t = self.next("a date (YYYY-MM-DD)")
        if not _DATE_TEXT.match(t.value):
            raise self.fail(f"expected a date as YYYY-MM-DD, got {t.raw!r}", t)
        try:
            return FuzzyDate.model_validate(t.value)
        except ValidationError as e:
            reason = e.errors()[0]["msg"].removeprefix("Value error, ")
            if reason.startswith("expected a date"):
                reason = "no such day"
            raise self.fail(f"{t.raw!r} is not a valid date ({reason})", t) from None

    def choice(self, options: list[str], what: str) -> str:
        t = self.next(what)
        if t.value not in options:
            raise self.fail(
                f"unknown {what} {t.raw!r}{did_you_mean(t.value, options)} "
                f"(expected one of: {', '.join(options)})",
                t,
            )
        return t.value

    # -- the move --------------------------------------------------------------------
    def parse(self) -> Event:
        if not self.toks:
            raise self.fail("empty move")
        by = [self.party()]
        while self.at(",") or self.at("and"):
            self.i += 1
            by.append(self.party())
        verb_tok = self.next("a verb")
        verb = _SINGULAR.get(verb_tok.value)
        if verb is None:
            raise self.fail(
                f"unknown verb {verb_tok.raw!r}{did_you_mean(verb_tok.value, VERBS)} "
                f"(expected one of: {', '.join(VERBS)})",
                verb_tok,
            )
        try:
            event = _HANDLERS[verb](self, by, verb_tok)
        except ValidationError as e:  # a safety net: the grammar should never build these
            raise self.fail(f"not a valid event: {e.errors()[0]['msg']}", verb_tok) from None
        self.end()
        return event

    def package(self, doc: str) -> dict[str, str | float]:
        """``POINT OPTION ("," POINT OPTION)*``: an option is the words up to the next
        comma, one of the point's options as written (case-insensitive)."""
        spec = next(d for d in self.scenario.documents if d.id == doc)
        points = {} if spec.points == "unknown" else {pt.id: pt for pt in spec.points}
        out: dict[str, str | float] = {}
        while True:
            point = self.name(set(points), f"point of {doc}")
            words: list[_MoveToken] = []
            while self.peek() is not None and not self.at(","):
                words.append(self.next("an option"))
            options = self.vocab.options(doc, point)
            written = " ".join(w.value for w in words)
            found = next((o for o in options if o.lower() == written), None)
            if found is None:
                listed = ", ".join(options[:10]) + (", ..." if len(options) > 10 else "")
                what = f"{written!r} is not" if words else "expected"
                raise self.fail(
                    f"{what} an option of {doc}.{point} ({listed or 'it declares none'})",
                    words[0] if words else None,
                )
            numeric = isinstance(points[point].options, NumericRange)
            out[point] = float(found) if numeric else found
            if not self.at(","):
                return out
            self.i += 1

    def triggers(self, doc: str) -> set[str]:
        lifecycle = next(d.lifecycle for d in self.scenario.documents if d.id == doc)
        spec = self.vocab.lifecycle_specs.get(lifecycle)
        return {t.trigger for t in spec.transitions} if spec is not None else set()


# -- one handler per verb (singular form) ------------------------------------------------
Handler = Callable[[_MoveParser, list[str], _MoveToken], Event]


def _simple_doc(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    cls = _SIMPLE_DOC_KINDS[_SINGULAR[verb.value]]
    return cls(by=by, document=p.document())


def _withdraw(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    """``withdraws DOC`` (the document is withdrawn) or ``withdraws from DOC`` (the
    parties leave it, at once or ``effective DATE`` / ``effective after N days``)."""
    if not p.at("from"):
        return _simple_doc(p, by, verb)
    p.take("from")
    doc = p.document()
    if not p.at("effective"):
        return Leave(by=by, document=doc)
    p.take("effective")
    if not p.at("after"):
        return Leave(by=by, document=doc, effective=p.date())
    p.take("after")
    t = p.next("a number of days")
    if not t.value.isdigit() or int(t.value) < 1:
        raise p.fail(f"expected a number of days, got {t.raw!r}", t)
    p.take("days")
    return Leave(by=by, document=doc, effective_after_days=int(t.value))


def _join(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    return Join(by=by, document=p.document())


def _suspend(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    party = p.party()
    p.take("from")
    return Suspend(by=by, party=party, document=p.document())


def _readmit(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    party = p.party()
    if not p.at("to"):
        return Readmit(by=by, party=party)
    p.take("to")
    return Readmit(by=by, party=party, document=p.document())


def _exclude(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    party = p.party()
    p.take("from")
    p.take("talks")
    if not p.at("until"):
        return Exclude(by=by, party=party)
    p.take("until")
    rest = p.peek()
    if rest is None:
        raise p.fail("expected a condition after 'until'")
    p.i = len(p.toks)
    return Exclude(by=by, party=party, until=p.text[rest.pos:].strip())


def _derive(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    doc = p.document()
    p.take("from")
    return Derive(by=by, document=doc, source=p.document())


def _comment(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    p.take("on")
    return SubmitComments(by=by, document=p.document())


def _accept_reject(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    if p.at("the"):
        for word in ("the", "offer", "on"):
            p.take(word)
        doc = p.document()
        if _SINGULAR[verb.value] == "accepts":
            return AcceptOffer(by=by, document=doc)
        return RejectOffer(by=by, document=doc)
    doc, point = p.target()
    if _SINGULAR[verb.value] == "accepts":
        return Accept(by=by, document=doc, point=point)
    return Reject(by=by, document=doc, point=point)


def _support(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    doc, point = p.target()
    stance = Stance.supports
    if p.at("with"):
        p.take("with")
        p.take("conditions")
        stance = Stance.supports_with_conditions
    return StatePosition(by=by, document=doc, point=point, stance=stance)


def _oppose(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    doc, point = p.target()
    return StatePosition(by=by, document=doc, point=point, stance=Stance.opposes)


def _undecided(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    p.take("undecided")
    p.take("on")
    doc, point = p.target()
    return StatePosition(by=by, document=doc, point=point, stance=Stance.undecided)


def _take_stance(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    p.take("stance")
    stance = Stance(p.choice([s.value for s in Stance], "stance"))
    p.take("on")
    doc, point = p.target()
    return StatePosition(by=by, document=doc, point=point, stance=stance)


def _supersede(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    doc = p.document()
    replacement = None
    if p.at("with"):
        p.take("with")
        replacement = p.document()
    return Supersede(by=by, document=doc, replacement=replacement)


def _transition(p: _MoveParser, doc: str, trigger: str, tok: _MoveToken, by: list[str]) -> Event:
    triggers = p.triggers(doc)
    if trigger not in triggers:
        raise p.fail(
            f"{doc}'s lifecycle has no move {trigger!r}{did_you_mean(trigger, triggers)} "
            f"(its moves: {', '.join(sorted(triggers))})",
            tok,
        )
    return Transition(by=by, document=doc, trigger=trigger)


def _agree(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    doc = p.document()
    return _transition(p, doc, "agree", verb, by)


def _move(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    doc = p.document()
    p.take("by")
    tok = p.next("a lifecycle move")
    return _transition(p, doc, tok.value, tok, by)


def _mark(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    tok = p.peek()
    doc, point = p.target()
    if point is None:
        raise p.fail(f"'marks' takes a point (doc.point), got {doc!r}", tok)
    p.take("as")
    status = PointStatus(p.choice([s.value for s in PointStatus], "point status"))
    return SetPoint(by=by, document=doc, point=point, status=status)


def _commit(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    p.take("to")
    opens = [p.deadline()]
    while p.at("and") or p.at(","):
        p.i += 1
        opens.append(p.deadline())
    return Commitment(by=by, opens=opens)


def _set(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    what = p.choice(["fact", "deadline"], "'fact' or 'deadline'")
    if what == "fact":
        return SetFact(by=by, fact=p.name(p.vocab.facts(), "fact"))
    d_id = p.deadline()
    due = None
    if p.at("due"):
        p.take("due")
        due = p.date()
    return SetDeadline(by=by, deadline=d_id, due=due)


def _clear(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    p.take("fact")
    return ClearFact(by=by, fact=p.name(p.vocab.facts(), "fact"))


def _extend(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    d_id = p.deadline()
    p.take("to")
    return ExtendDeadline(by=by, deadline=d_id, to=p.date())


def _simple_deadline(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    cls = _SIMPLE_DEADLINE_KINDS[_SINGULAR[verb.value]]
    return cls(by=by, deadline=p.deadline())


def _declare(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    d_id = p.deadline()
    t = p.next("'non-binding'")
    if t.value not in ("non-binding", "nonbinding"):
        raise p.fail(f"expected 'non-binding', got {t.raw!r}", t)
    return DropDeadline(by=by, deadline=d_id, nonbinding=True)


def _relation(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    if len(by) != 1:
        raise p.fail("a relation has a single source party", verb)
    if "." in by[0]:
        raise p.fail(f"a relation links whole parties, not a body such as {by[0]!r}", p.toks[0])
    p.take("relation")
    kinds = [k.value for k in RelationKind]
    if p.at("mediates"):  # also read the two-word form "mediates for"
        p.take("mediates")
        p.take("for")
        relation = RelationKind.mediates_for
    else:
        relation = RelationKind(p.choice(kinds, "relation"))
    tok = p.peek()
    target = p.party()
    if "." in target:
        raise p.fail(f"a relation links whole parties, not a body such as {target!r}", tok)
    active = _SINGULAR[verb.value] == "starts"
    return SetRelation(by=by, source=by[0], relation=relation, target=target, active=active)


def _offer(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    doc = p.document()
    package = p.package(doc)
    if _SINGULAR[verb.value] == "offers":
        return Offer(by=by, document=doc, package=package)
    return Counter(by=by, document=doc, package=package)


def _walk(p: _MoveParser, by: list[str], verb: _MoveToken) -> Event:
    p.take("away")
    p.take("from")
    return WalkAway(by=by, document=p.document())


_HANDLERS: dict[str, Handler] = {
    "proposes": _simple_doc,
    "derives": _derive,
    "revises": _simple_doc,
    "comments": _comment,
    "accepts": _accept_reject,
    "rejects": _accept_reject,
    "supports": _support,
    "opposes": _oppose,
    "is": _undecided,
    "takes": _take_stance,
    "signs": _simple_doc,
    "ratifies": _simple_doc,
    "withdraws": _withdraw,
    "breaches": _simple_doc,
    "supersedes": _supersede,
    "agrees": _agree,
    "moves": _move,
    "marks": _mark,
    "commits": _commit,
    "sets": _set,
    "extends": _extend,
    "drops": _simple_deadline,
    "declares": _declare,
    "enforces": _simple_deadline,
    "waives": _simple_deadline,
    "clears": _clear,
    "starts": _relation,
    "ends": _relation,
    "offers": _offer,
    "counters": _offer,
    "walks": _walk,
    "joins": _join,
    "suspends": _suspend,
    "readmits": _readmit,
    "excludes": _exclude,
}


def parse_move(text: str, scenario: Scenario, date: dt.date | None = None) -> Event:
    """Read one move (see the module grammar) as an event dated ``date``.

    Every name is checked against ``scenario``; a ``MoveError`` (``MoveParseError``)
    gives the reason, the 1-based column and, for a misspelt name, a suggestion.
    """
    if len(text) > MAX_MOVE_LENGTH:
        raise MoveError(f"a move is at most {MAX_MOVE_LENGTH} characters")
    event = _MoveParser(text, scenario).parse()
    if date is not None:
        event = event.model_copy(update={"date": FuzzyDate.of(date)})
    return event


# -- formatting --------------------------------------------------------------------------


def format_date(date: FuzzyDate) -> str:
    """A date in the move grammar's written form (day, month or range)."""
    if date.precision == "day":
        return date.earliest.isoformat()
    if date.precision == "month":
        return f"{date.earliest:%Y-%m}"
    return f"{date.earliest.isoformat()}..{date.latest.isoformat()}"


def _subject(by: list[str]) -> str:
    if len(by) == 1:
        return by[0]
    return ", ".join(by[:-1]) + " and " + by[-1]


def _target(document: str, point: str | None) -> str:
    return f"{document}.{point}" if point else document


def _phrase(event: Event) -> str:  # noqa: C901
    """The move's words after the verb's own (``{v}`` stands for the verb)."""
    e = event
    if isinstance(e, Propose | Revise | Sign | Ratify | Withdraw | Breach):
        verb = {
            "propose": "proposes",
            "revise": "revises",
            "sign": "signs",
            "ratify": "ratifies",
            "withdraw": "withdraws",
            "breach": "breaches",
        }[e.kind]
        return f"{{{verb}}} {e.document}"
    if isinstance(e, Derive):
        return f"{{derives}} {e.document} from {e.source}"
    if isinstance(e, SubmitComments):
        return f"{{comments}} on {e.document}"
    if isinstance(e, Accept):
        return f"{{accepts}} {_target(e.document, e.point)}"
    if isinstance(e, Reject):
        return f"{{rejects}} {_target(e.document, e.point)}"
    if isinstance(e, StatePosition):
        target = _target(e.document, e.point)
        phrase = _STANCE_PHRASES.get(e.stance)
        if phrase is None:
            return f"{{takes}} stance {e.stance.value} on {target}"
        verb, rest = phrase.split(" ", 1)
        return f"{{{verb}}} " + rest.format(t=target)
    if isinstance(e, Supersede):
        tail = f" with {e.replacement}" if e.replacement else ""
        return f"{{supersedes}} {e.document}{tail}"
    if isinstance(e, Transition):
        if e.trigger == "agree":
            return f"{{agrees}} {e.document}"
        return f"{{moves}} {e.document} by {e.trigger}"
    if isinstance(e, SetPoint):
        return f"{{marks}} {e.document}.{e.point} as {e.status.value}"
    if isinstance(e, Commitment):
        if not e.opens:
            raise MoveError("a commitment that opens no deadline has no move form")
        return "{commits} to " + " and ".join(e.opens)
    if isinstance(e, SetDeadline):
        tail = f" due {format_date(e.due)}" if e.due is not None else ""
        return f"{{sets}} deadline {e.deadline}{tail}"
    if isinstance(e, ExtendDeadline):
        return f"{{extends}} {e.deadline} to {format_date(e.to)}"
    if isinstance(e, DropDeadline):
        if e.nonbinding:
            return f"{{declares}} {e.deadline} non-binding"
        return f"{{drops}} {e.deadline}"
    if isinstance(e, EnforceDeadline):
        return f"{{enforces}} {e.deadline}"
    if isinstance(e, WaiveDeadline):
        return f"{{waives}} {e.deadline}"
    if isinstance(e, Offer | Counter):
        terms = ", ".join(f"{p} {option_text(v)}" for p, v in e.package.items())
        return f"{{{e.kind}s}} {e.document} {terms}"
    if isinstance(e, AcceptOffer | RejectOffer):
        return f"{{{e.kind.split('_')[0]}s}} the offer on {e.document}"
    if isinstance(e, WalkAway):
        return f"{{walks}} away from {e.document}"
    if isinstance(e, Join | Leave | Suspend | Readmit | Exclude):
        return _participation_phrase(e)
    if isinstance(e, SetFact):
        return f"{{sets}} fact {e.fact}"
    if isinstance(e, ClearFact):
        return f"{{clears}} fact {e.fact}"
    raise MoveError(f"an event of kind {e.kind!r} has no move form")


def _participation_phrase(e: Join | Leave | Suspend | Readmit | Exclude) -> str:
    if isinstance(e, Join):
        return f"{{joins}} {e.document}"
    if isinstance(e, Leave):
        if e.effective_after_days is not None:
            return (f"{{withdraws}} from {e.document} effective after "
                    f"{e.effective_after_days} days")
        if e.effective is not None:
            return f"{{withdraws}} from {e.document} effective {format_date(e.effective)}"
        return f"{{withdraws}} from {e.document}"
    if isinstance(e, Suspend):
        return f"{{suspends}} {e.party} from {e.document}"
    if isinstance(e, Readmit):
        return f"{{readmits}} {e.party}" + (f" to {e.document}" if e.document else "")
    return f"{{excludes}} {e.party} from talks" + (f" until {e.until}" if e.until else "")


def format_move(event: Event) -> str:
    """The canonical move line for ``event`` (its date is not part of the line).

    Raises ``MoveError`` for an event the grammar cannot express (see the module
    docstring) or that names no party.
    """
    if isinstance(event, SetRelation):
        starts = "starts" if event.active else "ends"
        return f"{event.source} {starts} relation {event.relation.value} {event.target}"
    phrase = _phrase(event)
    if not event.by:
        raise MoveError(f"this {event.kind} event names no party, so it has no move form")
    plural = len(event.by) > 1
    verb = re.match(r"\{(\w+)\}", phrase)
    assert verb is not None
    word = VERBS[verb.group(1)] if plural else verb.group(1)
    return f"{_subject(list(event.by))} {word}{phrase[verb.end() :]}"
