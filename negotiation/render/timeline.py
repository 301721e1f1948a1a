"""The timeline chart: swimlanes on a date-scaled axis, drawn as SVG by our own code.

Lanes, top to bottom: the scripted events (a dot per event, coloured by claim status;
an event with an imprecise date is drawn as a hatched bar over its range), then one lane
per document (its lifecycle state over time; a change whose date is imprecise has its
range hatched), then one lane per deadline (live period; due date; extensions as arrows
from the old due date to the new; met, missed, expired, enforced, waived marked).

``lanes`` extracts the lanes from a run's trace entries; ``svg`` draws them. Both are
pure and deterministic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from negotiation.model.trace import TraceEntry
from negotiation.render.escape import xml_text
from negotiation.runtime.engine import Engine

PALETTE = (
    "#d1d5db", "#bfdbfe", "#60a5fa", "#5eead4", "#a7f3d0", "#34d399", "#059669",
    "#047857", "#f87171", "#6b7280", "#fca5a5", "#e5e7eb", "#c4b5fd", "#d6b88a",
)  # fmt: skip
STATUS_COLOUR = {"confirmed": "#1f2937", "claimed": "#ffffff", "disputed": "#f59e0b"}
ONE_DAY = dt.timedelta(days=1)
RESOLVED = ("met", "early", "missed", "expired", "enforced", "waived", "dropped")


@dataclass(frozen=True)
class Segment:
    """A stretch of one state: [start, end), with the range its start is uncertain in."""

    state: str
    start: dt.date
    end: dt.date
    colour: str
    uncertain: tuple[dt.date, dt.date] | None = None


@dataclass(frozen=True)
class LaneMark:
    """A dated mark on a lane: ``kind`` is an event's claim status, or a deadline mark
    (due, extended, met, missed, ...); ``until`` ends a range or an extension arrow."""

    day: dt.date
    kind: str
    text: str
    until: dt.date | None = None


@dataclass(frozen=True)
class Lane:
    kind: str  # events | document | deadline
    id: str
    label: str
    segments: tuple[Segment, ...] = ()
    marks: tuple[LaneMark, ...] = ()


@dataclass
class _Deadline:
    segments: list[Segment] = field(default_factory=list)
    marks: list[LaneMark] = field(default_factory=list)
    status: str = "inactive"
    since: dt.date | None = None


def _ranges(engine: Engine, branch: str | None) -> dict[str, tuple[dt.date, dt.date]]:
    """Event id -> its date range, for the scripted events whose date is imprecise."""
    return {
        e.id: (e.date.earliest, e.date.latest)
        for e in engine.timeline(branch)
        if e.id is not None and e.date is not None and e.date.earliest != e.date.latest
    }


def lanes(
    engine: Engine,
    entries: Sequence[TraceEntry],
    branch: str | None,
    start: dt.date,
    end: dt.date,
) -> list[Lane]:
    """The chart's lanes for a run from ``start`` to the close of ``end``."""
    ranges = _ranges(engine, branch)
    stop = end + dt.timedelta(days=1)
    marks = []
    for e in entries:
        if e.kind not in ("event", "blocked"):
            continue
        status = e.attribution.status.value if e.attribution else "claimed"
        kind = "blocked" if e.kind == "blocked" else status
        span = ranges.get(e.ref or "")
        marks.append(
            LaneMark(span[0] if span else e.date, kind, e.summary, span[1] if span else None)
        )
    out = [Lane("events", "events", "events (dot: one event)", marks=tuple(marks))]
    out += [_document_lane(engine, d, entries, ranges, start, stop) for d in engine.documents]
    out += [_deadline_lane(engine, d, entries, start, stop) for d in engine.deadlines]
    return out


def _document_lane(
    engine: Engine,
    doc_id: str,
    entries: Sequence[TraceEntry],
    ranges: dict[str, tuple[dt.date, dt.date]],
    start: dt.date,
    stop: dt.date,
) -> Lane:
    doc = engine.documents[doc_id]
    states = engine.lifecycles[doc.lifecycle].spec.states
    state = doc.initial_state or engine.lifecycles[doc.lifecycle].spec.initial
    since, uncertain = start, None
    segments: list[Segment] = []

    def colour(s: str) -> str:
        return PALETTE[states.index(s) % len(PALETTE)] if s in states else PALETTE[0]

    for e in entries:
        for c in e.changes:
            if c.what != f"document {doc_id}" or c.after is None:
                continue
            if e.date > since:
                segments.append(Segment(state, since, e.date, colour(state), uncertain))
            state, since, uncertain = c.after, e.date, ranges.get(e.ref or "")
    segments.append(Segment(state, since, stop, colour(state), uncertain))
    return Lane("document", doc_id, f"{doc_id}", tuple(segments))


def _deadline_lane(
    engine: Engine, d_id: str, entries: Sequence[TraceEntry], start: dt.date, stop: dt.date
) -> Lane:
    spec = engine.deadlines[d_id]
    acc = _Deadline()
    initial = engine.initial_state().deadlines[d_id]
    acc.status, acc.since = initial.status.value, start
    if initial.due is not None:
        acc.marks.append(LaneMark(initial.due, "due", f"due {initial.due}"))
    for e in entries:
        for c in e.changes:
            if c.what == f"deadline {d_id} due" and c.before and c.after:
                old, new = dt.date.fromisoformat(c.before), dt.date.fromisoformat(c.after)
                acc.marks.append(LaneMark(old, "extended", f"extended on {e.date} to {new}", new))
                acc.marks.append(LaneMark(new, "due", f"due {new}"))
            elif c.what == f"deadline {d_id}" and c.after:
                if c.before == "inactive" and spec.due is not None and not initial.due:
                    acc.marks.append(LaneMark(spec.due.last_day, "due", f"due {spec.due.last_day}"))
                _status(acc, e, c.after)
    if acc.since is not None and acc.since < stop:
        acc.segments.append(Segment(acc.status, acc.since, stop, _fill(acc.status)))
    label = f"{d_id}" + (f" (set by {spec.set_by})" if spec.set_by else "")
    return Lane("deadline", d_id, label, tuple(acc.segments), tuple(acc.marks))


def _fill(status: str) -> str:
    return {
        "pending": "#fde68a",
        "open": "#fcd34d",
        "waiting": "#fef3c7",
        "missed": "#fecaca",
        "met": "#bbf7d0",
        "early": "#bbf7d0",
        "expired": "#d1d5db",
        "enforced": "#fca5a5",
        "waived": "#e5e7eb",
    }.get(status, "#ffffff")


def _status(acc: _Deadline, e: TraceEntry, after: str) -> None:
    if acc.since is not None and e.date > acc.since and acc.status != "inactive":
        acc.segments.append(Segment(acc.status, acc.since, e.date, _fill(acc.status)))
    if after in RESOLVED:
        acc.marks.append(LaneMark(e.date, after, f"{after} on {e.date}"))
    if after == "pending" and e.kind == "event" and e.event_kind == "set_deadline":
        acc.marks.append(LaneMark(e.date, "set", f"set on {e.date_display}"))
    if after in ("pending", "open") and e.kind == "window":
        acc.marks.append(LaneMark(e.date, "anchored", e.summary))
    acc.status, acc.since = after, e.date


# -- drawing ------------------------------------------------------------------------------

LEFT, RIGHT, TOP, LANE, GAP = 250, 30, 56, 40, 8
WIDTH = 1200


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


class _Scale:
    def __init__(self, start: dt.date, end: dt.date, width: int) -> None:
        self.start = start
        self.last = end
        self.days = max(1, (end - start).days + 1)
        self.px = (width - LEFT - RIGHT) / self.days

    def x(self, day: dt.date) -> float:
        return LEFT + (day - self.start).days * self.px

    def mid(self, day: dt.date) -> float:
        return self.x(day) + self.px / 2


def _ticks(start: dt.date, end: dt.date) -> list[tuple[dt.date, str, bool]]:
    """Axis ticks: every month's first day (bold) and, on short spans, every Monday."""
    out = []
    day = start
    weekly = (end - start).days <= 150
    while day <= end:
        if day.day == 1:
            out.append((day, day.strftime("%b %Y"), True))
        elif weekly and day.weekday() == 0:
            out.append((day, day.strftime("%d"), False))
        day += dt.timedelta(days=1)
    return out


def svg(
    chart: Sequence[Lane],
    start: dt.date,
    end: dt.date,
    horizon: dt.date | None = None,
    axis_end: dt.date | None = None,
    width: int = WIDTH,
) -> str:
    """The chart as inline SVG (no XML declaration: it is embedded in a page). The lanes
    run from ``start`` to the close of ``end``; the axis may go on to ``axis_end`` (to
    show due dates ahead), the days after ``end`` shaded as not run."""
    last = max(end, axis_end or end)
    scale = _Scale(start, last, width)
    states = {seg.state for lane in chart if lane.kind == "document" for seg in lane.segments}
    height = TOP + len(chart) * (LANE + GAP) + 40 + 20 * ((12 + len(states) + 5) // 6)
    parts = [
        f'<svg id="timeline-chart" class="timeline" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="timeline-title">',
        f'<title id="timeline-title">Timeline from {start} to {end}: one lane per '
        "document and deadline</title>",
        "<defs>"
        '<pattern id="hatch" patternUnits="userSpaceOnUse" width="6" height="6" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff" '
        'opacity="0.35"/><line x1="0" y1="0" x2="0" y2="6" stroke="#374151" '
        'stroke-width="1.6"/></pattern>'
        '<marker id="ext-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
        'markerHeight="6" orient="auto"><path d="M0 0 L10 5 L0 10 z" fill="#7c3aed"/></marker>'
        "</defs>",
    ]
    bottom = TOP + len(chart) * (LANE + GAP)
    ticks = _ticks(start, last)
    majors = [scale.x(d) for d, _, major in ticks if major]
    for day, text, major in ticks:
        x = scale.x(day)
        cls = "tick major" if major else "tick"
        parts.append(
            f'<line x1="{_n(x)}" y1="{TOP - 8}" x2="{_n(x)}" y2="{bottom}" class="{cls}"/>'
        )
        if major or all(abs(x - m) > 44 for m in majors):
            parts.append(f'<text x="{_n(x + 2)}" y="{TOP - 14}" class="{cls}-label">{text}</text>')
    if last > end:
        x1, x2 = scale.x(end + ONE_DAY), scale.x(last + ONE_DAY)
        parts.append(
            f'<rect x="{_n(x1)}" y="{TOP - 8}" width="{_n(x2 - x1)}" height="{bottom - TOP + 8}" '
            'class="beyond"><title>after the end of the run: not simulated</title></rect>'
        )
    if horizon is not None and start <= horizon < last:
        x = scale.x(horizon + ONE_DAY)
        later = "; later days are a continuation" if horizon < end else ""
        parts.append(
            f'<line x1="{_n(x)}" y1="{TOP - 30}" x2="{_n(x)}" y2="{bottom}" class="horizon"/>'
        )
        parts.append(
            f'<text x="{_n(x - 3)}" y="{TOP - 32}" class="horizon-label">'
            f"the record ends ({horizon}){later}</text>"
        )
    for i, lane in enumerate(chart):
        top = TOP + i * (LANE + GAP)
        parts.append(
            f'<g class="swimlane lane-{lane.kind}" data-lane="{lane.kind}:{xml_text(lane.id)}">'
        )
        parts.append(f'<rect x="4" y="{top}" width="{width - 8}" height="{LANE}" class="lane-bg"/>')
        parts.append(
            f'<text x="{LEFT - 8}" y="{top + LANE / 2 + 4}" class="lane-label">'
            f"{xml_text(lane.label)}</text>"
        )
        for seg in lane.segments:
            parts += _segment(seg, scale, top, lane.kind)
        parts += _marks(lane, scale, top)
        parts.append("</g>")
    parts += _legend(bottom + 18, width, chart)
    parts.append("</svg>")
    return "\n".join(parts)


def _segment(seg: Segment, scale: _Scale, top: int, kind: str) -> list[str]:
    x1, x2 = scale.x(seg.start), scale.x(seg.end)
    y, h = (top + 8, LANE - 16) if kind == "document" else (top + 14, LANE - 28)
    out = [
        f'<rect x="{_n(x1)}" y="{y}" width="{_n(max(x2 - x1, 1.5))}" height="{h}" '
        f'fill="{seg.colour}" class="segment" data-state="{xml_text(seg.state)}">'
        f"<title>{xml_text(seg.state)}: {seg.start} to {seg.end - ONE_DAY}</title></rect>"
    ]
    if seg.uncertain is not None:
        u1, u2 = scale.x(seg.uncertain[0]), scale.x(seg.uncertain[1] + dt.timedelta(days=1))
        out.append(
            f'<rect x="{_n(u1)}" y="{y}" width="{_n(u2 - u1)}" height="{h}" fill="url(#hatch)" '
            f'class="uncertain"><title>date uncertain: {seg.uncertain[0]} to '
            f"{seg.uncertain[1]}</title></rect>"
        )
    if kind == "document" and x2 - x1 > 7 * len(seg.state) + 8:
        out.append(
            f'<text x="{_n(x1 + 5)}" y="{y + h / 2 + 4}" class="seg-label">'
            f"{xml_text(seg.state)}</text>"
        )
    return out


def _marks(lane: Lane, scale: _Scale, top: int) -> list[str]:
    out: list[str] = []
    mid = top + LANE / 2
    per_day: dict[dt.date, int] = {}
    for m in lane.marks:
        x = scale.mid(m.day)
        tip = f"<title>{xml_text(m.day.isoformat())}: {xml_text(m.text)}</title>"
        if lane.kind == "events":
            n = per_day.get(m.day, 0)
            per_day[m.day] = n + 1
            if m.until is not None:
                x2 = scale.x(m.until + dt.timedelta(days=1))
                y = top + 4 + (n % 4) * 8
                out.append(
                    f'<rect x="{_n(scale.x(m.day))}" y="{y}" width="{_n(x2 - scale.x(m.day))}" '
                    f'height="6" fill="url(#hatch)" class="event-range">{tip}</rect>'
                )
                continue
            y = top + 8 + (n % 5) * 6
            if m.kind == "blocked":
                out.append(f'<text x="{_n(x)}" y="{y + 4}" class="blocked-mark">x{tip}</text>')
                continue
            fill = STATUS_COLOUR.get(m.kind, "#ffffff")
            out.append(
                f'<circle cx="{_n(x)}" cy="{y}" r="3.6" fill="{fill}" '
                f'class="event-dot {m.kind}">{tip}</circle>'
            )
        elif m.kind == "due":
            out.append(
                f'<line x1="{_n(x)}" y1="{top + 4}" x2="{_n(x)}" y2="{top + LANE - 4}" '
                f'class="due">{tip}</line>'
            )
        elif m.kind == "extended" and m.until is not None:
            x2 = min(scale.mid(m.until), scale.x(scale.last) - 2)
            out.append(
                f'<path d="M {_n(x)} {top + 8} Q {_n((x + x2) / 2)} {top - 6} '
                f'{_n(x2 - 2)} {top + 8}" '
                f'class="extension" marker-end="url(#ext-arrow)">{tip}</path>'
            )
        else:
            out.append(
                f'<text x="{_n(x)}" y="{mid + 5}" class="mark mark-{m.kind}">'
                f"{_SYMBOL.get(m.kind, '*')}{tip}</text>"
            )
    return out


_SYMBOL = {
    "met": "\u2714", "early": "\u2714", "missed": "\u2716", "expired": "\u25a0",
    "enforced": "\u25c6", "waived": "\u25cb", "dropped": "\u2013", "set": "\u25b6",
    "anchored": "\u25b7",
}  # fmt: skip


def _legend(y: int, width: int, chart: Sequence[Lane]) -> list[str]:
    states: dict[str, str] = {}
    for lane in chart:
        if lane.kind == "document":
            for seg in lane.segments:
                states.setdefault(seg.state, seg.colour)
    swatches = [
        (f'<rect x="-6" y="-10" width="14" height="11" fill="{colour}"/>', f"document {state}")
        for state, colour in states.items()
    ]
    items = [
        ('<circle cx="0" cy="-4" r="4" fill="#1f2937"/>', "event, confirmed"),
        ('<circle cx="0" cy="-4" r="4" fill="#ffffff" stroke="#1f2937"/>', "event, claimed"),
        ('<circle cx="0" cy="-4" r="4" fill="#f59e0b"/>', "event, disputed"),
        (
            '<rect x="-6" y="-9" width="14" height="10" fill="url(#hatch)" stroke="#374151"/>',
            "date imprecise (range)",
        ),
        ('<line x1="0" y1="-10" x2="0" y2="2" class="due"/>', "due date"),
        ('<path d="M -8 0 Q 0 -12 8 0" class="extension"/>', "extension"),
        ('<text x="0" y="0" class="mark mark-met">\u2714</text>', "met"),
        ('<text x="0" y="0" class="mark mark-missed">\u2716</text>', "missed"),
        ('<text x="0" y="0" class="mark mark-expired">\u25a0</text>', "expired"),
        ('<text x="0" y="0" class="mark mark-enforced">\u25c6</text>', "enforced"),
        ('<rect x="-6" y="-10" width="14" height="11" fill="#fde68a"/>', "deadline pending"),
        ('<rect x="-6" y="-10" width="14" height="11" fill="#fecaca"/>', "deadline missed"),
        *swatches,
    ]
    out = [f'<g class="legend" transform="translate({LEFT - 200} {y})">']
    x = 0
    step = (width - LEFT) // 5
    for i, (icon, text) in enumerate(items):
        col, row = i % 6, i // 6
        x = col * max(step, 150)
        out.append(
            f'<g transform="translate({x} {row * 20})">{icon}'
            f'<text x="12" y="0" class="legend-label">{xml_text(text)}</text></g>'
        )
    out.append("</g>")
    return out


STYLE = """
svg.timeline text { font-family: Helvetica, Arial, sans-serif; font-size: 11px; }
svg.timeline .lane-bg { fill: #f9fafb; stroke: #e5e7eb; }
svg.timeline .lane-label { text-anchor: end; font-size: 12px; fill: #111827; }
svg.timeline .tick { stroke: #e5e7eb; stroke-width: 1; }
svg.timeline .tick.major { stroke: #9ca3af; }
svg.timeline .tick-label { fill: #6b7280; font-size: 9px; }
svg.timeline .tick.major-label { fill: #111827; font-weight: bold; }
svg.timeline .horizon { stroke: #111827; stroke-width: 1.5; stroke-dasharray: 5 4; }
svg.timeline .horizon-label { font-size: 10px; fill: #111827; text-anchor: end; }
svg.timeline .beyond { fill: #e5e7eb; opacity: 0.6; }
svg.timeline .segment { stroke: #ffffff; stroke-width: 1; }
svg.timeline .seg-label { font-size: 10px; fill: #111827; }
svg.timeline .event-dot { stroke: #1f2937; stroke-width: 1.2; }
svg.timeline .blocked-mark { fill: #b91c1c; font-weight: bold; text-anchor: middle; }
svg.timeline .due { stroke: #b45309; stroke-width: 2.5; }
svg.timeline .extension { fill: none; stroke: #7c3aed; stroke-width: 2; }
svg.timeline .mark { text-anchor: middle; font-size: 14px; }
svg.timeline .mark-met, svg.timeline .mark-early { fill: #15803d; }
svg.timeline .mark-missed, svg.timeline .mark-enforced { fill: #b91c1c; }
svg.timeline .mark-expired { fill: #111827; }
svg.timeline .mark-waived, svg.timeline .mark-dropped { fill: #6b7280; }
svg.timeline .mark-set, svg.timeline .mark-anchored { fill: #b45309; font-size: 11px; }
svg.timeline .legend-label { font-size: 11px; fill: #374151; }
"""
