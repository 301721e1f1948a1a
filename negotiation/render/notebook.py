"""Traces, states and scenarios as HTML in a notebook: an IPython extension.

In Jupyter or IPython, ``%load_ext negotiation.render.notebook`` registers an HTML
formatter for ``Trace``, ``State`` and ``Scenario``: the last value of a cell then shows
as a compact table (a trace's entries, a state's documents, positions, deadlines and
facts, a scenario's parties, documents and branches) instead of its ``repr``. The models
know nothing of this (the model floor never imports a renderer); the extension tells
IPython how to show them, through its public formatter API
(``display_formatter.formatters["text/html"].for_type``), so no IPython import is
needed here. Every text is escaped (``escape.xml_text``); a long trace shows its first
``MAX_ROWS`` entries and says how many more there are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from negotiation.model.scenario import Scenario
from negotiation.model.state import State
from negotiation.model.trace import Trace
from negotiation.render import views
from negotiation.render.escape import xml_text

MAX_ROWS = 200
"""The most rows a table shows (the rest are counted in a note)."""

_STYLE = (
    "border-collapse:collapse;font-size:12px;margin:4px 0 8px 0",
    "border:1px solid #d1d5db;padding:2px 6px;text-align:left;vertical-align:top",
)


def _table(head: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """An HTML table of escaped cells, at most ``MAX_ROWS`` rows (a note counts the rest)."""
    table, cell = _STYLE
    every = list(rows)
    shown, total = every[:MAX_ROWS], len(every)
    if not shown:
        return '<p style="margin:2px 0;color:#6b7280">none</p>'
    parts = [f'<table style="{table}"><tr>']
    parts += [f'<th style="{cell}">{xml_text(h)}</th>' for h in head]
    parts.append("</tr>")
    for row in shown:
        parts.append("<tr>")
        parts += [f'<td style="{cell}">{xml_text(_text(v))}</td>' for v in row]
        parts.append("</tr>")
    parts.append("</table>")
    if total > len(shown):
        parts.append(f"<p>first {len(shown):,} of {total:,} rows</p>")
    return "".join(parts)


def _text(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "-"
    return str(value)


def _heading(text: str) -> str:
    return f'<p style="margin:6px 0 2px 0;font-weight:bold">{xml_text(text)}</p>'


def _box(parts: Iterable[str]) -> str:
    return '<div class="negotiation">' + "".join(parts) + "</div>"


def trace_html(trace: Trace) -> str:
    """A trace: one line on the run, then its entries (date, kind, what, who, changes),
    and the expectations and invariants that failed."""
    status = "ok" if trace.ok else "NOT ok"
    line = (
        f"Trace of {trace.scenario}, branch {views.branch_label(trace.branch)}, "
        f"{trace.start} to {trace.final.date}: {len(trace.entries):,} entries; {status}"
    )
    rows = (
        (r["date_display"], r["label"], r["summary"], r["by"], "; ".join(r["changes"]))
        for r in views.timeline_rows(trace)
    )
    parts = [_heading(line)]
    parts.append(_table(("date", "kind", "what", "who", "changes"), rows))
    failed = [x for x in views.expectation_rows(trace) if not x["ok"]]
    if failed:
        parts.append(_heading("Expectations not met"))
        unmet = ((x["at"], x["that"], x["reasons"]) for x in failed)
        parts.append(_table(("at", "that", "why not"), unmet))
    if trace.violations:
        parts.append(_heading("Invariants broken"))
        broken = ((v["invariant"], v["date"], v["condition"]) for v in views.violation_rows(trace))
        parts.append(_table(("invariant", "first broken", "condition"), broken))
    return _box(parts)


def state_html(state: State) -> str:
    """A state: its documents, positions, deadlines and facts."""
    when = "at the close of" if state.closed else "during"
    docs = (
        (k, d.state, d.version, d.signed_by, d.ratified_by)
        for k, d in sorted(state.documents.items())
    )
    positions = (
        (*key.split("|", 1), p.stance, p.since) for key, p in sorted(state.positions.items())
    )
    deadlines = (
        (k, d.status.value, d.due, d.opens) for k, d in sorted(state.deadlines.items())
    )
    facts = ((k, since) for k, since in sorted(state.facts.items()))
    return _box(
        [
            _heading(f"State {when} {state.date}"),
            _heading("Documents"),
            _table(("document", "state", "version", "signed by", "ratified by"), docs),
            _heading("Positions"),
            _table(("party", "on", "stance", "since"), positions),
            _heading("Deadlines"),
            _table(("deadline", "status", "due", "opens"), deadlines),
            _heading("Facts"),
            _table(("fact", "true since"), facts),
        ]
    )


def scenario_html(scenario: Scenario) -> str:
    """A scenario: title and summary, its parties, documents and branches."""
    line = (
        f"{scenario.title} ({scenario.id}{', illustrative' if scenario.illustrative else ''}): "
        f"{len(scenario.timeline):,} events from {scenario.start or 'the first event'} to "
        f"{scenario.horizon or 'the last'}"
    )
    parts = [_heading(line)]
    if scenario.summary:
        parts.append(f'<p style="margin:2px 0">{xml_text(scenario.summary)}</p>')
    parts += [
        _heading("Parties"),
        _table(("party", "name", "kind"), ((p.id, p.name, p.kind.value) for p in scenario.parties)),
        _heading("Documents"),
        _table(("document", "title"), ((d.id, d.title) for d in scenario.documents)),
        _heading("Branches"),
        _table(
            ("branch", "summary", "probability"),
            ((b.id, b.summary, b.probability) for b in scenario.branches),
        ),
    ]
    return _box(parts)


FORMATTERS: dict[type, Callable[[Any], str]] = {
    Trace: trace_html,
    State: state_html,
    Scenario: scenario_html,
}
"""The HTML formatter of each model the extension registers."""


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext negotiation.render.notebook``: show traces, states and scenarios as
    HTML tables."""
    html = ipython.display_formatter.formatters["text/html"]
    for cls, render in FORMATTERS.items():
        html.for_type(cls, render)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext negotiation.render.notebook``: back to the plain ``repr``."""
    html = ipython.display_formatter.formatters["text/html"]
    for cls in FORMATTERS:
        html.pop(cls, None)


__all__ = [
    "MAX_ROWS",
    "load_ipython_extension",
    "scenario_html",
    "state_html",
    "trace_html",
    "unload_ipython_extension",
]
