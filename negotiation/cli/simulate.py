"""``simulate``: alternating offers between the two strategies a scenario declares on a
document, as a transcript."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from negotiation.behaviour.bargain import bargain
from negotiation.behaviour.scenario import simulate as run_simulation
from negotiation.cli.common import (
    DEFAULT_SCENARIO,
    BranchOpt,
    Format,
    FormatOpt,
    ScenarioOpt,
    branch_id,
    complete_document,
    load_engine,
    out,
    parse_date,
)
from negotiation.render import jsonout, text
from negotiation.render import simulate as render


def simulate(
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    document: Annotated[
        str | None,
        typer.Option(
            "--document", "-d", metavar="ID", autocompletion=complete_document,
            help="The document (default: the one document the strategies bargain over).",
        ),
    ] = None,
    first: Annotated[
        str | None,
        typer.Option(
            "--first", metavar="PARTY",
            help="The party that opens (default: the one whose strategy comes first).",
        ),
    ] = None,
    start: Annotated[
        dt.date | None,
        typer.Option(
            "--start", metavar="YYYY-MM-DD", parser=parse_date,
            help="The day of the first round (default: the scenario's start).",
        ),
    ] = None,
    days_per_round: Annotated[
        int, typer.Option("--days-per-round", min=1, help="Days between two rounds.")
    ] = 1,
    seed: Annotated[int, typer.Option("--seed", help="The seed (recorded in the output).")] = 0,
    branch: BranchOpt = None,
    fmt: FormatOpt = Format.text,
    trace: Annotated[
        bool,
        typer.Option(
            "--trace",
            help="Show the engine's run instead of the transcript: the timeline with every "
            "move applied as an offer event on its day, as `negotiation run` shows a run "
            "(its JSON adds the document and the seed).",
        ),
    ] = False,
) -> None:  # fmt: skip
    """Alternating offers between the two parties whose strategies the scenario declares
    on a document: who offers which package on which day, each side's utility of it,
    and the outcome (an agreement, a walk-away, or the deadline and each side's BATNA).
    With a mediator strategy on the document, mediated single-text rounds instead: the
    mediator drafts, every party accepts or rejects, the mediator revises (try
    -s river-basin-2026-mediated).

    Round k falls on START + k * DAYS_PER_ROUND; each party's time runs to the due date
    of the deadline its strategy names, extensions included. Strategies and interests
    are assumptions, labelled as such; the same seed gives the same transcript. Try
    -s labour-contract-2026-strategies --document pay_deal.

    With --trace the moves are events (offer, counter, accept_offer, walk_away) that the
    engine applies among the scenario's own: an accepted package's points are agreed,
    with their values, in the final state.
    """
    engine = load_engine(scenario)
    b = branch_id(engine, branch)
    if trace:
        run = bargain(
            engine, document, first=first, start=start, days_per_round=days_per_round,
            seed=seed, branch=b,
        )  # fmt: skip
        if fmt is Format.json:
            doc = jsonout.trace_doc(run.trace, engine.scenario)
            doc.update(document=run.simulation.table.document, seed=seed)
            jsonout.write(doc, out())
        else:
            text.timeline(run.trace, engine.scenario, out())
        return
    sim = run_simulation(
        engine, document, first=first, start=start, days_per_round=days_per_round,
        seed=seed, branch=b,
    )  # fmt: skip
    if fmt is Format.json:
        jsonout.write(render.simulation_doc(engine.scenario, sim), out())
    else:
        render.simulate(engine.scenario, sim, out())
