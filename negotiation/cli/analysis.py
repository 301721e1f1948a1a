"""``zopa`` (the zone of possible agreement of a document on a day, or over a range of
days) and ``solve`` (an alternating-offers game by backward induction)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

import typer

from negotiation.analysis.solve import scenario_factors
from negotiation.analysis.solve import solve as solve_game
from negotiation.analysis.zopa import Analysis, documents_with_interests
from negotiation.cli.common import (
    DEFAULT_SCENARIO,
    SCENARIO_ENV,
    BranchOpt,
    Format,
    FormatOpt,
    ScenarioOpt,
    branch_id,
    complete_document,
    complete_scenario,
    load_engine,
    out,
    parse_date,
)
from negotiation.model.errors import AnalysisError
from negotiation.render import analysis as render
from negotiation.render import jsonout
from negotiation.runtime.engine import Engine

_RANGE = re.compile(r"^\s*(\S+?)\s*\.\.\s*(\S+)\s*$")

DocumentOpt = Annotated[
    str | None,
    typer.Option(
        "--document", "-d", metavar="ID", autocompletion=complete_document,
        help="The document (default: the one document the interests value).",
    ),
]  # fmt: skip


def _range(value: str) -> tuple[dt.date, dt.date]:
    match = _RANGE.match(value)
    if match is None:
        raise typer.BadParameter(
            f"expected START..END, two dates as YYYY-MM-DD, got {value!r}", param_hint="'--over'"
        )
    try:
        start, end = parse_date(match.group(1)), parse_date(match.group(2))
    except typer.BadParameter as e:
        raise typer.BadParameter(e.message, param_hint="'--over'") from None
    if end < start:
        raise typer.BadParameter(f"{end} is before {start}", param_hint="'--over'")
    return start, end


def _within(engine: Engine, branch: str | None, day: dt.date, option: str) -> None:
    """A day outside the scenario (before its start, after its horizon) is a usage error."""
    start, horizon = engine.start_date(), engine.horizon(branch)
    if day < start:
        raise typer.BadParameter(f"{day} is before the scenario starts ({start})",
                                 param_hint=f"'{option}'")  # fmt: skip
    if horizon is not None and day > horizon:
        raise typer.BadParameter(f"{day} is after the scenario's horizon ({horizon})",
                                 param_hint=f"'{option}'")  # fmt: skip


def _document(engine: Engine, document: str | None) -> str | None:
    valued = documents_with_interests(engine)
    if not valued:
        raise AnalysisError(
            f"scenario {engine.scenario.id!r} declares no interests, so it has no zone of "
            "agreement to show; try -s labour-contract-2026-interests"
        )
    if document is not None and document not in valued:
        known = {d.id for d in engine.scenario.documents}
        what = "no interest values document" if document in known else "unknown document"
        raise typer.BadParameter(
            f"{what} {document!r}; documents with interests: {', '.join(valued)}",
            param_hint="'--document'",
        )
    return document


def zopa(
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    at: Annotated[
        dt.date | None,
        typer.Option(
            "--at", metavar="YYYY-MM-DD", parser=parse_date,
            help="The day (default: the end of the run).",
        ),
    ] = None,
    document: DocumentOpt = None,
    over: Annotated[
        str | None,
        typer.Option(
            "--over", metavar="START..END",
            help="Every day of a range: the ZOPA's size, its Nash package, the days it "
            "opens (ripe) and closes.",
        ),
    ] = None,
    branch: BranchOpt = None,
    limit: Annotated[
        int,
        typer.Option("--limit", "-n", min=0, help="Packages listed per table (0: all)."),
    ] = 10,
    fmt: FormatOpt = Format.text,
) -> None:  # fmt: skip
    """The zone of possible agreement: each party's BATNA, the packages every party
    values at least at its BATNA, the Pareto frontier and the Nash bargaining solution.

    A package's utility is the party's utility of the state an agreement on it gives on
    the day: its points, the document states the agreement puts the documents in and
    the facts of the day its interest values, less delay (--format json: the parts).

    Needs a scenario whose parties have interests (assumptions, labelled as such), such
    as labour-contract-2026-interests.
    """
    engine = load_engine(scenario)
    b = branch_id(engine, branch)
    doc = _document(engine, document)
    if at is not None and over is not None:
        raise typer.BadParameter("give --at or --over, not both", param_hint="'--over'")
    if over is not None:
        start, end = _range(over)
        _within(engine, b, start, "--over")
        _within(engine, b, end, "--over")
        result = Analysis(engine, doc, b).over(start, end)
        if fmt is Format.json:
            jsonout.write(render.over_doc(result), out())
        else:
            render.over(engine.scenario, result, out())
        return
    day = at if at is not None else engine.run(b).final.date
    _within(engine, b, day, "--at")
    found = Analysis(engine, doc, b).at(day, limit=limit or None)
    if fmt is Format.json:
        jsonout.write(render.zopa_doc(found), out())
    else:
        render.zopa(engine.scenario, found, out())


def solve(
    ctx: typer.Context,
    delta1: Annotated[
        float | None,
        typer.Option("--delta1", help="Player 1's discount factor per round, in (0, 1)."),
    ] = None,
    delta2: Annotated[
        float | None,
        typer.Option("--delta2", help="Player 2's discount factor per round, in (0, 1)."),
    ] = None,
    rounds: Annotated[int, typer.Option("--rounds", min=1, help="The horizon.")] = 400,
    grid: Annotated[
        int, typer.Option("--grid", min=1, help="Offers are shares k / GRID of the pie.")
    ] = 10_000,
    first: Annotated[int, typer.Option("--first", min=1, max=2, help="Who proposes first.")] = 1,
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario", "-s", metavar="PATH|NAME", envvar=SCENARIO_ENV,
            autocompletion=complete_scenario,
            help="Without --delta1 and --delta2: read the two discount factors from this "
            "scenario's interests.",
        ),
    ] = None,
    document: DocumentOpt = None,
    fmt: FormatOpt = Format.text,
) -> None:  # fmt: skip
    """The subgame-perfect outcome of a finite alternating-offers game over a split of a
    unit pie, by backward induction: the first mover's share and the agreement round,
    beside Rubinstein's infinite-horizon share (1 - d2) / (1 - d1 d2).

    The game has no document states or facts: from a scenario it reads the two discount
    factors alone (what interests value beside the points does not enter; see zopa).
    """
    names: tuple[str, str] = ("player 1", "player 2")
    source = ctx.get_parameter_source("scenario")  # typed, or from the environment
    typed = source is not None and source.name == "COMMANDLINE"
    if delta1 is not None and delta2 is not None:
        if typed:
            raise typer.BadParameter(
                "give the discount factors or a scenario, not both", param_hint="'--scenario'"
            )
        if document is not None:
            raise typer.BadParameter(
                "--document reads a scenario's interests: give -s instead of the factors",
                param_hint="'--document'",
            )
    elif delta1 is None and delta2 is None and scenario is not None:
        (p1, delta1), (p2, delta2) = scenario_factors(load_engine(scenario), document)
        names = (p1, p2)
    else:
        raise typer.BadParameter(
            "give both --delta1 and --delta2, or a scenario with -s", param_hint="'--delta1'"
        )
    solution = solve_game(delta1, delta2, rounds=rounds, grid=grid, first=first)
    if fmt is Format.json:
        jsonout.write(render.solve_doc(solution, names), out())
    else:
        render.solve(solution, names, out())
