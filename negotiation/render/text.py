"""Text output with rich: readable on a terminal, plain and 100 columns wide when piped.

User text (names, summaries, reasons) never goes through rich markup: the console is
built with ``markup=False`` and styled pieces are ``Text`` objects. Nor does it reach the
terminal raw: the console passes every piece of text it renders through
``escape.visible`` (a control character prints as a visible stand-in), and the page is
drawn with ASCII rules when the stream's encoding has no box-drawing characters.

Tables and the timeline wrap their cells to the width. A line that is one record (a
header, a status such as ``OK path`` or ``INVALID path (3 problems)``, a located problem
``file:line:column: ...``, an error) is printed by ``_line``: never wrapped, so a path
or a location can be copied whole, however deep the folder and narrow the terminal.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from rich import box
from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from negotiation.model.scenario import Scenario
from negotiation.model.state import State
from negotiation.model.trace import Trace
from negotiation.render import views
from negotiation.render.escape import rendered, visible

PIPE_WIDTH = 100

_LABEL_STYLE = {
    "EVENT": "bold cyan",
    "BLOCKED": "bold red",
    "DEADLINE": "bold yellow",
    "EXTENSION": "bold magenta",
    "WINDOW": "bold blue",
    "RULE": "bold green",
    "BEYOND": "dim",
}


def _is_tty(file: TextIO) -> bool:
    isatty = getattr(file, "isatty", None)
    return bool(isatty()) if callable(isatty) else False


class _Console(Console):
    """A console whose rendered text goes through ``visible`` (its own control
    segments, such as cursor moves, are left alone)."""

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterator[Segment]:
        for seg in super().render(renderable, options):
            if seg.control is None and seg.text:
                text = visible(seg.text)
                yield seg if text is seg.text else Segment(text, seg.style)
            else:
                yield seg


class _Page(io.StringIO):
    """The buffer a page is drawn into, with the encoding of the stream it goes to (rich
    draws ASCII rules when that encoding is not a UTF)."""

    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding


def _encoding(file: TextIO) -> str:
    """The stream's encoding as rich reads it: ``utf-8`` if it can draw box rules."""
    name = getattr(file, "encoding", None) or "utf-8"
    try:
        "─│".encode(name)
    except (UnicodeEncodeError, LookupError):
        return "ascii"
    return "utf-8"


@contextmanager
def output(file: TextIO) -> Iterator[Console]:
    """A console drawing a page for ``file``: styled for a terminal; otherwise plain
    text, 100 columns wide, trailing spaces stripped, so piped output is stable. The
    page is written at the end, in one piece (so an output bound refuses it whole)."""
    options: dict[str, Any] = {"markup": False, "highlight": False, "emoji": False}
    page = _Page(_encoding(file))
    if _is_tty(file):
        probe = Console(file=rendered(file))
        console = _Console(
            file=page,
            width=probe.width,
            force_terminal=True,
            color_system=probe.color_system,  # type: ignore[arg-type]
            **options,
        )
        yield console
        text = page.getvalue()
    else:
        yield _Console(
            file=page, width=PIPE_WIDTH, force_terminal=False, color_system=None, **options
        )
        text = "".join(line.rstrip() + "\n" for line in page.getvalue().splitlines())
    rendered(file).write(text)


def error(message: str, file: TextIO, *notes: str) -> None:
    """An error for stderr: ``error: MESSAGE``, then each note on a line of its own (the
    usage, where to find help). Printed verbatim, never as markup, and never wrapped, so
    a path or ``file:line:column`` can be copied whole."""
    with output(file) as console:
        _line(console, Text.assemble(("error: ", "bold red"), message))
        for note in notes:
            _line(console, Text(note, style="dim"))


def _line(console: Console, text: Text | str) -> None:
    """One line that is never wrapped (the terminal may fold it; a pipe gets it whole)."""
    console.print(text, soft_wrap=True)


def _heading(console: Console, text: str) -> None:
    console.print()
    _line(console, Text(text, style="bold underline"))


def _table(*columns: str, **kwargs: Any) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, **kwargs)
    for c in columns:
        table.add_column(c, overflow="fold")
    return table


heading = _heading
"""A bold, underlined heading after a blank line (for the other text renderers)."""
simple_table = _table
"""A table with a simple header rule and the given columns (for the other text renderers)."""


def header(scenario: Scenario, console: Console, what: str) -> None:
    title = Text.assemble((scenario.title, "bold"), f" ({scenario.id})")
    if scenario.illustrative:
        title.append("  [illustrative]", style="italic")
    _line(console, title)
    _line(console, Text(what))


# -- run -----------------------------------------------------------------------------------


def _entry_body(row: views.Row) -> Text:
    body = Text(row["summary"], style="bold" if row["kind"] == "event" else "")
    meta: list[str] = []
    if row["by"]:
        meta.append("by " + ", ".join(row["by"]))
    if row["source"]:
        meta.append("source: " + row["source"])
    if row["cause"]:
        meta.append("caused by " + row["cause"])
    if meta:
        body.append("\n" + " | ".join(meta), style="dim")
    if row["assumption"]:
        body.append("\nassumption: " + row["assumption"], style="italic")
    for change in row["changes"]:
        body.append("\n  " + change)
    for reason in row["reasons"]:
        label = views.reason_label(row["kind"])
        body.append(f"\n  {label}: " + reason, style="red" if row["kind"] == "blocked" else "")
    if row["fired"]:
        body.append("\n  then: " + ", ".join(row["fired"]))
    return body


def timeline(trace: Trace, scenario: Scenario, file: TextIO) -> None:
    """The readable timeline of a run, the deadlines at its end and its expectations."""
    with output(file) as console:
        _timeline(console, trace, scenario)


def _timeline(console: Console, trace: Trace, scenario: Scenario) -> None:
    span = f"{trace.start} to {trace.horizon or trace.final.date}"
    header(scenario, console, f"run {span}, branch {views.branch_label(trace.branch)}")
    console.print()
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column()
    last = None
    for row in views.timeline_rows(trace):
        shown = row["date_display"] if row["date_display"] != last else ""
        last = row["date_display"]
        label = Text(row["label"], style=_LABEL_STYLE.get(row["label"], ""))
        grid.add_row(Text(shown), label, _entry_body(row))
    if not trace.entries:
        console.print("(nothing happened)")
    console.print(grid)
    deadlines(scenario, trace.final, console, f"Deadlines at {trace.final.date}")
    expectations(trace, console, scenario)
    violations(trace, scenario, console)


def deadlines(scenario: Scenario, state: State, console: Console, title: str) -> None:
    rows = views.deadline_rows(scenario, state)
    if not rows:
        return
    _heading(console, title)
    table = _table("deadline", "kind", "status", "due", "days left", "notes")
    for r in rows:
        notes = []
        if r["opens"]:
            notes.append(f"opens {r['opens']}")
        if not r["binding"]:
            notes.append("non-binding")
        for x in r["extensions"]:
            how = "conditionally " if x["conditional"] else ""
            late = " after expiry" if x["after_expiry"] else ""
            notes.append(f"{how}extended on {x['on']}{late}: {x['from']} -> {x['to']}")
        if r["resolved_on"]:
            notes.append(f"resolved {r['resolved_on']}")
        left = "" if r["days_left"] is None else str(r["days_left"])
        status = Text(r["status"], style="yellow" if r["live"] else "")
        table.add_row(r["id"], r["kind"], status, r["due"] or "-", left, "; ".join(notes))
    console.print(table)


def expectations(trace: Trace, console: Console, scenario: Scenario | None = None) -> None:
    rows = views.expectation_rows(trace, scenario)
    if not rows:
        return
    _heading(console, "Expectations")
    for r in rows:
        mark = Text("met   ", style="green") if r["ok"] else Text("FAILED", style="bold red")
        line = Text.assemble(mark, f" {r['at_display']}  {r['that']}")
        if r["summary"]:
            line.append(f"  ({r['summary']})", style="dim")
        console.print(line)  # prose: wraps like the tables
        _bullets(console, r["reasons"], "         why: ")
    failed = sum(not r["ok"] for r in rows)
    summary = (
        f"{failed} of {len(rows)} expectations failed"
        if failed
        else f"all {len(rows)} expectations met"
        if len(rows) > 1
        else "the expectation was met"
    )
    _line(console, Text(summary, style="bold red" if failed else "bold green"))


def violations(trace: Trace, scenario: Scenario, console: Console) -> None:
    """Every invariant the run broke (the exit code is 1 then), or that all held."""
    rows = views.violation_rows(trace)
    if not scenario.invariants:
        return
    _heading(console, "Invariants")
    for r in rows:
        line = Text.assemble(
            Text("BROKEN", style="bold red"),
            f" {r['invariant']} on {r['date']} (entry {r['seq']}): {r['condition']}",
        )
        console.print(line)
        _bullets(console, r["reasons"], "         why: ")
    summary = views.invariant_summary(len(rows), len(scenario.invariants))
    _line(console, Text(summary, style="bold red" if rows else "bold green"))


# -- show ------------------------------------------------------------------------------------


def state(
    scenario: Scenario,
    st: State,
    at: dt.date,
    branch: str | None,
    file: TextIO,
    not_yet: list[views.Row] | None = None,
) -> None:
    """Documents, the positions matrix, relations, facts and deadlines of one state;
    ``not_yet``: the entries it counts that may not yet have happened by ``at``
    (``views.not_yet_certain``), listed first."""
    with output(file) as console:
        _state(console, scenario, st, at, branch)
        if not_yet:
            _not_yet(console, not_yet, at)


def _not_yet(console: Console, rows: list[views.Row], day: dt.date) -> None:
    _heading(console, views.not_yet_heading(day))
    _line(
        console,
        Text(
            "Dated by a range or a month that runs past this day: ordered at the first day, "
            "so the state above counts them.",
            style="dim",
        ),
    )
    for row in rows:
        _line(console, Text(f"~ {views.not_yet_line(row)}"))


def _state(
    console: Console, scenario: Scenario, st: State, at: dt.date, branch: str | None
) -> None:
    what = f"state at the close of {st.date}, branch {views.branch_label(branch)}"
    if st.date != at:
        what += f" (asked for {at}; the run stops at {st.date})"
    header(scenario, console, what)
    _heading(console, "Documents")
    rows = views.document_rows(scenario, st)
    versions = any(d["version"] for d in rows)
    docs = _table("document", *(["version"] if versions else []), "state", "points",
                  "signed by", "ratified by")
    for d in rows:
        values = d.get("values", {})
        points = ", ".join(
            f"{p} {s}" + (f" on {values[p]}" if s == "agreed" and p in values else "")
            for p, s in d["points"].items()
        )
        if "offer" in d:
            terms = ", ".join(f"{p} {v}" for p, v in d["offer"]["package"].items())
            points += f"; offer pending by {d['offer']['by']}: {terms}"
            if "to" in d["offer"]:  # a single text: who of those it is put to said yes
                said = ", ".join(d["offer"]["accepted"]) or "nobody"
                points += f" (put to {', '.join(d['offer']['to'])}; accepted by {said})"
        if "points_total" in d:
            points = f"{points or '-'} ({views.points_known_text(d)})"
        docs.add_row(
            d["id"],
            *([d["version"] or "-"] if versions else []),
            d["state"],
            points or "-",
            ", ".join(d["signed_by"]) or "-",
            ", ".join(d["ratified_by"]) or "-",
        )
    console.print(docs)
    texts = [(d["id"], p, t) for d in rows for p, t in d.get("texts", {}).items()]
    if texts:
        _heading(console, "Point texts (as published or amended)")
        for doc_id, p, t in texts:
            _line(console, f"{doc_id}.{p}: {t}")
    _positions(console, views.positions_matrix(scenario, st))
    _stance_conditions(console, views.stance_condition_rows(st))
    _heading(console, "Relations")
    rels = views.relation_rows(st)
    for r in rels:
        since = f" (since {r['since']})" if r["since"] else ""
        _line(console, Text(f"{r['source']} {r['relation']} {r['target']}{since}"))
    if not rels:
        console.print("(none)")
    facts = views.fact_rows(scenario, st)
    if facts:
        _heading(console, "Facts")
        for f in facts:
            value = "true" if f["holds"] else "false"
            since = f" (since {f['since']})" if f["since"] else ""
            _line(console, Text(f"{f['id']}: {value}{since}"))
    deadlines(scenario, st, console, "Deadlines")


def _stance_conditions(console: Console, rows: list[views.Row]) -> None:
    """The conditions attached to stances, one stance a paragraph."""
    if not rows:
        return
    _heading(console, "Conditions of stances")
    for r in rows:
        _line(console, Text(f"{r['party']} {r['stance']} {r['target']}, on these conditions:"))
        _bullets(console, r["conditions"], "  - ")


def _positions(console: Console, matrix: views.Matrix) -> None:
    """The parties x documents matrix when it fits the width, else one line per stance."""
    if not (matrix.parties and matrix.targets):
        return
    _heading(console, "Positions")
    widths = [max(len(p) for p in matrix.parties)]
    widths += [
        max(len(t), *(len(matrix.cells[p][t]) for p in matrix.parties)) for t in matrix.targets
    ]
    if sum(widths) + 3 * len(widths) <= console.width:
        table = _table("party", *matrix.targets)
        for p in matrix.parties:
            cells = [matrix.cells[p][t] for t in matrix.targets]
            table.add_row(p, *(Text("-", style="dim") if c == "unknown" else c for c in cells))
        console.print(table)
        return
    known = [
        (p, t, matrix.cells[p][t])
        for p in matrix.parties
        for t in matrix.targets
        if matrix.cells[p][t] != "unknown"
    ]
    for p, t, stance in known:
        _line(console, Text(f"{p} on {t}: {stance}"))
    if not known:
        console.print(Text("(no stance known)"))


def _bullets(console: Console, lines: Iterable[str], bullet: str) -> None:
    """Lines with a hanging indent under ``bullet``."""
    grid = Table.grid()
    grid.add_column(no_wrap=True)
    grid.add_column()
    for line in lines:
        grid.add_row(bullet, line)
    if grid.row_count:
        console.print(grid)


def assumptions(rows: Iterable[views.Row], scenario: Scenario, file: TextIO) -> None:
    with output(file) as console:
        _assumptions(console, rows, scenario)


def _assumptions(console: Console, rows: Iterable[views.Row], scenario: Scenario) -> None:
    header(scenario, console, "labelled assumptions")
    table = _table("where", "assumption")
    count = 0
    for r in rows:
        table.add_row(r["where"], r["assumption"])
        count += 1
    console.print(table if count else Text("(none)"))


# -- why, diff, validate, list ----------------------------------------------------------------


def why(
    move: str,
    at: dt.date,
    reasons: list[str],
    branch: str | None,
    state_date: dt.date,
    file: TextIO,
) -> None:
    with output(file) as console:
        _why(console, move, at, reasons, branch, state_date)


def _why(
    console: Console,
    move: str,
    at: dt.date,
    reasons: list[str],
    branch: str | None,
    state_date: dt.date,
) -> None:
    verdict = Text("BLOCKED", style="bold red") if reasons else Text("ALLOWED", style="bold green")
    line = Text.assemble(verdict, f": {move} on {at} (branch {views.branch_label(branch)})")
    _line(console, line)
    if state_date != at:
        _line(console, Text(f"checked against the state at {state_date} (the run stops there)"))
    _bullets(console, reasons, "  - ")


def diff(
    a: str,
    b: str,
    rows_a: list[views.Row],
    rows_b: list[views.Row],
    dates: list[tuple[str, list[views.Row]]],
    scenario: Scenario,
    file: TextIO,
) -> None:
    with output(file) as console:
        _diff(console, a, b, rows_a, rows_b, dates, scenario)


def _diff(
    console: Console,
    a: str,
    b: str,
    rows_a: list[views.Row],
    rows_b: list[views.Row],
    dates: list[tuple[str, list[views.Row]]],
    scenario: Scenario,
) -> None:
    header(scenario, console, f"diff {a} vs {b}")
    _heading(console, "Timelines")
    table = _table("date", a, b)
    ga, gb = views.by_date(rows_a), views.by_date(rows_b)
    for day in sorted(ga.keys() | gb.keys()):
        cell_a = Text("\n").join(_short(r) for r in ga.get(day, []))
        cell_b = Text("\n").join(_short(r) for r in gb.get(day, []))
        table.add_row(day, cell_a, cell_b)
    console.print(table)
    _heading(console, "State differences (at the close of each day)")
    for day, diffs in dates:
        if not diffs:
            _line(console, Text(f"{day}: same state", style="dim"))
        else:
            _line(console, Text(day, style="bold"))
            t = _table("", a, b)
            for d in diffs:
                t.add_row(d["what"], d["a"], d["b"])
            console.print(t)
        _diff_not_yet(console, a, b, rows_a, rows_b, dt.date.fromisoformat(day))


def _diff_not_yet(
    console: Console,
    a: str,
    b: str,
    rows_a: list[views.Row],
    rows_b: list[views.Row],
    day: dt.date,
) -> None:
    """Under a day's differences: what either state counts that may not yet have
    happened by then."""
    found: dict[str, list[str]] = {}
    for name, rows in ((a, rows_a), (b, rows_b)):
        for row in views.not_yet_certain(rows, day):
            found.setdefault(views.not_yet_line(row), []).append(name)
    for line, names in found.items():
        _line(console, Text(f"  ~ may not yet have happened ({', '.join(names)}): {line}",
                            style="dim"))


def _short(row: views.Row) -> Text:
    """An entry in a cell of the diff: its kind, its date when that is more than the day
    (``~`` for inferred, a range, a month), and its summary."""
    when = f"{row['date_display']}: " if views.imprecise(row) else ""
    return Text.assemble(
        (row["label"], _LABEL_STYLE.get(row["label"], "")), " ", (when, "italic"), row["summary"]
    )


def validation(results: list[views.Row], file: TextIO) -> None:
    with output(file) as console:
        _validation(console, results)


def _validation(console: Console, results: list[views.Row]) -> None:
    for r in results:
        if r["ok"]:
            _line(console, Text.assemble(("OK", "bold green"), f"  {r['path']}"))
            continue
        n = len(r["problems"])
        _line(
            console,
            Text.assemble(("INVALID", "bold red"), f"  {r['path']} ({n} problem{'s' * (n != 1)})"),
        )
        for p in r["problems"]:
            _line(console, Text(f"  {p['text']}"))


def scenario_list(rows: list[views.Row], file: TextIO) -> None:
    with output(file) as console:
        _scenario_list(console, rows)


def _scenario_list(console: Console, rows: list[views.Row]) -> None:
    if not rows:
        console.print("(no bundled scenarios)")
        return
    for r in rows:
        _line(console, Text(r["name"], style="bold"))
        if r["error"]:
            _line(console, Text(f"  invalid: {r['error']}", style="red"))
            continue
        _line(console, Text(f"  {r['title']}"))
        flag = "illustrative" if r["illustrative"] else "not illustrative"
        facts = f"  id {r['id']} | horizon {r['horizon'] or '-'} | {flag}"
        _line(console, Text(facts, style="dim"))
