"""The condition language's parser: a tokenizer and a recursive-descent parser (never
``eval``) that checks every name against a ``Vocabulary``. See ``negotiation.conditions``
for the grammar."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from negotiation.conditions.syntax import (
    AllAccept,
    And,
    Const,
    DateCmp,
    DeadlineDue,
    DeadlineFired,
    DeadlineIs,
    DocState,
    Excluded,
    FactHeld,
    FactHolds,
    FactUnknown,
    HasActed,
    Node,
    Not,
    OfferPending,
    Or,
    Participation,
    PointIs,
    PointValue,
    RatifiedCount,
    RatifiedWeight,
    RelationHolds,
    RuleFired,
    StanceIs,
    ThresholdMet,
    Vocabulary,
    VoteFailed,
)
from negotiation.model.errors import ConditionError, did_you_mean

MAX_CONDITION_LENGTH = 2000
MAX_DEPTH = 50
MAX_DAYS = 100_000

_TOKEN = re.compile(
    r"\s*(?:(?P<date>\d{4}-\d{2}-\d{2})|(?P<num>\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<punct>[().,%]))"
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
    "reached",
)
POINT_STATUSES = ("open", "bracketed", "agreed", "dropped")


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


class _Parser:
    def __init__(self, text: str, vocab: Vocabulary) -> None:
        self.text = text
        self.vocab = vocab
        self.toks = _tokenize(text)
        self.i = 0
        self.depth = 0
        self.unknown: list[ConditionError] = []
        """Unknown names found so far: noted, and the parse goes on to find the others."""

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

    def note(self, message: str, tok: _Tok) -> None:
        """An unknown name: kept, and parsing goes on (it raises at the end)."""
        self.unknown.append(self.fail(message, tok))

    def skip_atom(self, start: int) -> Node:
        """After an unknown subject: skip to the end of the atom (the next ``and`` or
        ``or`` outside brackets, a closing bracket or the end); a placeholder."""
        depth = 0
        while (t := self.peek()) is not None:
            if depth == 0 and t.value in ("and", "or", ")"):
                break
            depth += {"(": 1, ")": -1}.get(t.value, 0)
            self.i += 1
        return Const(self.span(start) if self.i > start else "", False)

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
        """The condition's tree; a ``ConditionError`` carrying every unknown name and
        the syntax error where parsing stopped, if any."""
        try:
            node = self._parse()
        except ConditionError as e:
            self.unknown.append(e)
        if self.unknown:
            found = sorted(self.unknown, key=lambda e: e.position)
            first = found[0]
            raise ConditionError(first.reason, self.text, first.position,
                                 tuple((e.reason, e.position) for e in found[1:]))
        return node

    def _parse(self) -> Node:
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
            if self.at("has", "fired"):
                self.i += 2
                return DeadlineFired(self.span(start), name)
            self.take("is")
            negate = self.maybe_not()
            if self.at("due"):
                self.i += 1
                op, day = self.when_date()
                node: Node = DeadlineDue(self.span(start), name, op, day)
            else:
                status = self.choice(DEADLINE_STATUSES, "a deadline status or 'due'")
                node = DeadlineIs(self.span(start), name, status)
            return Not(node.text, node) if negate else node
        if t.value == "rule" and "rule" not in self.vocab.parties() | self.vocab.documents():
            return self.rule_atom(start)
        if t.value == "date" and self.at("date", "is"):
            return self.date_atom(start)
        if self.at("an", "offer", "is"):
            self.take("an", "offer", "is", "pending", "on")
            doc = self.check(self.name("a document"), self.vocab.documents(), "document")
            return OfferPending(self.span(start), doc)
        if self.at("all", "required"):
            self.take("all", "required", "parties", "accept")
            doc = self.check(self.name("a document"), self.vocab.documents(), "document")
            return AllAccept(self.span(start), doc)
        if self.at("at", "least") or self.at("ratification", "of") or self.at(
            "ratified", "weight"
        ) or self.at("threshold", "of"):
            return self.vote_atom(start)
        return self.subject_atom(start)

    def rule_atom(self, start: int) -> Node:
        """``rule R has fired [[at least|more than|less than] (N time(s) | once)]``."""
        self.take("rule")
        rule = self.check(self.name("a rule id"), self.vocab.rules(), "rule")
        self.take("has", "fired")
        op: str | None = None
        if self.at("at", "least") or self.at("more", "than") or self.at("less", "than"):
            op = self.comparison()
        if self.at("once"):
            self.i += 1
            return RuleFired(self.span(start), rule, op or "exactly", 1)
        t = self.peek()
        if t is None or t.kind != "num":
            if op is not None:
                raise self.fail("expected a number of times", t)
            return RuleFired(self.span(start), rule)
        if len(t.value) > 6:
            raise self.fail("a count must be at most 999999", t)
        self.i += 1
        if not (self.at("times") or self.at("time")):
            raise self.fail("expected 'times'", self.peek())
        self.i += 1
        return RuleFired(self.span(start), rule, op or "exactly", int(t.value))

    def vote_atom(self, start: int) -> Node:
        """Ratification counts, weights, thresholds and failed votes."""
        if self.at("ratification"):
            self.take("ratification", "of")
            doc = self.check(self.name("a document"), self.vocab.documents(), "document")
            self.take("by")
            party, tok = self.dotted("a party or body")
            self.check(_Tok("name", party, tok.pos), self.vocab.parties(), "party")
            self.take("failed")
            return VoteFailed(self.span(start), doc, party)
        if self.at("threshold"):
            self.take("threshold", "of")
            doc = self.check(self.name("a document"), self.vocab.documents(), "document")
            self.take("is", "met")
            return ThresholdMet(self.span(start), doc)
        if self.at("ratified"):
            self.take("ratified", "weight")
            weight = self.check(self.name("a weight name"), self.vocab.weights(), "weight")
            self.take("of")
            doc = self.check(self.name("a document"), self.vocab.documents(), "document")
            self.take("is")
            op = self.comparison()
            share = self.percent()
            return RatifiedWeight(self.span(start), doc, weight, op, share)
        self.take("at", "least")
        t = self.peek()
        if t is None or t.kind != "num" or len(t.value) > 6:
            raise self.fail("expected a number of ratifications", t)
        self.i += 1
        count = int(t.value)
        among: tuple[str, ...] | None = None
        if self.at("of"):
            self.take("of", "(")
            names = [self.party_name()]
            while self.at(","):
                self.i += 1
                names.append(self.party_name())
            self.take(")")
            among = tuple(names)
        self.take("have", "ratified")
        doc = self.check(self.name("a document"), self.vocab.documents(), "document")
        return RatifiedCount(self.span(start), doc, count, among)

    def party_name(self) -> str:
        party, tok = self.dotted("a party or body")
        return self.check(_Tok("name", party, tok.pos), self.vocab.parties(), "party")

    def comparison(self) -> str:
        for op in ("at least", "more than", "less than"):
            if self.at(*op.split()):
                self.i += 2
                return op
        raise self.fail("expected 'at least', 'more than' or 'less than'", self.peek())

    def percent(self) -> float:
        """``N%`` or ``N.M%``, at most 100."""
        t = self.peek()
        if t is None or t.kind != "num":
            raise self.fail("expected a per cent such as 55%", t)
        self.i += 1
        text = t.value
        frac = self.peek(1)
        if self.at(".") and frac is not None and frac.kind == "num":
            self.i += 2
            text += "." + frac.value
        share = float(text)
        if share > 100:
            raise self.fail("a share is at most 100%", t)
        self.take("%")
        return share

    def maybe_not(self) -> bool:
        if self.at("not"):
            self.i += 1
            return True
        return False

    def choice(self, options: tuple[str, ...] | list[str], what: str) -> str:
        t = self.name(what)
        if t.value not in options:
            self.note(
                f"unknown {what} {t.value!r}{did_you_mean(t.value, options)} "
                f"(expected one of: {', '.join(options)})",
                t,
            )
        return t.value

    def check(self, tok: _Tok, known: set[str], what: str) -> str:
        if tok.value not in known:
            self.note(f"unknown {what} {tok.value!r}{did_you_mean(tok.value, known)}", tok)
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
            value = self.choice(("true", "false", "unknown"), "'true', 'false' or 'unknown'")
            if value == "unknown":
                return FactUnknown(self.span(start), name)
            return FactHolds(self.span(start), name, value == "true")
        return FactHolds(self.span(start), name, True)

    def date_atom(self, start: int) -> Node:
        self.take("date", "is")
        op, day = self.when_date()
        return DateCmp(self.span(start), op, day)

    def when_date(self) -> tuple[str, dt.date]:
        """``before|after|on|on or after|on or before YYYY-MM-DD``."""
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
        return op, day

    def target(self) -> tuple[str, bool | None]:
        """A document, a point (``doc.point``) or a party; returns (name, is_party),
        is_party None for an unknown name (noted)."""
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
                    self.note(
                        f"unknown point {point!r} of {doc!r}{did_you_mean(point, points)}", tok
                    )
                    return value, None
                return value, False
        if value in docs:
            return value, False
        self.note(
            f"unknown document or party {value!r}{did_you_mean(value, parties | docs)}", tok
        )
        return value, None

    def subject_atom(self, start: int) -> Node:
        value, tok = self.dotted("a document, party or condition")
        docs = self.vocab.documents()
        parties = self.vocab.parties()
        if "." in value and value.split(".", 1)[0] in docs:
            doc, point = value.split(".", 1)
            points = self.vocab.points(doc)
            if point not in points:
                hint = did_you_mean(point, points)
                self.note(f"unknown point {point!r} of {doc!r}{hint}", tok)
                return self.skip_atom(start)
            self.take("is")
            negate = self.maybe_not()
            status = self.choice(POINT_STATUSES, "a point status")
            if status == "agreed" and self.at("on"):
                self.i += 1
                value = self.option(doc, point)
                node: Node = PointValue(self.span(start), doc, point, value)
            else:
                node = PointIs(self.span(start), doc, point, status)
            return Not(node.text, node) if negate else node
        if value in docs:
            return self.document_atom(start, value)
        if value in parties:
            return self.party_atom(start, value)
        self.note(
            f"unknown name {value!r}{did_you_mean(value, docs | parties)} (expected a document, "
            "a party, or one of: fact, deadline, date, all required parties, not, true, false)",
            tok,
        )
        return self.skip_atom(start)

    def option(self, doc: str, point: str) -> str:
        """One of a point's options, written as its text (``35 h``, ``3.5``): the longest
        option whose words are the next tokens, up to the end, ``and``, ``or`` or ``)``."""
        options = self.vocab.options(doc, point)
        t = self.peek()
        if not options:
            raise self.fail(f"point {point!r} of {doc!r} declares no options", t)
        best: tuple[str, int] | None = None
        for text in options:
            try:
                words = [w.value for w in _tokenize(text)]
            except ConditionError:
                continue  # written with characters a condition cannot hold
            n = len(words)
            ahead = [tok.value for tok in self.toks[self.i : self.i + n]]
            after = self.peek(n)
            ends = after is None or after.value in ("and", "or", ")")
            if n and ahead == words and ends and (best is None or n > best[1]):
                best = (text, n)
        if best is None:
            listed = ", ".join(options[:10]) + (", ..." if len(options) > 10 else "")
            raise self.fail(f"expected an option of {doc}.{point} ({listed})", t)
        self.i += best[1]
        return best[0]

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

    def standing_atom(self, start: int, party: str) -> Node | None:
        """``PARTY participates in DOC``, ``is suspended from DOC``, ``has withdrawn from
        DOC``, ``is excluded from talks``; None when the words are none of these."""
        if self.at("participates", "in") or self.at("is", "suspended", "from") or self.at(
            "has", "withdrawn", "from"
        ):
            status = {"participates": "participates", "is": "suspended",
                      "has": "withdrawn"}[self.toks[self.i].value]
            self.i += 2 if status == "participates" else 3
            doc = self.check(self.name("a document"), self.vocab.documents(), "document")
            return Participation(self.span(start), party, doc, status)
        if self.at("is", "excluded", "from", "talks"):
            self.i += 4
            return Excluded(self.span(start), party)
        return None

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
        standing = self.standing_atom(start, party)
        if standing is not None:
            return standing
        if self.at("mediates", "for"):
            self.i += 2
            other = self.check(self.name("a party"), self.vocab.parties(), "party")
            return RelationHolds(self.span(start), party, "mediates_for", other)
        if t.value in DOCUMENT_STANCE_VERBS or t.value in RELATION_VERBS:
            verb = t.value
            self.i += 1
            target, is_party = self.target()
            if is_party is None:  # an unknown name, noted
                return Const(self.span(start), False)
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
            "has ratified, has no stance on, participates in, is suspended from, has "
            "withdrawn from, is excluded from talks)",
            t,
        )


def parse(text: str, vocab: Vocabulary) -> Node:
    """Parse a condition, checking every name against ``vocab``."""
    if len(text) > MAX_CONDITION_LENGTH:
        raise ConditionError(
            f"condition longer than {MAX_CONDITION_LENGTH} characters", text[:80], 0
        )
    return _Parser(text, vocab).parse()
