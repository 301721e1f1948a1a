"""The offer protocol's events compiled to ops: ``offer``, ``counter``, ``accept_offer``,
``reject_offer`` and ``walk_away`` (the ``Acts`` part dispatches them here).

A document's sub-state holds the offer on the table (who made it and its package, as
option texts) and the value each point settled on. An offer or a counter puts a package
on the table (replacing what was there); accepting it agrees the package's points on
their options and clears the table; rejecting it clears the table; walking away clears
it and records the party's stance on the document as ``rejects``. None of it is possible
once the document is in a final state of its lifecycle.

A single text (an ``offer`` with ``to``, a mediator's draft) is put to named parties:
each of them answers it, ``accept_offer`` adds the party to those who accepted it and the
last acceptance agrees the package's points; ``reject_offer`` takes back the party's
acceptance, if any, and leaves the text on the table, so that its author may replace it
with a revision (an ``offer`` of its own while its single text is pending); accepting or
rejecting it is for the parties it is put to alone, once each. Walking away clears it as
any offer. A new text starts with no acceptance: an agreement is a text every party it
was put to accepted, as it stood.

Each op's ``blocked`` and ``reasons`` are the same checks (booleans, and sentences
computed only when asked); ``describe`` gives its trace entry's changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from negotiation.model.documents import Point, option_text
from negotiation.model.events import (
    AcceptOffer,
    Counter,
    Offer,
    OfferEvent,
    RejectOffer,
    WalkAway,
)
from negotiation.model.positions import position_key
from negotiation.model.trace import Change
from negotiation.runtime.compiled._base import DATE, Before, Op, W
from negotiation.runtime.compiled._parts import Parts
from negotiation.runtime.compiled._record import History, change
from negotiation.runtime.compiled._subs import Items, Pending, Sub

_REJECTS = "rejects"


def offer_text(pending: Pending) -> str | None:
    """An offer on the table in words: ``union: rise 3.5, hours 37``."""
    if pending is None:
        return None
    by, package = pending
    return f"{by}: " + ", ".join(f"{p} {v}" for p, v in package)


class Offers(Parts):
    """``offer_op``: one offer-protocol event compiled."""

    def offer_op(self, event: OfferEvent) -> Op:
        doc_id = event.document
        i = self.doc_slot[doc_id]
        party = event.by[0] if len(event.by) == 1 else ""
        static = [] if party else [f"{event.kind} is made by exactly one party in 'by'"]
        package: Items = ()
        if isinstance(event, Offer | Counter):
            static += self._package_problems(doc_id, event.package)
            package = self.package_items(
                doc_id, ((p, option_text(v)) for p, v in event.package.items())
            )
        stance_slot = (
            self.pos_slot[position_key(party, doc_id)]
            if isinstance(event, WalkAway) and party else None
        )
        blocked, reasons = self._offer_checks(event, party, static, stance_slot)
        mutate = self._offer_mutate(event, i, party, package, stance_slot)
        writes = {i} if stance_slot is None else {i, stance_slot}
        describe = self._offer_describe(event, i, party, stance_slot)
        return Op(blocked, mutate, event.id, frozenset(writes), reasons=reasons,
                  describe=describe)

    def _offer_checks(
        self, event: OfferEvent, party: str, static: list[str], stance_slot: int | None,
    ) -> tuple[Callable[[W], bool], Callable[[W], list[str]]]:
        """``blocked`` and ``reasons`` of an offer-protocol op: the same checks."""
        doc_id = event.document
        i = self.doc_slot[doc_id]
        items = self.subs.items
        absorbing = self.absorbing[doc_id]
        static_bad = bool(static)
        needs_other = isinstance(event, Counter | AcceptOffer | RejectOffer)
        not_own = isinstance(event, Offer)  # a counter needs another's offer: not its own
        answer = isinstance(event, AcceptOffer | RejectOffer)
        accept = isinstance(event, AcceptOffer)
        to_rejects = self._stance_allowed(_REJECTS)

        def blocked(w: W) -> bool:
            if static_bad:
                return True
            sub = items[w[i]]
            if sub.state in absorbing:
                return True
            pending = sub.offer
            if not_own and pending is not None and pending[0] == party and not sub.to:
                return True
            if needs_other and (pending is None or pending[0] == party):
                return True
            if answer and sub.to:
                return party not in sub.to or (accept and party in sub.accepted)
            if stance_slot is not None:
                now = w[stance_slot]
                return not to_rejects.get("unknown" if now is None else now, False)
            return False

        return blocked, self._offer_reasons(event, party, static, stance_slot)

    def _offer_reasons(
        self, event: OfferEvent, party: str, static: list[str], stance_slot: int | None,
    ) -> Callable[[W], list[str]]:
        """Why an offer-protocol op is blocked: ``blocked``'s checks, as sentences."""
        doc_id = event.document
        i = self.doc_slot[doc_id]
        items = self.subs.items
        absorbing = self.absorbing[doc_id]
        needs_other = isinstance(event, Counter | AcceptOffer | RejectOffer)
        not_own = isinstance(event, Offer)
        answer = isinstance(event, AcceptOffer | RejectOffer)
        accept = isinstance(event, AcceptOffer)
        to_rejects = self._stance_allowed(_REJECTS)

        def reasons(w: W) -> list[str]:
            out = list(static)
            sub = items[w[i]]
            if sub.state in absorbing:
                out.append(f"{doc_id} is {sub.state}, a final state: no offer can be made "
                           "or answered on it")
            pending = sub.offer
            if not_own and pending is not None and pending[0] == party and not sub.to:
                out.append(f"{party} already has an offer pending on {doc_id} "
                           f"({offer_text(pending)})")
            if needs_other:
                if pending is None:
                    out.append(f"no offer is pending on {doc_id}")
                elif pending[0] == party:
                    out.append(f"the offer pending on {doc_id} is {party}'s own: {party} "
                               "cannot answer it")
            if answer and sub.to and pending is not None and pending[0] != party:
                if party not in sub.to:
                    out.append(f"the text pending on {doc_id} is put to "
                               f"{', '.join(sub.to)}, not to {party}")
                elif accept and party in sub.accepted:
                    out.append(f"{party} has already accepted the text pending on {doc_id}")
            if stance_slot is not None:
                now = "unknown" if w[stance_slot] is None else w[stance_slot]
                if not to_rejects.get(now, False):
                    out.append(f"{party}'s stance on {doc_id} cannot go from {now} to rejects")
            return out

        return reasons

    def _package_problems(self, doc_id: str, package: dict[str, str | float]) -> list[str]:
        """What is wrong with a package, statically: unknown points, points without
        options, values that are not options."""
        doc = self.program.documents[doc_id]
        points: dict[str, Point] = {} if doc.points == "unknown" else {
            p.id: p for p in doc.points
        }
        out = []
        for pid, value in package.items():
            point = points.get(pid)
            if point is None:
                out.append(f"{doc_id} has no point {pid!r}")
                continue
            problem = point.option_problem(value)
            if problem is not None:
                out.append(f"{doc_id}.{pid}: {problem}")
        return out

    def _offer_mutate(
        self, event: OfferEvent, i: int, party: str, package: Items, stance_slot: int | None,
    ) -> Callable[[W], None]:
        subs = self.subs
        order = self.points_tuple
        memo: dict[int, int] = {}
        to = tuple(sorted(event.to or ())) if isinstance(event, Offer) else ()

        def kept(sub: Sub, accepted: tuple[str, ...]) -> Sub:
            """The single text still on the table, accepted by ``accepted``."""
            return Sub(sub.state, sub.points, sub.signed_by, sub.ratified_by, sub.visited,
                       sub.values, sub.offer, sub.texts, sub.parties, sub.failed, sub.to,
                       accepted)

        def next_sub(sub: Sub) -> Sub:
            if isinstance(event, Offer | Counter):
                return Sub(sub.state, sub.points, sub.signed_by, sub.ratified_by, sub.visited,
                           sub.values, (party, package), sub.texts, sub.parties, sub.failed,
                           to)
            if isinstance(event, RejectOffer) and sub.to:
                return kept(sub, tuple(p for p in sub.accepted if p != party))
            if isinstance(event, AcceptOffer):
                assert sub.offer is not None
                if sub.to:
                    accepted = tuple(sorted({*sub.accepted, party}))
                    if accepted != sub.to:
                        return kept(sub, accepted)
                agreed = sub.offer[1]
                points = order({**dict(sub.points), **{p: "agreed" for p, _ in agreed}}.items())
                values = order({**dict(sub.values), **dict(agreed)}.items())
                return Sub(sub.state, points, sub.signed_by, sub.ratified_by, sub.visited,
                           values, None, sub.texts, sub.parties, sub.failed)
            return Sub(sub.state, sub.points, sub.signed_by, sub.ratified_by, sub.visited,
                       sub.values, None, sub.texts, sub.parties, sub.failed)

        def mutate(w: W) -> None:
            new = memo.get(w[i])
            if new is None:
                new = memo[w[i]] = subs.intern(next_sub(subs.items[w[i]]))
            w[i] = new
            if stance_slot is not None:
                w[stance_slot] = _REJECTS

        return mutate

    def _offer_describe(
        self, event: OfferEvent, i: int, party: str, stance_slot: int | None,
    ) -> Callable[[Before, W, History], tuple[list[Change], list[str]]]:
        items = self.subs.items
        doc_id = event.document
        key = position_key(party, doc_id)

        def describe(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
            old, new = items[before[i]], items[after[i]]
            changes: list[Change] = []
            if isinstance(event, AcceptOffer):
                was_points, was_values = dict(old.points), dict(old.values)
                for p, value in new.values:
                    if was_points.get(p, "open") != "agreed":
                        changes.append(change(what=f"point {doc_id}.{p}",
                                              before=was_points.get(p, "open"), after="agreed"))
                    if was_values.get(p) != value:
                        changes.append(change(what=f"value {doc_id}.{p}",
                                              before=was_values.get(p), after=value))
            if old.offer != new.offer:
                changes.append(change(what=f"offer on {doc_id}", before=offer_text(old.offer),
                                      after=offer_text(new.offer)))
            if new.to and old.offer == new.offer and old.accepted != new.accepted:
                changes.append(change(what=f"accepted on {doc_id}",
                                      before=", ".join(old.accepted) or "nobody",
                                      after=", ".join(new.accepted) or "nobody"))
            if stance_slot is not None:
                h.positions[key] = (dt.date.fromordinal(after[DATE]), ())
                was = "unknown" if before[stance_slot] is None else before[stance_slot]
                if was != _REJECTS:
                    changes.append(change(what=f"position {party} on {doc_id}", before=was,
                                          after=_REJECTS))
            return changes, []

        return describe
