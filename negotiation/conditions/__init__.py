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
               | DOC "." POINT "is" ["not"] "agreed" "on" OPTION
                                                         agreed on that option (an offer
                                                         accepted): a label or a number
               | "an" "offer" "is" "pending" "on" DOC
               | PARTY STANCE TARGET                     supports | opposes | accepts | rejects
               | PARTY "supports" TARGET "with" "conditions"
               | PARTY "is" "undecided" "on" TARGET
               | PARTY "has" "no" "stance" "on" TARGET   stance unknown
               | PARTY RELATION PARTY                    supports | opposes | guarantees
               | PARTY "mediates" "for" PARTY
               | PARTY "has" "signed" DOC | PARTY "has" "ratified" DOC
               | PARTY "participates" "in" DOC           a party to it (see standing_of)
               | PARTY "is" "suspended" "from" DOC | PARTY "has" "withdrawn" "from" DOC
               | PARTY "is" "excluded" "from" "talks"
               | "all" "required" "parties" "accept" DOC
               | "ratification" "of" DOC "by" PARTY "failed"   a failed vote
               | "at" "least" N ["of" "(" PARTY ("," PARTY)* ")"] "have" "ratified" DOC
               | "ratified" "weight" WEIGHT "of" DOC "is" DURATION N ["." N] "%"
               | "threshold" "of" DOC "is" "met"        its entry_into_force threshold
               | "fact" FACT ["is" ("true" | "false")]   unknown when the fact is
               | "fact" FACT "is" "unknown"             true when it is unknown
               | "fact" FACT "has" "held" "for" DURATION N "days"
               | "deadline" DEADLINE "is" ["not"] STATUS
               | "deadline" DEADLINE "is" ["not"] "due" WHEN YYYY-MM-DD   its due date
               | "deadline" DEADLINE "has" "fired"       it has resolved (met, missed, ...)
               | "rule" RULE "has" "fired" [[DURATION] N "times"]   (counts: expect only)
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
from collections.abc import Iterable, Iterator

from negotiation.conditions.parser import (
    DEADLINE_STATUSES,
    MAX_CONDITION_LENGTH,
    MAX_DAYS,
    MAX_DEPTH,
    POINT_STATUSES,
    parse,
)
from negotiation.conditions.syntax import (
    PARTICIPATING,
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
    Facts,
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
    standing_of,
)
from negotiation.model.documents import ratified_count, ratified_share

__all__ = [
    "DEADLINE_STATUSES",
    "FIRED_STATUSES",
    "MAX_CONDITION_LENGTH",
    "MAX_DAYS",
    "MAX_DEPTH",
    "PARTICIPATING",
    "POINT_STATUSES",
    "AllAccept",
    "And",
    "Const",
    "DateCmp",
    "DeadlineDue",
    "DeadlineFired",
    "DeadlineIs",
    "DocState",
    "Excluded",
    "FactHeld",
    "FactHolds",
    "FactUnknown",
    "Facts",
    "HasActed",
    "Node",
    "Not",
    "OfferPending",
    "Or",
    "Participation",
    "PointIs",
    "PointValue",
    "RatifiedCount",
    "RatifiedWeight",
    "RelationHolds",
    "RuleFired",
    "StanceIs",
    "ThresholdMet",
    "Vocabulary",
    "VoteFailed",
    "counts_firings",
    "evaluate",
    "exclusion_text",
    "explain",
    "kleene_and",
    "kleene_not",
    "kleene_or",
    "parse",
    "party_standing",
    "standing_of",
    "value",
    "wake_dates",
    "walk",
]


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


def _atom(node: Node, facts: Facts) -> tuple[bool | None, str]:
    """Evaluate an atom; return its value (None: unknown) and a sentence saying what is
    the case."""
    if isinstance(node, FactHolds | FactHeld | FactUnknown):
        unknown = facts.fact_unknown(node.fact)
        if isinstance(node, FactUnknown):
            return unknown, f"fact {node.fact} is {'unknown' if unknown else 'known'}"
        if unknown:
            return None, f"fact {node.fact} is unknown"
    if isinstance(node, FactHolds | FactHeld | DeadlineIs | DeadlineDue | DateCmp | Const):
        return _calendar_atom(node, facts)
    if isinstance(node, RuleFired | DeadlineFired):
        return _fired_atom(node, facts)
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
    if isinstance(node, DeadlineDue):
        due = facts.deadline_due(node.deadline)
        if due is None:
            return False, f"deadline {node.deadline} has no due date"
        return _date_cmp(node.op, due, node.day), f"deadline {node.deadline} is due on {due}"
    if isinstance(node, DateCmp):
        ok = _date_cmp(node.op, facts.today, node.day)
        return ok, f"the date is {facts.today}"
    if isinstance(node, Const):
        return node.value, f"{str(node.value).lower()} is {str(node.value).lower()}"
    raise TypeError(f"not a condition node: {node!r}")  # pragma: no cover


FIRED_STATUSES = frozenset({"met", "early", "missed", "expired", "enforced", "waived", "reached"})
"""The deadline statuses of ``deadline X has fired``: resolved, its turn taken."""

_TIMES = {
    "exactly": lambda n, k: n == k,
    "at least": lambda n, k: n >= k,
    "more than": lambda n, k: n > k,
    "less than": lambda n, k: n < k,
}


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def _fired_atom(node: RuleFired | DeadlineFired, facts: Facts) -> tuple[bool, str]:
    if isinstance(node, DeadlineFired):
        status = facts.deadline_status(node.deadline)
        ok = status in FIRED_STATUSES
        return ok, f"deadline {node.deadline} is {status}"
    n = facts.rule_fired(node.rule)
    if node.op is None or node.times is None:
        ok = n > 0
        return ok, f"rule {node.rule} has {'fired' if ok else 'not fired'}"
    ok = bool(_TIMES[node.op](n, node.times))
    return ok, f"rule {node.rule} has fired {_times(n)}" if n else f"rule {node.rule} has not fired"


def counts_firings(node: Node) -> bool:
    """Whether a condition asks how often a rule fired (only a run's history knows)."""
    return any(isinstance(n, RuleFired) and n.times is not None for n in walk(node))


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
    if isinstance(node, PointValue | OfferPending):
        return _offer_atom(node, facts)
    if isinstance(node, Participation | Excluded):
        return _participation_atom(node, facts)
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
    if isinstance(node, VoteFailed | RatifiedCount | RatifiedWeight | ThresholdMet):
        return _vote_atom(node, facts)
    if isinstance(node, AllAccept):
        required = facts.required_parties(node.document)
        if required is None:
            return False, f"the parties whose acceptance {node.document} requires are unknown"
        missing = [p for p in required if facts.stance(p, node.document) != "accepts"]
        if missing:
            return False, f"not yet accepted {node.document}: {', '.join(missing)}"
        return True, f"all required parties ({', '.join(required)}) accept {node.document}"
    raise TypeError(f"not a condition node: {node!r}")  # pragma: no cover


def party_standing(facts: Facts, party: str, document: str) -> tuple[str, str]:
    """A party's standing in a document and a sentence saying it, with since when."""
    given = facts.standing(party, document)
    if given is None:
        status = standing_of(None, party, facts.required_parties(document),
                             facts.signed_by(document))
        word = {"party": "is a party to", "none": "is not a party to"}[status]
        return status, f"{party} {word} {document}"
    status, since, effective = given
    text = {
        "party": f"{party} is a party to {document} since {since}",
        "leaving": f"{party} gave notice of withdrawal from {document} on {since}, "
                   f"effective {effective}",
        "suspended": f"{party} is suspended from {document} since {since}",
        "withdrawn": f"{party} has withdrawn from {document} since {since}",
    }[status]
    return status, text


def exclusion_text(party: str, facts: Facts) -> str:
    """Whether a party is excluded from the talks, with since when and until what."""
    found = facts.excluded(party)
    if found is None:
        return f"{party} is not excluded from talks"
    since, until = found
    return f"{party} is excluded from talks since {since}" + (f" (until {until})" if until else "")


def _participation_atom(node: Participation | Excluded, facts: Facts) -> tuple[bool, str]:
    if isinstance(node, Excluded):
        return facts.excluded(node.party) is not None, exclusion_text(node.party, facts)
    status, sentence = party_standing(facts, node.party, node.document)
    if node.status == "participates":
        return status in PARTICIPATING, sentence
    return status == node.status, sentence


_SHARE_CMP = {
    "at least": lambda a, b: a >= b - 1e-9,
    "more than": lambda a, b: a > b + 1e-9,
    "less than": lambda a, b: a < b - 1e-9,
}
"""Per-cent comparisons, tolerant of float sums (55% of 3 weights is 55%)."""


def share_holds(op: str, held: float, share: float) -> bool:
    """Whether a ratified share compares with ``share`` as ``op`` says."""
    return bool(_SHARE_CMP[op](held, share))


def _vote_atom(
    node: VoteFailed | RatifiedCount | RatifiedWeight | ThresholdMet, facts: Facts
) -> tuple[bool, str]:
    doc = node.document
    if isinstance(node, VoteFailed):
        ok = node.party in facts.failed_by(doc)
        return ok, (f"the ratification of {doc} by {node.party} "
                    f"{'failed' if ok else 'has not failed'}")
    if isinstance(node, RatifiedCount):
        among = None if node.among is None else list(node.among)
        n = ratified_count(facts.ratified_by(doc), among)
        of = "" if node.among is None else f" of {len(node.among)}"
        return n >= node.at_least, f"{n}{of} have ratified {doc}"
    if isinstance(node, RatifiedWeight):
        held = ratified_share(facts.ratified_by(doc), facts.weight(node.weight))
        return (share_holds(node.op, held, node.share),
                f"the ratifiers of {doc} hold {held:.4g}% of {node.weight}")
    short = facts.threshold_shortfall(doc)
    if short is None:
        return False, f"{doc} declares no entry_into_force threshold"
    if short:
        return False, f"the threshold of {doc} is not met: {'; '.join(short)}"
    return True, f"the threshold of {doc} is met"


def _offer_atom(node: PointValue | OfferPending, facts: Facts) -> tuple[bool, str]:
    if isinstance(node, OfferPending):
        by = facts.offer_by(node.document)
        if by is None:
            return False, f"no offer is pending on {node.document}"
        return True, f"an offer by {by} is pending on {node.document}"
    where = f"{node.document}.{node.point}"
    status = facts.point_status(node.document, node.point)
    value = facts.point_value(node.document, node.point)
    if status != "agreed" or value is None:
        return False, f"{where} is {status}"
    return value == node.value, f"{where} is agreed on {value}"


def kleene_and(values: Iterable[bool | None]) -> bool | None:
    """Three-valued ``and``: false if any is false, else unknown if any is unknown."""
    out: bool | None = True
    for v in values:
        if v is False:
            return False
        if v is None:
            out = None
    return out


def kleene_or(values: Iterable[bool | None]) -> bool | None:
    """Three-valued ``or``: true if any is true, else unknown if any is unknown."""
    out: bool | None = False
    for v in values:
        if v is True:
            return True
        if v is None:
            out = None
    return out


def kleene_not(v: bool | None) -> bool | None:
    """Three-valued ``not``: not unknown is unknown."""
    return None if v is None else not v


def value(node: Node, facts: Facts) -> bool | None:
    """The condition's value in ``facts`` in Kleene's three-valued logic: None when it
    depends on an unknown fact (``not unknown`` is unknown, ``unknown and false`` is
    false, ``unknown or true`` is true)."""
    if isinstance(node, And):
        return kleene_and(value(n, facts) for n in node.operands)
    if isinstance(node, Or):
        return kleene_or(value(n, facts) for n in node.operands)
    if isinstance(node, Not):
        return kleene_not(value(node.operand, facts))
    return _atom(node, facts)[0]


def evaluate(node: Node, facts: Facts) -> bool:
    """Whether the condition holds in ``facts``: true, not unknown (a guard, a rule, a
    requirement or an expectation whose condition is unknown does not hold)."""
    return value(node, facts) is True


def explain(node: Node, facts: Facts) -> list[str]:
    """Why ``node`` does not hold in ``facts``: one line per part that is false or
    unknown (empty when it holds)."""
    if evaluate(node, facts):
        return []
    return list(_why_false(node, facts))


def _why_false(node: Node, facts: Facts) -> Iterator[str]:
    """Why a node that does not hold is false or unknown."""
    if isinstance(node, And):
        for n in node.operands:
            if not evaluate(n, facts):
                yield from _why_false(n, facts)
    elif isinstance(node, Or):
        parts = [" / ".join(_why_false(n, facts)) for n in node.operands]
        yield "none of the alternatives holds: " + "; ".join(parts)
    elif isinstance(node, Not):
        if value(node.operand, facts) is None:
            yield f"expected not ({node.operand.text}), but it is unknown: " + "; ".join(
                _why_false(node.operand, facts)
            )
        else:
            yield f"expected not ({node.operand.text}), but " + "; ".join(
                _why_true(node.operand, facts)
            )
    else:
        ok, sentence = _atom(node, facts)
        if ok is None:
            yield f"{node.text}: unknown, {sentence}"
        elif not ok:
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


def reads(node: Node) -> frozenset[str]:
    """What a condition's value depends on, as coarse keys: ``doc:ID`` (a document's
    state, points, signatures), ``stance:DOC`` (any stance on a document or its
    points), ``rel`` (relations), ``fact:ID``, ``deadline:ID`` and ``date`` (the clock).
    The engine re-evaluates a condition only when one of its keys changed."""
    out: set[str] = set()
    for n in walk(node):
        if isinstance(n, DocState | PointIs | HasActed | PointValue | OfferPending
                      | Participation | VoteFailed | RatifiedCount | RatifiedWeight
                      | ThresholdMet):
            out.add(f"doc:{n.document}")
        elif isinstance(n, StanceIs):
            out.add(f"stance:{n.target.split('.', 1)[0]}")
        elif isinstance(n, AllAccept):
            out.add(f"stance:{n.document}")
        elif isinstance(n, RelationHolds):
            out.add("rel")
        elif isinstance(n, Excluded):
            out.add("talks")
        elif isinstance(n, FactHolds | FactUnknown):
            out.add(f"fact:{n.fact}")
        elif isinstance(n, FactHeld):
            out |= {f"fact:{n.fact}", "date"}
        elif isinstance(n, DeadlineIs | DeadlineDue | DeadlineFired):
            out.add(f"deadline:{n.deadline}")
        elif isinstance(n, RuleFired):
            out.add(f"rule:{n.rule}")
        elif isinstance(n, DateCmp):
            out.add("date")
    return frozenset(out)


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
