"""The condition language: a small safe grammar that reads like prose.

Parsed once by our own recursive-descent parser (never ``eval``) into an AST, evaluated
against a state, and able to *explain* why a condition is false. Grammar::

    condition := or
    or        := and ("or" and)*
    and       := unary ("and" unary)*
    unary     := "not" unary | "(" condition ")" | "true" | "false" | atom
    atom      := DOC "is" ["not"] STATE                  document in a lifecycle state
               | DOC "has" "reached" STATE               ... or has been in it before
               | DOC "." POINT "is" ["not"] STATUS       point status (open, bracketed, ...)
               | PARTY STANCE TARGET                     supports | opposes | accepts | rejects
               | PARTY "supports" TARGET "with" "conditions"
               | PARTY "is" "undecided" "on" TARGET
               | PARTY "has" "no" "stance" "on" TARGET   stance unknown
               | PARTY RELATION PARTY                    supports | opposes | guarantees
               | PARTY "mediates" "for" PARTY
               | PARTY "has" "signed" DOC | PARTY "has" "ratified" DOC
               | "all" "required" "parties" "accept" DOC
               | "fact" FACT ["is" ("true" | "false")]
               | "fact" FACT "has" "held" "for" DURATION N "days"
               | "deadline" DEADLINE "is" ["not"] STATUS
               | "date" "is" WHEN YYYY-MM-DD
    DURATION  := "at" "least" | "more" "than" | "less" "than"
    WHEN      := "before" | "after" | "on" | "on" "or" "after" | "on" "or" "before"

``TARGET`` is a document or ``doc.point``; a party named where a target is expected
makes ``supports``/``opposes`` a relation between parties. Words are case-insensitive.
Names are checked against a ``Vocabulary``; an unknown name is a ``ConditionError``
with its column and a "did you mean".
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from .errors import ConditionError

MAX_CONDITION_LENGTH = 2000
MAX_DEPTH = 50
MAX_DAYS = 100_000

_TOKEN = re.compile(
    r"\s*(?:(?P<date>\d{4}-\d{2}-\d{2})|(?P<num>\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<punct>[().,]))"
)

DOCUMENT_STANCE_VERBS = {
    "supports": "supports",
    "opposes": "opposes",
    "accepts": "accepts",
    "rejects": "rejects",
}
RELATION_VERBS = {"supports": "supports", "opposes": "opposes", "guarantees": "guarantees"}
DEADLINE_STATUSES = (
    "inactive",
    "waiting",
    "pending",
    "open",
    "met",
    "early",
    "missed",
    "expired",
    "enforced",
    "waived",
    "dropped",
)
POINT_STATUSES = ("open", "bracketed", "agreed", "dropped")


# -- AST -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    text: str = field(compare=False)


@dataclass(frozen=True)
class Const(Node):
    value: bool


@dataclass(frozen=True)
class Not(Node):
    operand: Node


@dataclass(frozen=True)
class And(Node):
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or(Node):
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class DocState(Node):
    document: str
    state: str
    reached: bool = False


@dataclass(frozen=True)
class PointIs(Node):
    document: str
    point: str
    status: str


@dataclass(frozen=True)
class StanceIs(Node):
    party: str
    target: str
    stance: str


@dataclass(frozen=True)
class RelationHolds(Node):
    source: str
    relation: str
    target: str


@dataclass(frozen=True)
class HasActed(Node):
    party: str
    act: str  # "signed" | "ratified"
    document: str


@dataclass(frozen=True)
class AllAccept(Node):
    document: str


@dataclass(frozen=True)
class FactHolds(Node):
    fact: str
    value: bool = True


@dataclass(frozen=True)
class FactHeld(Node):
    fact: str
    op: str  # "at least" | "more than" | "less than"
    days: int


@dataclass(frozen=True)
class DeadlineIs(Node):
    deadline: str
    status: str


@dataclass(frozen=True)
class DateCmp(Node):
    op: str  # before | after | on | on or after | on or before
    day: dt.date


# -- what the parser checks names against, and what evaluation reads ------------------


class Vocabulary(Protocol):
    """The names a scenario defines."""

    def parties(self) -> set[str]: ...  # parties and their bodies (``uk.commons``)
    def documents(self) -> set[str]: ...
    def points(self, document: str) -> set[str]: ...
    def document_states(self, document: str) -> set[str]: ...
    def facts(self) -> set[str]: ...
    def deadlines(self) -> set[str]: ...


class Facts(Protocol):
    """What evaluation reads: the current state seen through the scenario."""

    @property
    def today(self) -> dt.date: ...
    def document_state(self, document: str) -> str: ...
    def document_visited(self, document: str) -> tuple[str, ...]: ...
    def point_status(self, document: str, point: str) -> str: ...
    def stance(self, party: str, target: str) -> str: ...
    def relation(self, source: str, relation: str, target: str) -> bool: ...
    def fact_since(self, fact: str) -> dt.date | bool | None: ...
    def deadline_status(self, deadline: str) -> str: ...
    def signed_by(self, document: str) -> tuple[str, ...]: ...
    def ratified_by(self, document: str) -> tuple[str, ...]: ...
    def required_parties(self, document: str) -> list[str] | None: ...


# -- tokenizer and parser ------------------------------------------------------------


@dataclass(frozen=True)
class _Tok:
    kind: str
    value: str
    pos: int


def _tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            start = pos + (len(text[pos:]) - len(text[pos:].lstrip()))
            raise ConditionError(f"unexpected character {text[start]!r}", text, start)
        kind = m.lastgroup or ""
        value = m.group(kind)
        start = m.start(kind)
        if kind == "name":
            value = value.lower()
        tokens.append(_Tok(kind, value, start))
        pos = m.end()
    return tokens


def _suggest(name: str, candidates: set[str]) -> str:
    close = difflib.get_close_matches(name, sorted(candidates), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


class _Parser:
    def __init__(self, text: str, vocab: Vocabulary) -> None:
        self.text = text
        self.vocab = vocab
        self.toks = _tokenize(text)
        self.i = 0
        self.depth = 0

    # helpers
    def peek(self, offset: int = 0) -> _Tok | None:
        j = self.i + offset
        return self.toks[j] if j < len(self.toks) else None

    def at(self, *words: str) -> bool:
        for k, w in enumerate(words):
            t = self.peek(k)
            if t is None or t.value != w:
                return False
        return True

    def fail(self, message: str, tok: _Tok | None = None) -> ConditionError:
        pos = tok.pos if tok is not None else len(self.text)
        return ConditionError(message, self.text, pos)

    def take(self, *words: str) -> None:
        for w in words:
            t = self.peek()
            if t is None or t.value != w:
                got = "the end" if t is None else repr(t.value)
                raise self.fail(f"expected {w!r}, got {got}", t)
            self.i += 1

    def name(self, what: str) -> _Tok:
        t = self.peek()
        if t is None or t.kind != "name":
            got = "the end" if t is None else repr(t.value)
            raise self.fail(f"expected {what}, got {got}", t)
        self.i += 1
        return t

    def dotted(self, what: str) -> tuple[str, _Tok]:
        first = self.name(what)
        value = first.value
        if self.at("."):
            self.i += 1
            value += "." + self.name(f"a name after '.' in {what}").value
        return value, first

    def span(self, start: int) -> str:
        end_tok = self.toks[self.i - 1]
        return self.text[self.toks[start].pos : end_tok.pos + len(end_tok.value)]

    # grammar
    def parse(self) -> Node:
        if not self.toks:
            raise self.fail("empty condition")
        node = self.or_()
        t = self.peek()
        if t is not None:
            raise self.fail(f"unexpected {t.value!r} (expected 'and', 'or' or the end)", t)
        return node

    def or_(self) -> Node:
        start = self.i
        parts = [self.and_()]
        while self.at("or"):
            self.i += 1
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else Or(self.span(start), tuple(parts))

    def and_(self) -> Node:
        start = self.i
        parts = [self.unary()]
        while self.at("and"):
            self.i += 1
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else And(self.span(start), tuple(parts))

    def unary(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(f"condition nested deeper than {MAX_DEPTH} levels", self.peek())
        try:
            start = self.i
            if self.at("not"):
                self.i += 1
                operand = self.unary()
                return Not(self.span(start), operand)
            if self.at("("):
                self.i += 1
                inner = self.or_()
                self.take(")")
                return inner
            if self.at("true") or self.at("false"):
                t = self.name("true or false")
                return Const(t.value, t.value == "true")
            return self.atom()
        finally:
            self.depth -= 1

    def atom(self) -> Node:
        start = self.i
        t = self.peek()
        if t is None:
            raise self.fail("expected a condition, got the end")
        if t.value == "fact":
            return self.fact_atom(start)
        if t.value == "deadline":
            self.i += 1
            name = self.check(self.name("a deadline name"), self.vocab.deadlines(), "deadline")
            self.take("is")
            negate = self.maybe_not()
            status = self.choice(DEADLINE_STATUSES, "a deadline status")
            node: Node = DeadlineIs(self.span(start), name, status)
            return Not(node.text, node) if negate else node
        if t.value == "date" and self.at("date", "is"):
            return self.date_atom(start)
        if self.at("all", "required"):
            self.take("all", "required", "parties", "accept")
            doc = self.check(self.name("a document"), self.vocab.documents(), "document")
            return AllAccept(self.span(start), doc)
        return self.subject_atom(start)

    def maybe_not(self) -> bool:
        if self.at("not"):
            self.i += 1
            return True
        return False

    def choice(self, options: tuple[str, ...] | list[str], what: str) -> str:
        t = self.name(what)
        if t.value not in options:
            raise self.fail(
                f"unknown {what} {t.value!r}{_suggest(t.value, set(options))} "
                f"(expected one of: {', '.join(options)})",
                t,
            )
        return t.value

    def check(self, tok: _Tok, known: set[str], what: str) -> str:
        if tok.value not in known:
            raise self.fail(f"unknown {what} {tok.value!r}{_suggest(tok.value, known)}", tok)
        return tok.value

    def number(self) -> int:
        t = self.peek()
        if t is None or t.kind != "num":
            raise self.fail("expected a number of days", t)
        if len(t.value) > 6 or int(t.value) > MAX_DAYS:
            raise self.fail(f"a day count must be at most {MAX_DAYS}", t)
        self.i += 1
        return int(t.value)

    def fact_atom(self, start: int) -> Node:
        self.take("fact")
        name = self.check(self.name("a fact name"), self.vocab.facts(), "fact")
        if self.at("has", "held"):
            self.take("has", "held", "for")
            if self.at("at", "least"):
                op = "at least"
            elif self.at("more", "than"):
                op = "more than"
            elif self.at("less", "than"):
                op = "less than"
            else:
                raise self.fail("expected 'at least', 'more than' or 'less than'", self.peek())
            self.i += 2
            days = self.number()
            if not (self.at("days") or self.at("day")):
                raise self.fail("expected 'days'", self.peek())
            self.i += 1
            return FactHeld(self.span(start), name, op, days)
        if self.at("is"):
            self.i += 1
            value = self.choice(("true", "false"), "'true' or 'false'")
            return FactHolds(self.span(start), name, value == "true")
        return FactHolds(self.span(start), name, True)

    def date_atom(self, start: int) -> Node:
        self.take("date", "is")
        if self.at("on", "or", "after"):
            op, n = "on or after", 3
        elif self.at("on", "or", "before"):
            op, n = "on or before", 3
        elif self.at("on") or self.at("before") or self.at("after"):
            op, n = self.toks[self.i].value, 1
        else:
            raise self.fail(
                "expected 'before', 'after', 'on', 'on or after' or 'on or before'", self.peek()
            )
        self.i += n
        t = self.peek()
        if t is None or t.kind != "date":
            raise self.fail("expected a date as YYYY-MM-DD", t)
        try:
            day = dt.date.fromisoformat(t.value)
        except ValueError:
            raise self.fail(f"{t.value!r} is not a real date", t) from None
        self.i += 1
        return DateCmp(self.span(start), op, day)

    def target(self) -> tuple[str, bool]:
        """A document, a point (``doc.point``) or a party; returns (name, is_party)."""
        value, tok = self.dotted("a document, point or party")
        parties = self.vocab.parties()
        docs = self.vocab.documents()
        if value in parties:
            return value, True
        if "." in value:
            doc, point = value.split(".", 1)
            if doc in docs:
                points = self.vocab.points(doc)
                if point not in points:
                    raise self.fail(
                        f"unknown point {point!r} of {doc!r}{_suggest(point, points)}", tok
                    )
                return value, False
        if value in docs:
            return value, False
        raise self.fail(
            f"unknown document or party {value!r}{_suggest(value, parties | docs)}", tok
        )

    def subject_atom(self, start: int) -> Node:
        value, tok = self.dotted("a document, party or condition")
        docs = self.vocab.documents()
        parties = self.vocab.parties()
        if "." in value and value.split(".", 1)[0] in docs:
            doc, point = value.split(".", 1)
            points = self.vocab.points(doc)
            if point not in points:
                raise self.fail(f"unknown point {point!r} of {doc!r}{_suggest(point, points)}", tok)
            self.take("is")
            negate = self.maybe_not()
            status = self.choice(POINT_STATUSES, "a point status")
            node: Node = PointIs(self.span(start), doc, point, status)
            return Not(node.text, node) if negate else node
        if value in docs:
            return self.document_atom(start, value)
        if value in parties:
            return self.party_atom(start, value)
        raise self.fail(
            f"unknown name {value!r}{_suggest(value, docs | parties)} (expected a document, "
            "a party, or one of: fact, deadline, date, all required parties, not, true, false)",
            tok,
        )

    def document_atom(self, start: int, doc: str) -> Node:
        states = self.vocab.document_states(doc)
        if self.at("has", "reached"):
            self.i += 2
            state = self.choice(sorted(states), f"state of {doc}")
            return DocState(self.span(start), doc, state, reached=True)
        self.take("is")
        negate = self.maybe_not()
        state = self.choice(sorted(states), f"state of {doc}")
        node: Node = DocState(self.span(start), doc, state)
        return Not(node.text, node) if negate else node

    def party_atom(self, start: int, party: str) -> Node:
        t = self.peek()
        if t is None:
            raise self.fail(f"expected a verb after {party!r}")
        if self.at("is", "undecided", "on"):
            self.i += 3
            target, is_party = self.target()
            if is_party:
                raise self.fail("'is undecided on' takes a document or point", t)
            return StanceIs(self.span(start), party, target, "undecided")
        if self.at("has", "no", "stance", "on"):
            self.i += 4
            target, _ = self.target()
            return StanceIs(self.span(start), party, target, "unknown")
        if self.at("has", "signed") or self.at("has", "ratified"):
            act = self.toks[self.i + 1].value
            self.i += 2
            doc = self.check(self.name("a document"), self.vocab.documents(), "document")
            return HasActed(self.span(start), party, act, doc)
        if self.at("mediates", "for"):
            self.i += 2
            other = self.check(self.name("a party"), self.vocab.parties(), "party")
            return RelationHolds(self.span(start), party, "mediates_for", other)
        if t.value in DOCUMENT_STANCE_VERBS or t.value in RELATION_VERBS:
            verb = t.value
            self.i += 1
            target, is_party = self.target()
            if is_party:
                if verb not in RELATION_VERBS:
                    raise self.fail(f"{verb!r} takes a document or point, not a party", t)
                return RelationHolds(self.span(start), party, RELATION_VERBS[verb], target)
            if verb not in DOCUMENT_STANCE_VERBS:
                raise self.fail(f"{verb!r} takes a party, not a document", t)
            stance = DOCUMENT_STANCE_VERBS[verb]
            if verb == "supports" and self.at("with", "conditions"):
                self.i += 2
                stance = "supports_with_conditions"
            return StanceIs(self.span(start), party, target, stance)
        raise self.fail(
            f"unexpected {t.value!r} after party {party!r} (expected supports, opposes, "
            "accepts, rejects, guarantees, mediates for, is undecided on, has signed, "
            "has ratified, has no stance on)",
            t,
        )


def parse(text: str, vocab: Vocabulary) -> Node:
    """Parse a condition, checking every name against ``vocab``."""
    if len(text) > MAX_CONDITION_LENGTH:
        raise ConditionError(
            f"condition longer than {MAX_CONDITION_LENGTH} characters", text[:80], 0
        )
    return _Parser(text, vocab).parse()


# -- evaluation and explanation ------------------------------------------------------


def _date_cmp(op: str, today: dt.date, day: dt.date) -> bool:
    return {
        "before": today < day,
        "after": today > day,
        "on": today == day,
        "on or after": today >= day,
        "on or before": today <= day,
    }[op]


def _fact_held(facts: Facts, node: FactHeld) -> tuple[bool, str]:
    since = facts.fact_since(node.fact)
    if since is False:
        return False, f"fact {node.fact} is false"
    if not isinstance(since, dt.date):
        return False, f"fact {node.fact} is true but the day it became true is unknown"
    held = (facts.today - since).days
    ok = {
        "at least": held >= node.days,
        "more than": held > node.days,
        "less than": held < node.days,
    }[node.op]
    return (
        ok,
        f"fact {node.fact} has held for {held} days (since {since}), needs {node.op} {node.days}",
    )


def _atom(node: Node, facts: Facts) -> tuple[bool, str]:
    """Evaluate an atom; return its value and a sentence saying what is the case."""
    if isinstance(node, FactHolds | FactHeld | DeadlineIs | DateCmp | Const):
        return _calendar_atom(node, facts)
    return _document_atom(node, facts)


def _calendar_atom(node: Node, facts: Facts) -> tuple[bool, str]:
    if isinstance(node, FactHolds):
        ok = facts.fact_since(node.fact) is not False
        return ok == node.value, f"fact {node.fact} is {'true' if ok else 'false'}"
    if isinstance(node, FactHeld):
        return _fact_held(facts, node)
    if isinstance(node, DeadlineIs):
        status = facts.deadline_status(node.deadline)
        return status == node.status, f"deadline {node.deadline} is {status}"
    if isinstance(node, DateCmp):
        ok = _date_cmp(node.op, facts.today, node.day)
        return ok, f"the date is {facts.today}"
    if isinstance(node, Const):
        return node.value, f"{str(node.value).lower()} is {str(node.value).lower()}"
    raise TypeError(f"not a condition node: {node!r}")  # pragma: no cover


def _document_atom(node: Node, facts: Facts) -> tuple[bool, str]:
    if isinstance(node, DocState):
        current = facts.document_state(node.document)
        if node.reached:
            ok = node.state in facts.document_visited(node.document)
            verb = "has reached" if ok else "has not reached"
            return ok, f"{node.document} {verb} {node.state} (it is {current})"
        return current == node.state, f"{node.document} is {current}"
    if isinstance(node, PointIs):
        status = facts.point_status(node.document, node.point)
        return status == node.status, f"{node.document}.{node.point} is {status}"
    if isinstance(node, StanceIs):
        stance = facts.stance(node.party, node.target)
        return stance == node.stance, f"{node.party}'s stance on {node.target} is {stance}"
    if isinstance(node, RelationHolds):
        ok = facts.relation(node.source, node.relation, node.target)
        word = "holds" if ok else "does not hold"
        return ok, f"relation {node.source} {node.relation} {node.target} {word}"
    if isinstance(node, HasActed):
        who = (
            facts.signed_by(node.document)
            if node.act == "signed"
            else facts.ratified_by(node.document)
        )
        ok = node.party in who
        return ok, f"{node.party} has {'' if ok else 'not '}{node.act} {node.document}"
    if isinstance(node, AllAccept):
        required = facts.required_parties(node.document)
        if required is None:
            return False, f"the parties whose acceptance {node.document} requires are unknown"
        missing = [p for p in required if facts.stance(p, node.document) != "accepts"]
        if missing:
            return False, f"not yet accepted {node.document}: {', '.join(missing)}"
        return True, f"all required parties ({', '.join(required)}) accept {node.document}"
    raise TypeError(f"not a condition node: {node!r}")  # pragma: no cover


def evaluate(node: Node, facts: Facts) -> bool:
    """The condition's truth value in ``facts``."""
    if isinstance(node, And):
        return all(evaluate(n, facts) for n in node.operands)
    if isinstance(node, Or):
        return any(evaluate(n, facts) for n in node.operands)
    if isinstance(node, Not):
        return not evaluate(node.operand, facts)
    return _atom(node, facts)[0]


def explain(node: Node, facts: Facts) -> list[str]:
    """Why ``node`` is false in ``facts``: one line per failing part (empty when true)."""
    if evaluate(node, facts):
        return []
    return list(_why_false(node, facts))


def _why_false(node: Node, facts: Facts) -> Iterator[str]:
    if isinstance(node, And):
        for n in node.operands:
            if not evaluate(n, facts):
                yield from _why_false(n, facts)
    elif isinstance(node, Or):
        parts = [" / ".join(_why_false(n, facts)) for n in node.operands]
        yield "none of the alternatives holds: " + "; ".join(parts)
    elif isinstance(node, Not):
        yield f"expected not ({node.operand.text}), but " + "; ".join(
            _why_true(node.operand, facts)
        )
    else:
        ok, sentence = _atom(node, facts)
        if not ok:
            yield f"{node.text}: no, {sentence}"


def _why_true(node: Node, facts: Facts) -> Iterator[str]:
    if isinstance(node, And):
        yield " and ".join(line for n in node.operands for line in _why_true(n, facts))
    elif isinstance(node, Or):
        for n in node.operands:
            if evaluate(n, facts):
                yield from _why_true(n, facts)
                return
    elif isinstance(node, Not):
        yield from _why_false(node.operand, facts)
    else:
        yield _atom(node, facts)[1]


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, depth first."""
    yield node
    if isinstance(node, Not):
        yield from walk(node.operand)
    elif isinstance(node, And | Or):
        for n in node.operands:
            yield from walk(n)


def wake_dates(node: Node, facts: Facts) -> set[dt.date]:
    """Dates on which the condition's value may change with no event: date atoms and
    fact-duration thresholds. The engine visits them so time-based rules fire."""
    out: set[dt.date] = set()
    for n in walk(node):
        if isinstance(n, DateCmp):
            out.add(n.day)
            out.add(n.day + dt.timedelta(days=1))
        elif isinstance(n, FactHeld):
            since = facts.fact_since(n.fact)
            if isinstance(since, dt.date):
                out.add(since + dt.timedelta(days=n.days))
                out.add(since + dt.timedelta(days=n.days + 1))
    return out
