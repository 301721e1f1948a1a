"""``show`` (the state on a day, or the labelled assumptions) and ``why`` (a move's check)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from negotiation.analysis.standing import standings
from negotiation.cli.common import (
    DEFAULT_SCENARIO,
    AtOpt,
    BranchOpt,
    Format,
    FormatOpt,
    ScenarioOpt,
    branch_id,
    check_not_before_start,
    load_engine,
    out,
    parse_date,
)
from negotiation.render import analysis, jsonout, text, views
from negotiation.runtime.notation import format_move, parse_move


def show(
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    at: Annotated[
        dt.date | None,
        typer.Option(
            "--at",
            metavar="YYYY-MM-DD",
            parser=parse_date,
            help="The day (default: the end of the run).",
        ),
    ] = None,
    branch: BranchOpt = None,
    assumptions: Annotated[
        bool, typer.Option("--assumptions", help="List every labelled assumption instead.")
    ] = False,
    fmt: FormatOpt = Format.text,
) -> None:
    """Show documents, positions, relations, facts and deadlines at the close of a day;
    with interests, each party's utility of each document's current text (agreed
    options, else the offer on the table; open points give a range) against its BATNA."""
    engine = load_engine(scenario)
    if assumptions:
        found = engine.assumptions()
        if fmt is Format.json:
            jsonout.write(jsonout.assumptions_doc(engine.scenario, found), out())
        else:
            text.assumptions(
                ({"where": w, "assumption": a} for w, a in found), engine.scenario, out()
            )
        return
    b = branch_id(engine, branch)
    trace = engine.run(b, until=at)
    day = at or trace.final.date
    check_not_before_start(trace.start, day, "--at")
    rows = standings(engine, trace.final) if engine.scenario.interests else []
    if fmt is Format.json:
        doc = jsonout.state_doc(engine.scenario, trace.final, day, b)
        if rows:  # only a scenario with interests has them (others' JSON is unchanged)
            doc["standings"] = analysis.standings_doc(rows)
        jsonout.write(doc, out())
    else:
        not_yet = views.not_yet_certain(views.timeline_rows(trace), day)
        text.state(engine.scenario, trace.final, day, b, out(), not_yet)
        if rows:
            analysis.standings(rows, out())


def why(
    move: Annotated[
        str, typer.Argument(metavar="MOVE", help="A move, e.g. 'ukraine signs twenty_point_plan'.")
    ],
    at: AtOpt,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    branch: BranchOpt = None,
    fmt: FormatOpt = Format.text,
) -> None:
    """Say whether a move is allowed on a day (ALLOWED/BLOCKED) and every reason if not.

    The move is checked against the state at the close of the day. Exits 0 either way.
    """
    engine = load_engine(scenario)
    b = branch_id(engine, branch)
    event = parse_move(move, engine.scenario, at)
    trace = engine.run(b, until=at)
    check_not_before_start(trace.start, at, "--at")
    reasons = engine.check(trace.final, event)
    canonical = format_move(event)
    if fmt is Format.json:
        jsonout.write(jsonout.why_doc(canonical, at, reasons), out())
    else:
        text.why(canonical, at, reasons, b, trace.final.date, out())
