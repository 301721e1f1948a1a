"""Date orders: which conclusions of a run depend on the order of events whose dates are
imprecise.

The engine places an event dated by a range or a month at its earliest day. Events whose
date spans overlap (at least one of them more than a day) may have happened in another
order. ``date_orders`` groups them (connected by overlap), enumerates every order of each
group that some choice of days inside the spans allows (events dated to the day keep
their order among themselves), and runs each combination as an alternative timeline on
the one runtime (``Engine.run(events=...)``): each event of a group on the first day its
place in the order allows, inside its span. It then reports which conclusions (each
expectation, each document's final state, the run's verdict) hold in every ordering and
which depend on it, with the simplest "fails when B comes before A" it can find.

A bound (``max_orderings``) caps the orderings run; the result says when it was hit.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from negotiation.model.dates import FuzzyDate
from negotiation.model.events import Event
from negotiation.runtime.engine import Engine

MAX_ORDERINGS = 1000
"""The default bound on the orderings run."""


@dataclass(frozen=True)
class Placed:
    """A timeline event and where it sits: its index in the engine's order, its span."""

    index: int
    event: Event
    first: dt.date
    last: dt.date

    @property
    def exact(self) -> bool:
        return self.first == self.last

    @property
    def name(self) -> str:
        return event_name(self.event, self.index)


def event_name(event: Event, index: int) -> str:
    """An event's name in a report: its id, else ``#N kind`` (N counted from 1)."""
    return event.id or f"#{index + 1} {event.kind}"


def overlap_groups(events: Sequence[Event]) -> list[list[Placed]]:
    """The groups of events (in the engine's order) whose spans overlap, connected
    through overlaps; only groups with at least one imprecise date and two events."""
    placed = [
        Placed(i, e, e.date.earliest, e.date.latest)
        for i, e in enumerate(events) if e.date is not None
    ]
    groups: list[list[Placed]] = []
    current: list[Placed] = []
    reach = dt.date.min
    for p in sorted(placed, key=lambda p: (p.first, p.index)):
        if current and p.first <= reach:
            current.append(p)
            reach = max(reach, p.last)
            continue
        if len(current) > 1 and not all(q.exact for q in current):
            groups.append(current)
        current, reach = [p], p.last
    if len(current) > 1 and not all(q.exact for q in current):
        groups.append(current)
    return groups


def group_orders(group: list[Placed]) -> Iterator[list[tuple[Placed, dt.date]]]:
    """Every order of a group some choice of days allows, each event on the first day
    its place allows (days never go back; events dated to the day keep their order)."""
    exact_rank = {p.index: k for k, p in enumerate(q for q in group if q.exact)}

    def extend(
        done: list[tuple[Placed, dt.date]], left: list[Placed], day: dt.date, exact_next: int
    ) -> Iterator[list[tuple[Placed, dt.date]]]:
        if not left:
            yield list(done)
            return
        for k, p in enumerate(left):
            if p.exact and exact_rank[p.index] != exact_next:
                continue
            at = max(day, p.first)
            if at > p.last:
                continue
            done.append((p, at))
            yield from extend(done, left[:k] + left[k + 1:], at,
                              exact_next + (1 if p.exact else 0))
            done.pop()

    yield from extend([], list(group), dt.date.min, 0)


def _moved(event: Event, day: dt.date) -> Event:
    """The event placed on ``day`` (inside its span): its date starts there."""
    assert event.date is not None
    if event.date.earliest == day:
        return event
    date = FuzzyDate.model_construct(**{**event.date.__dict__, "earliest": day})
    return event.model_copy(update={"date": date})


@dataclass
class Conclusion:
    """One conclusion and, for each ordering run, whether it held."""

    text: str
    held: list[bool] = field(default_factory=list)

    @property
    def holds(self) -> int:
        return sum(self.held)


@dataclass
class DateOrders:
    """What ``date_orders`` found."""

    scenario: str
    branch: str | None
    groups: list[list[str]]
    orderings: list[list[str]]
    """Each ordering run: the events of every group, in the order it placed them."""
    conclusions: list[Conclusion]
    bound: int
    bound_hit: bool
    explanations: dict[str, str] = field(default_factory=dict)
    """For a conclusion that depends on the order: when it fails."""

    def dependent(self) -> list[Conclusion]:
        n = len(self.orderings)
        return [c for c in self.conclusions if 0 < c.holds < n]

    def as_json(self) -> dict[str, object]:
        n = len(self.orderings)
        return {
            "scenario": self.scenario,
            "branch": self.branch,
            "groups": self.groups,
            "orderings": n,
            "bound": self.bound,
            "bound_hit": self.bound_hit,
            "conclusions": [
                {"conclusion": c.text, "holds_in": c.holds, "of": n,
                 "depends_on_order": 0 < c.holds < n,
                 **({"fails_when": self.explanations[c.text]}
                    if c.text in self.explanations else {})}
                for c in self.conclusions
            ],
        }


def _conclusions(engine: Engine, events: list[Event], branch: str | None) -> dict[str, bool]:
    trace = engine.run(branch, events=events)
    out: dict[str, bool] = {}
    for x in trace.expectations:
        out[f"expectation at {x.at}: {x.that}"] = x.ok
    for doc_id, d in trace.final.documents.items():
        out[f"{doc_id} ends {d.state}"] = True
    out["the run is ok (every expectation met, no invariant broken)"] = trace.ok
    return out


def date_orders(
    engine: Engine, branch: str | None = None, max_orderings: int = MAX_ORDERINGS
) -> DateOrders:
    """Run every ordering of the overlapping events of a timeline (up to the bound)."""
    if max_orderings < 1:
        raise ValueError("max_orderings must be at least 1")
    base = engine.timeline(branch)
    groups = overlap_groups(base)
    combos = itertools.product(*(group_orders(g) for g in groups))
    orderings: list[list[str]] = []
    results: list[dict[str, bool]] = []
    bound_hit = False
    for combo in combos:
        if len(orderings) == max_orderings:
            bound_hit = True
            break
        results.append(_conclusions(engine, _timeline(base, groups, combo), branch))
        orderings.append([p.name for order in combo for p, _ in order])
    texts: dict[str, None] = {}
    for r in results:
        texts.update(dict.fromkeys(r))
    conclusions = [Conclusion(t, [r.get(t, False) for r in results]) for t in texts]
    found = DateOrders(engine.scenario.id, branch, [[p.name for p in g] for g in groups],
                       orderings, conclusions, max_orderings, bound_hit)
    for c in found.dependent():
        found.explanations[c.text] = _explain(c, orderings)
    return found


def _timeline(
    base: list[Event], groups: list[list[Placed]], combo: tuple[list[tuple[Placed, dt.date]], ...]
) -> list[Event]:
    """The engine's timeline with each group in the combination's order and days."""
    key: dict[int, tuple[dt.date, int]] = {}
    events = list(base)
    for group, order in zip(groups, combo, strict=True):
        slots = sorted(p.index for p in group)
        for slot, (p, day) in zip(slots, order, strict=True):
            events[p.index] = _moved(p.event, day)
            key[p.index] = (day, slot)
    ranked = [
        (key.get(i, (e.date.earliest if e.date else dt.date.min, i)), i)
        for i, e in enumerate(events)
    ]
    return [events[i] for _, i in sorted(ranked)]


def _explain(c: Conclusion, orderings: list[list[str]]) -> str:
    """When the conclusion fails: one "B comes before A" that tells exactly the
    orderings where it fails, else the first failing ordering."""
    failing = {k for k, ok in enumerate(c.held) if not ok}
    names = list(dict.fromkeys(n for o in orderings for n in o))
    position = [{n: k for k, n in enumerate(o)} for o in orderings]
    for a, b in itertools.permutations(names, 2):
        before = {k for k, pos in enumerate(position) if a in pos and b in pos and pos[a] < pos[b]}
        if before == failing:
            return f"fails when {a} comes before {b}"
    first = orderings[min(failing)]
    return f"fails in {len(failing)} ordering(s), e.g. {' < '.join(first)}"
