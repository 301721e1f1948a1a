"""Points over time: ``publish_points`` (points become known with their text),
``amend_point`` (a known point's text, and maybe its status, changes) and
``remove_point`` (a known point leaves the text). A document's sub-state holds the
points known at the moment (``points``) and the texts events gave them (``texts``): a
point not yet published is in neither, so a state at a date shows exactly what had been
published by then."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from negotiation.model.events import AmendPoint, PublishPoints, RemovePoint
from negotiation.model.trace import Change
from negotiation.runtime.compiled._base import Before, Op, W
from negotiation.runtime.compiled._parts import Parts
from negotiation.runtime.compiled._record import History, change
from negotiation.runtime.compiled._subs import Sub

PointTextEvent = PublishPoints | AmendPoint | RemovePoint
Order = Callable[[Iterable[tuple[str, str]]], tuple[tuple[str, str], ...]]


def named_points(event: PointTextEvent) -> list[str]:
    """The points an event publishes, amends or removes."""
    return [p.id for p in event.points] if isinstance(event, PublishPoints) else [event.point]


def point_text_problems(event: PointTextEvent, known: dict[str, str]) -> list[str]:
    """Why the event is refused with these points known (empty: it applies): publishing
    needs each point still unknown, amending and removing need it known."""
    doc_id = event.document
    if isinstance(event, PublishPoints):
        return [f"point {doc_id}.{p.id} is already known" for p in event.points if p.id in known]
    if event.point in known:
        return []
    return [f"point {doc_id}.{event.point} is not known (not published, or removed)"]


def next_sub(event: PointTextEvent, sub: Sub, order: Order) -> Sub:
    """A document's sub-state after the event."""
    points, texts = dict(sub.points), dict(sub.texts)
    values = sub.values
    if isinstance(event, PublishPoints):
        for p in event.points:
            points[p.id] = p.status.value
            texts[p.id] = p.text
    elif isinstance(event, AmendPoint):
        texts[event.point] = event.text
        if event.status is not None:
            points[event.point] = event.status.value
    else:
        points.pop(event.point, None)
        texts.pop(event.point, None)
        values = tuple(kv for kv in sub.values if kv[0] != event.point)
    return replace(sub, points=order(points.items()), texts=order(texts.items()), values=values)


def point_changes(doc_id: str, named: list[str], old: Sub, new: Sub) -> list[Change]:
    """The trace entry's changes: each named point's status and text."""
    was, now = dict(old.points), dict(new.points)
    was_text, now_text = dict(old.texts), dict(new.texts)
    changes: list[Change] = []
    for p in named:
        label = f"point {doc_id}.{p}"
        if was.get(p) != now.get(p):
            changes.append(change(what=label, before=was.get(p, "unknown"),
                                  after=now.get(p, "removed")))
        if p in now and was_text.get(p) != now_text.get(p):
            changes.append(change(what=f"{label} text", before=was_text.get(p),
                                  after=now_text.get(p)))
    return changes


class Publication(Parts):
    """``point_text_op``: one publish, amend or remove event compiled."""

    def point_text_op(self, event: PointTextEvent) -> Op:
        i = self.doc_slot[event.document]
        subs = self.subs
        order = self.points_tuple
        named = named_points(event)
        memo: dict[int, int] = {}

        def blocked(w: W) -> bool:
            return bool(point_text_problems(event, subs.points[w[i]]))

        def reasons(w: W) -> list[str]:
            return point_text_problems(event, subs.points[w[i]])

        def mutate(w: W) -> None:
            new = memo.get(w[i])
            if new is None:
                new = memo[w[i]] = subs.intern(next_sub(event, subs.items[w[i]], order))
            w[i] = new

        def describe(before: Before, after: W, h: History) -> tuple[list[Change], list[str]]:
            return point_changes(event.document, named, subs.items[before[i]],
                                 subs.items[after[i]]), []

        return Op(blocked, mutate, event.id, frozenset({i}), reasons=reasons, describe=describe)
