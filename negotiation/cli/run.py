"""``run`` (one timeline) and ``diff`` (two timelines side by side)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, TextIO

import typer

from negotiation.cli.common import (
    BASE,
    DEFAULT_SCENARIO,
    BranchOpt,
    Format,
    FormatOpt,
    RunFormat,
    SaveOpt,
    ScenarioOpt,
    branch_id,
    check_not_before_start,
    complete_branch,
    load_engine,
    out,
    parse_date,
)
from negotiation.model.scenario import Scenario
from negotiation.model.trace import Trace
from negotiation.render import jsonout, markdown, text, views

EXPECTATION_FAILED = 1


def _branch_argument(metavar: str) -> Any:
    return typer.Argument(
        metavar=metavar, autocompletion=complete_branch, help=f"A branch, or '{BASE}'."
    )


def run(
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    until: Annotated[
        dt.date | None,
        typer.Option(
            "--until",
            metavar="YYYY-MM-DD",
            parser=parse_date,
            help="Stop at the close of this day (default: the horizon).",
        ),
    ] = None,
    branch: BranchOpt = None,
    fmt: Annotated[
        RunFormat,
        typer.Option(
            "--format",
            "-f",
            help="Output format; jsonl: one trace entry a line, then a last line of kind "
            "'result' with the expectations, violations and ok.",
        ),
    ] = RunFormat.text,
    save: SaveOpt = None,
) -> None:
    """Run the timeline: events, deadlines, rules and expectations, day by day.

    Exits 1 if an expectation failed.
    """
    engine = load_engine(scenario)
    trace = engine.run(branch_id(engine, branch), until=until)
    if until is not None:
        check_not_before_start(trace.start, until, "--until")
    if save is not None:
        from negotiation.cli import saving  # noqa: PLC0415 - sessions only when saving one

        saving.save_run(save, engine, saving.scenario_ref(scenario), trace)
    write_trace(trace, engine.scenario, fmt, out())
    if not trace.ok:
        raise typer.Exit(EXPECTATION_FAILED)


def write_trace(trace: Trace, scenario: Scenario, fmt: RunFormat, stream: TextIO) -> None:
    """A run in the format asked for (``run`` and a resumed run)."""
    if fmt is RunFormat.json:
        jsonout.write(jsonout.trace_doc(trace, scenario), stream)
    elif fmt is RunFormat.jsonl:
        jsonout.write_lines(jsonout.trace_lines(trace, scenario), stream)
    elif fmt is RunFormat.markdown:
        stream.write(markdown.timeline(trace, scenario))
    else:
        text.timeline(trace, scenario, stream)


def diff(
    branch_a: Annotated[str, _branch_argument("BRANCH_A")],
    branch_b: Annotated[str, _branch_argument("BRANCH_B")],
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    fmt: FormatOpt = Format.text,
) -> None:
    """Compare two timelines side by side, and their states day by day.

    For every day on which anything happened in either timeline, lists how the state
    at the close of that day differs (documents, positions, deadlines, relations, facts).
    """
    engine = load_engine(scenario)
    a, b = branch_id(engine, branch_a, "BRANCH_A"), branch_id(engine, branch_b, "BRANCH_B")
    trace_a, trace_b = engine.run(a), engine.run(b)
    rows_a = [r for r in views.timeline_rows(trace_a) if r["kind"] != "beyond_horizon"]
    rows_b = [r for r in views.timeline_rows(trace_b) if r["kind"] != "beyond_horizon"]
    days = sorted({dt.date.fromisoformat(r["date"]) for r in rows_a + rows_b})
    dates = []
    for day in days:
        state_a = engine.run(a, until=day).final
        state_b = engine.run(b, until=day).final
        dates.append((day.isoformat(), views.state_diff(engine.scenario, state_a, state_b)))
    if fmt is Format.json:
        jsonout.write(
            jsonout.diff_doc(engine.scenario, branch_a, branch_b, rows_a, rows_b, dates), out()
        )
    else:
        text.diff(branch_a, branch_b, rows_a, rows_b, dates, engine.scenario, out())
