"""The report: one self-contained page (HTML or Markdown) about one run.

Sections: the timeline chart (``timeline.svg``: a swimlane per document and deadline
on a date-scaled axis), the positions matrix over time, the deadlines at the end, the
outcome chart (given explore or sample results), the trace with every entry's source
and claim status, and the labelled assumptions.

The HTML page loads nothing: no network, no fonts, no external scripts or styles. Its
one inline script only measures the drawn chart (it marks the chart with the number of
lanes that have a size, so a headless browser test can tell the chart was laid out).
The Markdown page draws the timeline as a Mermaid gantt chart and the outcomes as a
Mermaid pie, so code-hosting sites render them.

Results (``--results``): the JSON that ``explore`` or ``sample`` print with ``--format
json`` (``{"outcomes": [{"label": NAME, "count": N, "low": .., "high": ..}, ...]}``; a
sample's ``low``/``high`` interval is drawn as a whisker), or the simple shape
``{"outcomes": {"NAME": COUNT, ...}}``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import negotiation
from negotiation.model.deadlines import LIVE_STATUSES
from negotiation.model.scenario import Scenario
from negotiation.model.trace import ExpectationResult, TraceEntry
from negotiation.render import timeline, views
from negotiation.render.escape import code_span, markdown_text, mermaid_name, xml_text
from negotiation.runtime.engine import Engine
from negotiation.teach.script import Frame


@dataclass(frozen=True)
class ReportData:
    scenario: Scenario
    branch: str | None
    start: dt.date
    end: dt.date
    horizon: dt.date | None
    entries: tuple[TraceEntry, ...]
    lanes: tuple[timeline.Lane, ...]
    axis_end: dt.date
    columns: tuple[dt.date, ...]
    positions: tuple[tuple[str, str, tuple[str, ...]], ...]
    stance_conditions: tuple[views.Row, ...]
    deadlines: tuple[views.Row, ...]
    expectations: tuple[ExpectationResult, ...]
    assumptions: tuple[tuple[str, str], ...]
    outcomes: tuple[OutcomeRow, ...] | None = None
    not_yet: tuple[views.Row, ...] = ()
    """The entries that may not yet have happened by the close of ``end``
    (``views.not_yet_certain``)."""

    def not_yet_seqs(self) -> set[int]:
        return {r["seq"] for r in self.not_yet}

    @classmethod
    def build(
        cls,
        engine: Engine,
        frames: tuple[Frame, ...],
        branch: str | None,
        end: dt.date,
        outcomes: tuple[OutcomeRow, ...] | None = None,
    ) -> ReportData:
        entries = tuple(e for f in frames for e in f.entries)
        start = frames[0].date
        horizon = engine.horizon(branch)
        columns, positions = _positions(frames)
        expectations = engine.run(branch).expectations if end >= (horizon or end) else ()
        final = frames[-1].state
        dues = [
            ds.due + dt.timedelta(days=2)
            for ds in final.deadlines.values()
            if ds.status in LIVE_STATUSES and ds.due is not None
        ]
        return cls(
            scenario=engine.scenario,
            branch=branch,
            start=start,
            end=end,
            horizon=horizon,
            entries=entries,
            lanes=tuple(timeline.lanes(engine, entries, branch, start, end)),
            axis_end=max([end, *dues]),
            columns=columns,
            positions=positions,
            stance_conditions=tuple(views.stance_condition_rows(final)),
            deadlines=tuple(views.deadline_rows(engine.scenario, frames[-1].state)),
            expectations=tuple(expectations),
            assumptions=tuple(engine.assumptions()),
            outcomes=outcomes,
            not_yet=tuple(views.not_yet_certain([views.entry_row(e) for e in entries], end)),
        )


def _positions(
    frames: tuple[Frame, ...],
) -> tuple[tuple[dt.date, ...], tuple[tuple[str, str, tuple[str, ...]], ...]]:
    """Dates on which any stance changed (and the start), and each (party, target) with
    its stance at the close of each of them."""
    at: dict[dt.date, dict[str, str]] = {}
    for f in frames:
        at[f.date] = {k: p.stance for k, p in f.state.positions.items()}
    first = frames[0].date
    columns = [first]
    previous = at[first]
    for day in sorted(at):
        if day != first and at[day] != previous:
            columns.append(day)
        previous = at[day]
    keys = sorted({k for stances in at.values() for k in stances})
    rows = []
    for key in keys:
        party, target = key.split("|", 1)
        rows.append((party, target, tuple(at[d].get(key, "unknown") for d in columns)))
    return tuple(columns), tuple(rows)


@dataclass(frozen=True)
class OutcomeRow:
    """One outcome: how many runs or end states had it, and (from ``sample``) its share
    with a confidence interval."""

    label: str
    count: int
    low: float | None = None
    high: float | None = None


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _count(value: object) -> int | None:
    """A count: a finite whole number from 0 to ``MAX_COUNT`` (None otherwise)."""
    if not _number(value):
        return None
    assert isinstance(value, int | float)
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        return None
    return int(value) if 0 <= value <= MAX_COUNT else None


def _share(value: object) -> float | None:
    """A share from 0 to 1 (None if it is not one)."""
    if not _number(value):
        return None
    assert isinstance(value, int | float)
    return float(value) if math.isfinite(value) and 0 <= value <= 1 else None


MAX_COUNT = 10**15
"""The largest count an outcome may have (more than any run could make)."""

_SHAPES = (
    'expected {"outcomes": {"NAME": COUNT, ...}} or {"outcomes": [{"label": NAME, '
    '"count": N}, ...]} (the JSON of explore or sample --format json)'
)


def outcome_rows(data: Any) -> tuple[OutcomeRow, ...]:
    """Outcome rows from explore or sample JSON (see the module docstring). A count must
    be a whole number from 0 to ``MAX_COUNT``, an interval's ends shares from 0 to 1."""
    items = data.get("outcomes") if isinstance(data, dict) else data
    if isinstance(items, dict) and all(_number(v) for v in items.values()):
        pairs = [(str(k), v) for k, v in items.items()]
        bounds: list[tuple[float | None, float | None]] = [(None, None)] * len(pairs)
    elif isinstance(items, list) and all(isinstance(x, dict) for x in items):
        pairs, bounds = [], []
        for x in items:
            name = next((x[k] for k in ("outcome", "name", "label") if k in x), None)
            count = next((x[k] for k in ("count", "n", "runs") if k in x), None)
            if name is None or count is None or not _number(count):
                raise ValueError(_SHAPES)
            pairs.append((str(name), count))
            low, high = _share(x.get("low")), _share(x.get("high"))
            bounds.append((low, high) if low is not None and high is not None else (None, None))
    else:
        raise ValueError(_SHAPES)
    out = []
    for n, ((name, value), (low, high)) in enumerate(zip(pairs, bounds, strict=True), 1):
        count = _count(value)
        if count is None:
            raise ValueError(
                f"outcome {n} has the count {str(value)[:30]}: expected a whole number "
                f"from 0 to {MAX_COUNT:,}"
            )
        out.append(OutcomeRow(name, count, low, high))
    return tuple(out)


# -- HTML --------------------------------------------------------------------------------------

PAGE_STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 24px; color: #111827; max-width: 1240px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; }
p.meta, p.note { color: #374151; font-size: 13px; margin: 4px 0; }
table { border-collapse: collapse; font-size: 12px; margin-top: 6px; }
th, td { border: 1px solid #e5e7eb; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f3f4f6; }
td.claimed { color: #92400e; } td.disputed { color: #b91c1c; font-weight: bold; }
td.stance-unknown { color: #9ca3af; }
ul.small, td ul { margin: 0; padding-left: 16px; font-size: 12px; }
"""

MEASURE = """
(function () {
  var chart = document.getElementById("timeline-chart");
  if (!chart) { return; }
  var lanes = chart.querySelectorAll("g.swimlane"), drawn = 0;
  for (var i = 0; i < lanes.length; i++) {
    var box = lanes[i].getBBox();
    if (box.width > 0 && box.height > 0) { drawn += 1; }
  }
  chart.setAttribute("data-lanes-drawn", String(drawn));
})();
"""


def _cell(value: object, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<td{attr}>{xml_text(str(value))}</td>"


def _title(data: ReportData) -> str:
    s = data.scenario
    return f"{s.title}" + (" (illustrative)" if s.illustrative else "")


def html(data: ReportData) -> str:
    """The report as one self-contained HTML page."""
    s = data.scenario
    branch = views.branch_label(data.branch)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{xml_text(_title(data))}: report</title>",
        f"<style>{PAGE_STYLE}{timeline.STYLE}</style></head><body>",
        f"<h1>{xml_text(_title(data))}</h1>",
        f'<p class="meta">scenario <code>{xml_text(s.id)}</code>, branch <code>{xml_text(branch)}'
        f"</code>, from {data.start} to the close of {data.end}</p>",
        '<p class="note">Every event is shown with its source and claim status (confirmed, '
        "claimed, disputed); judgements are attributed to whoever made them. Dates marked ~ "
        "are inferred; hatched bars are date ranges.</p>",
        '<h2 id="timeline">Timeline</h2>',
        timeline.svg(data.lanes, data.start, data.end, data.horizon, data.axis_end),
        _positions_html(data),
        _deadlines_html(data),
        _not_yet_html(data),
    ]
    if data.outcomes is not None:
        parts += ['<h2 id="outcomes">Outcomes</h2>', outcome_svg(data.outcomes)]
    parts += [_trace_html(data), _expectations_html(data), _assumptions_html(data)]
    parts += [
        f'<p class="meta">negotiation {negotiation.__version__}; this page loads no network '
        "resources.</p>",
        f"<script>{MEASURE}</script>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _positions_html(data: ReportData) -> str:
    if not data.positions:
        return '<h2 id="positions">Positions over time</h2><p class="meta">none recorded</p>'
    head = "".join(f"<th>{d}</th>" for d in data.columns)
    rows = [
        f"<tr>{_cell(p)}{_cell(t)}" + "".join(_cell(x, f"stance-{x}") for x in stances) + "</tr>"
        for p, t, stances in data.positions
    ]
    return (
        '<h2 id="positions">Positions over time</h2><p class="meta">stance at the close of '
        "each day on which a stance changed</p>"
        f"<table><tr><th>party</th><th>on</th>{head}</tr>{''.join(rows)}</table>"
        + _stance_conditions_html(data)
    )


def _stance_conditions_html(data: ReportData) -> str:
    if not data.stance_conditions:
        return ""
    items = "".join(
        f"<li>{xml_text(r['party'])} {xml_text(r['stance'])} {xml_text(r['target'])}, on these "
        "conditions:<ul>" + "".join(f"<li>{xml_text(c)}</li>" for c in r["conditions"])
        + "</ul></li>"
        for r in data.stance_conditions
    )
    return (
        f'<h3 id="stance-conditions">Conditions of stances at the close of {data.end}</h3>'
        f'<ul class="small">{items}</ul>'
    )


def _deadlines_html(data: ReportData) -> str:
    rows = []
    for d in data.deadlines:
        ext = "; ".join(f"{x['from']} -> {x['to']} (on {x['on']})" for x in d["extensions"])
        rows.append(
            f"<tr>{_cell(d['id'])}{_cell(d['kind'])}{_cell(d['status'])}{_cell(d['due'] or '-')}"
            f"{_cell(d['resolved_on'] or '-')}{_cell(d['set_by'] or '-')}{_cell(ext or '-')}</tr>"
        )
    return (
        f'<h2 id="deadlines">Deadlines at the close of {data.end}</h2><table><tr><th>deadline'
        "</th><th>kind</th><th>status</th><th>due</th><th>resolved</th><th>set by</th>"
        f"<th>extensions</th></tr>{''.join(rows)}</table>"
    )


def _not_yet_html(data: ReportData) -> str:
    if not data.not_yet:
        return ""
    items = "".join(f"<li>{xml_text(views.not_yet_line(r))}</li>" for r in data.not_yet)
    return (
        f'<h2 id="not-yet">{xml_text(views.not_yet_heading(data.end))}</h2>'
        f'<p class="note">{NOT_YET_NOTE}</p><ul>{items}</ul>'
    )


NOT_YET_NOTE = (
    "Dated by a range or a month that runs past this day: each is ordered at its first "
    "day, so the positions and deadlines above count it. Marked * in the trace."
)


def _trace_html(data: ReportData) -> str:
    rows = []
    later = data.not_yet_seqs()
    for e in data.entries:
        status = e.attribution.status.value if e.attribution else ""
        source = e.attribution.display() if e.attribution else "(the engine)"
        label = views.reason_label(e.kind)
        details = [c.display() for c in e.changes] + [f"{label}: {r}" for r in e.reasons]
        if e.assumption:
            details.append(f"assumption: {e.assumption}")
        items = "".join(f"<li>{xml_text(x)}</li>" for x in details)
        rows.append(
            f"<tr>{_cell(_date(e, later))}{_cell(views.entry_label(e))}"
            f"{_cell(e.summary)}{_cell(', '.join(e.by))}{_cell(source)}{_cell(status, status)}"
            f"<td><ul>{items}</ul></td></tr>"
        )
    return (
        '<h2 id="trace">Trace</h2><table><tr><th>date</th><th>kind</th><th>what</th>'
        "<th>who</th><th>source</th><th>claim status</th><th>changes and reasons</th></tr>"
        f"{''.join(rows)}</table>"
    )


def _date(e: TraceEntry, later: set[int]) -> str:
    """An entry's date as shown (``~`` inferred), ``*`` if it may not yet have happened."""
    return f"{e.date_display} *" if e.seq in later else e.date_display


def _expectations_html(data: ReportData) -> str:
    if not data.expectations:
        return ""
    written = views.expectation_dates(data.scenario, data.branch)
    items = "".join(
        f"<li>{'met' if x.ok else 'FAILED'} "
        f"{xml_text(written.get((x.at, x.that, x.summary), x.at.isoformat()))}: "
        f"<code>{xml_text(x.that)}</code></li>"
        for x in data.expectations
    )
    return f'<h2 id="expectations">Expectations</h2><ul class="small">{items}</ul>'


def _assumptions_html(data: ReportData) -> str:
    items = "".join(f"<li><b>{xml_text(w)}</b>: {xml_text(a)}</li>" for w, a in data.assumptions)
    return f'<h2 id="assumptions">Labelled assumptions</h2><ul class="small">{items}</ul>'


def outcome_svg(rows: tuple[OutcomeRow, ...], width: int = 1000) -> str:
    """Outcomes as bars, most frequent first: the label above its bar, the count and
    share beside it, and a sample's confidence interval as a whisker."""
    ordered = sorted(rows, key=lambda r: (-r.count, r.label))
    total = sum(r.count for r in rows) or 1
    left, step, bar = 10, 44, 16
    span = width - left - 150
    height = len(ordered) * step + 10
    parts = [
        f'<svg id="outcome-chart" class="outcomes" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img"><title>outcomes</title>'
    ]
    for i, r in enumerate(ordered):
        y = 6 + i * step
        w = span * r.count / total
        parts.append(
            f'<g class="outcome"><text x="{left}" y="{y + 11}" font-size="12">{xml_text(r.label)}'
            f'</text><rect x="{left}" y="{y + 16}" width="{w:.1f}" height="{bar}" fill="#60a5fa"/>'
            f'<text x="{left + w + 8:.1f}" y="{y + 29}" font-size="12">{r.count} '
            f"({100 * r.count / total:.0f}%)</text>"
        )
        if r.low is not None and r.high is not None:
            x1, x2, yy = left + span * r.low, left + span * r.high, y + 16 + bar / 2
            parts.append(
                f'<path d="M {x1:.1f} {yy - 5} v 10 M {x1:.1f} {yy} H {x2:.1f} M {x2:.1f} '
                f'{yy - 5} v 10" stroke="#1e3a8a" stroke-width="1.5" fill="none">'
                f"<title>95% interval {r.low:.2f} to {r.high:.2f}</title></path>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


# -- Markdown ----------------------------------------------------------------------------------


def _gantt(data: ReportData) -> list[str]:
    lines = [
        "```mermaid",
        "gantt",
        f"    title {mermaid_name(data.scenario.title)}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %d %b",
    ]
    n = 0
    for lane in data.lanes:
        if lane.kind == "events":
            continue
        lines.append(f"    section {mermaid_name(lane.id)}")
        for seg in lane.segments:
            n += 1
            tag = "active, " if lane.kind == "document" else ""
            if seg.state in ("missed", "expired", "enforced"):
                tag = "crit, "
            lines.append(f"    {mermaid_name(seg.state)} :{tag}t{n}, {seg.start}, {seg.end}")
            if seg.uncertain is not None:
                n += 1
                u0, u1 = seg.uncertain
                lines.append(
                    f"    date range for {mermaid_name(seg.state)} :done, t{n}, {u0}, "
                    f"{u1 + dt.timedelta(days=1)}"
                )
        for m in lane.marks:
            if m.kind in ("due", "met", "missed", "expired", "enforced", "waived"):
                n += 1
                crit = "crit, " if m.kind in ("missed", "expired", "enforced") else ""
                lines.append(f"    {mermaid_name(m.text)} :milestone, {crit}t{n}, {m.day}, 0d")
    lines.append("```")
    return lines


def _md(text: object) -> str:
    """Text shown as written in Markdown (``escape.markdown_text``), on one line."""
    return markdown_text(str(text))


def markdown(data: ReportData) -> str:
    """The report as Markdown, with Mermaid blocks for the charts."""
    s = data.scenario
    lines = [
        f"# {_md(_title(data))}",
        "",
        f"scenario {code_span(s.id)}, branch {code_span(views.branch_label(data.branch))}, "
        f"from {data.start} "
        f"to the close of {data.end}.",
        "",
        "> Every event is shown with its source and claim status (confirmed, claimed, "
        "disputed); judgements are attributed to whoever made them. Dates marked ~ are "
        "inferred; date ranges appear as their own bars.",
        "",
        "## Timeline",
        "",
        *_gantt(data),
        "",
        "## Positions over time",
        "",
        "| party | on | " + " | ".join(str(d) for d in data.columns) + " |",
        "|---|---|" + "---|" * len(data.columns),
    ]
    lines += [
        f"| {_md(p)} | {_md(t)} | " + " | ".join(_md(v) for v in x) + " |"
        for p, t, x in data.positions
    ]
    lines += ["", f"## Deadlines at the close of {data.end}", ""]
    lines += ["| deadline | status | due | resolved | extensions |", "|---|---|---|---|---|"]
    for d in data.deadlines:
        ext = "; ".join(f"{x['from']} -> {x['to']}" for x in d["extensions"]) or "-"
        lines.append(
            f"| {_md(d['id'])} | {_md(d['status'])} | {d['due'] or '-'} | "
            f"{d['resolved_on'] or '-'} | {_md(ext)} |"
        )
    if data.not_yet:
        lines += ["", f"## {views.not_yet_heading(data.end)}", "", NOT_YET_NOTE, ""]
        lines += [f"- {_md(views.not_yet_line(r))}" for r in data.not_yet]
    if data.outcomes is not None:
        lines += ["", "## Outcomes", "", "```mermaid", "pie title Outcomes"]
        lines += [f'    "{mermaid_name(r.label)}" : {r.count}' for r in data.outcomes]
        lines += ["```", "", "| outcome | count | 95% interval |", "|---|---|---|"]
        for r in data.outcomes:
            ci = f"{r.low:.2f} to {r.high:.2f}" if r.low is not None and r.high is not None else ""
            lines.append(f"| {_md(r.label)} | {r.count} | {ci} |")
    lines += ["", "## Trace", "", "| date | kind | what | who | source | status | changes |"]
    lines.append("|---|---|---|---|---|---|---|")
    later = data.not_yet_seqs()
    for e in data.entries:
        source = e.attribution.display() if e.attribution else "(the engine)"
        status = e.attribution.status.value if e.attribution else ""
        label = views.reason_label(e.kind)
        changes = "; ".join([c.display() for c in e.changes] + [f"{label}: {r}" for r in e.reasons])
        lines.append(
            f"| {_md(_date(e, later))} | {_md(views.entry_label(e))} | "
            f"{_md(e.summary)} | {_md(', '.join(e.by))} | {_md(source)} | {_md(status)} | "
            f"{_md(changes)} |"
        )
    lines += ["", "## Labelled assumptions", ""]
    lines += [f"- **{_md(w)}**: {_md(a)}" for w, a in data.assumptions]
    return "\n".join(lines) + "\n"
