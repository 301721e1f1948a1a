"""``sample --strategies`` (with ``--grid``) and ``explore --strategies``: the scenario's
declared strategies bargain inside the engine's run, many times (``search.bargains``).

Strategy-driven sampling is asked for, never automatic: a scenario that declares
strategies samples its branches and decisions as before unless ``--strategies`` (or
``--grid``) is given, so existing commands keep their output."""

from __future__ import annotations

import json
from typing import Any, TextIO

import typer
from pydantic import ValidationError

from negotiation.behaviour.scenario import Table
from negotiation.cli.common import TableFormat, branch_id, load_engine, out
from negotiation.model.errors import did_you_mean
from negotiation.model.strategies import PartyStrategy, StrategyKind
from negotiation.render import csvout
from negotiation.search.bargains import (
    BargainOutcomes,
    BargainSampling,
    Setting,
    Tournament,
    bargain_outcomes,
    sample_bargains,
    tournament,
)


def parse_grid(
    grid: list[str], declared: dict[str, PartyStrategy]
) -> dict[str, list[PartyStrategy]]:
    """``PARTY=KIND[:PARAM...],KIND...`` options as strategies (a bad one: a usage error).
    Parameters: ``boulware:0.2``, ``conceder:3``, ``time_based:0.5`` (the exponent e);
    ``responses:0.7:0.8`` (accept, target)."""
    out_: dict[str, list[PartyStrategy]] = {}
    for item in grid:
        party, sep, names = item.partition("=")
        if not sep or not party or not names:
            raise typer.BadParameter(
                f"{item!r}: expected PARTY=STRATEGY,STRATEGY (e.g. union=boulware,linear)",
                param_hint="'--grid'",
            )
        if party not in declared:
            raise typer.BadParameter(
                f"{party!r} has no declared strategy on this document"
                f"{did_you_mean(party, list(declared))} (the sides are "
                f"{', '.join(declared)})", param_hint="'--grid'",
            )  # fmt: skip
        if party in out_:
            raise typer.BadParameter(f"{party!r} is given twice", param_hint="'--grid'")
        specs = [_one(name.strip(), declared[party]) for name in names.split(",")]
        out_[party] = specs
    return out_


def _one(name: str, declared: PartyStrategy) -> PartyStrategy:
    """One ``KIND[:PARAM...]`` of a grid as a strategy of the declared one's party."""
    kinds = [k.value for k in StrategyKind]
    kind, *params = name.split(":")
    if kind not in kinds:
        raise typer.BadParameter(
            f"{name!r}: unknown strategy {kind!r}{did_you_mean(kind, kinds)}; "
            f"known: {', '.join(kinds)}", param_hint="'--grid'",
        )  # fmt: skip
    data: dict[str, Any] = {
        "party": declared.party, "document": declared.document, "kind": kind,
        "deadline": declared.deadline,
        "assumption": f"a strategy tried in a tournament ({name}), not a claim about the party",
    }  # fmt: skip
    try:
        values = [float(p) for p in params]
    except ValueError:
        raise typer.BadParameter(f"{name!r}: parameters are numbers",
                                 param_hint="'--grid'") from None  # fmt: skip
    problem = None
    if kind == "responses":
        if len(values) != 2:
            problem = "responses takes accept:target (e.g. responses:0.7:0.8)"
        else:
            data["accept"], data["target"] = values
    elif kind in ("hardliner", "tit_for_tat", "random"):
        problem = f"{kind} takes no parameter" if values else None
    elif len(values) > 1:
        problem = f"{kind} takes one exponent e"
    elif values:
        data["e"] = values[0]
    if problem is not None:
        raise typer.BadParameter(f"{name!r}: {problem}", param_hint="'--grid'")
    try:
        return PartyStrategy.model_validate(data)
    except ValidationError as e:
        msg = "; ".join(x["msg"].removeprefix("Value error, ") for x in e.errors())
        raise typer.BadParameter(f"{name!r}: {msg}", param_hint="'--grid'") from None


def setting_of(
    scenario: str, document: str | None, first: str | None, days_per_round: int,
    branch: str | None,
) -> tuple[Setting, dict[str, PartyStrategy]]:
    """The setting of a strategy-driven run, and the declared strategies by party."""
    engine = load_engine(scenario)
    b = branch_id(engine, branch)
    table = Table.of(engine, document, first=first, branch=b)
    setting = Setting(engine.scenario, table.document, first, days_per_round, b)
    return setting, {s.party: s for s in table.specs}


def sample_strategies(
    scenario: str, *, document: str | None, first: str | None, days_per_round: int,
    branch: str | None, grid: list[str], runs: int, seed: int, workers: int,
    max_seconds: float | None, fmt: TableFormat, stop: Any,
) -> None:
    setting, declared = setting_of(scenario, document, first, days_per_round, branch)
    if grid:
        chosen = parse_grid(grid, declared)
        result: BargainSampling | Tournament = tournament(
            setting, chosen, runs, seed, workers, max_seconds=max_seconds, stop=stop
        )
    else:
        result = sample_bargains(setting, runs, seed, workers, max_seconds=max_seconds,
                                 stop=stop)  # fmt: skip
    if fmt is TableFormat.json:
        out().write(json.dumps(result.model_dump(mode="json"), indent=2) + "\n")
    elif fmt is TableFormat.csv:
        if isinstance(result, Tournament):
            csvout.write(MATCH_COLUMNS, match_rows(result), out())
        else:
            csvout.write(("label", "count", "share", "low", "high"),
                         (o.model_dump() for o in result.outcomes), out())  # fmt: skip
    elif isinstance(result, Tournament):
        write_tournament(result, out())
    else:
        write_bargain_sampling(result, out())


def explore_strategies(
    scenario: str, *, document: str | None, first: str | None, days_per_round: int,
    branch: str | None, max_paths: int, fmt: TableFormat,
) -> None:
    setting, _ = setting_of(scenario, document, first, days_per_round, branch)
    result = bargain_outcomes(setting, max_paths)
    if fmt is TableFormat.json:
        out().write(json.dumps(result.model_dump(mode="json"), indent=2) + "\n")
    elif fmt is TableFormat.csv:
        csvout.write(("label", "paths"), ({"label": o.label, "paths": o.paths}
                                          for o in result.outcomes), out())  # fmt: skip
    else:
        write_bargain_outcomes(result, out())


def _assumptions(w: Any, rows: list[str]) -> None:
    w("\nAssumptions behind these numbers\n")
    for a in rows:
        w(f"  - {a}\n")


def histogram(days: dict[int, int], width: int = 40, bins: int = 12) -> list[str]:
    """A text histogram of agreement days relative to the due date (0: on it)."""
    if not days:
        return ["  no agreement"]
    lo, hi = min(days), max(days)
    step = max(1, -(-(hi - lo + 1) // bins))
    counts: dict[int, int] = {}
    for d, c in days.items():
        start = lo + (d - lo) // step * step
        counts[start] = counts.get(start, 0) + c
    top = max(counts.values())
    lines = []
    for start in range(lo, hi + 1, step):
        c = counts.get(start, 0)
        span = f"{start:+d}" if step == 1 else f"{start:+d}..{start + step - 1:+d}"
        lines.append(f"  {span:>10} days  {'#' * round(width * c / top):<{width}}  {c:,}")
    return lines


def write_bargain_sampling(r: BargainSampling, stream: TextIO) -> None:
    w = stream.write
    partial = "" if r.stopped is None else f"; partial: stopped by {r.stopped}"
    w(f"Sampled {r.scenario}: {r.runs:,} strategy-driven runs on {r.document}, seed {r.seed}, "
      f"one round every {r.days_per_round} day(s) ({r.elapsed:.2f} s, {r.workers} "
      f"worker(s)){partial}\n")  # fmt: skip
    w("  " + "; ".join(r.strategies) + "\n")
    a = r.agreement
    w(f"\nAgreement  {a.share:6.1%}  [{a.low:6.1%} - {a.high:6.1%}]  {a.count:,} of {r.runs:,}\n")
    w("\nOutcomes\n")
    for o in r.outcomes:
        w(f"  {o.share:6.1%}  [{o.low:6.1%} - {o.high:6.1%}]  {o.count:>7,}  {o.label}\n")
    w("\nAgreement day relative to the earlier due date (the deadline effect)\n")
    for line in histogram({d.days_to_due: d.count for d in r.days}):
        w(line + "\n")
    w("\nUtilities (mean, 95% interval)\n")
    for party, u in r.utilities.items():
        w(f"  {party:<16} {u.mean:.3f}  [{u.low:.3f} - {u.high:.3f}]\n")
    _assumptions(w, r.assumptions)


MATCH_COLUMNS = ("strategies", "runs", "agreement", "low", "high", "mean_days_to_due",
                 "utilities")  # fmt: skip


def match_rows(t: Tournament) -> list[dict[str, Any]]:
    return [{
        "strategies": "; ".join(f"{p}: {s}" for p, s in m.strategies.items()),
        "runs": m.runs, "agreement": m.agreement.share, "low": m.agreement.low,
        "high": m.agreement.high, "mean_days_to_due": m.mean_days_to_due,
        "utilities": "; ".join(f"{p}: {u.mean:.3f}" for p, u in m.utilities.items()),
    } for m in t.matches]  # fmt: skip


def write_tournament(t: Tournament, stream: TextIO) -> None:
    w = stream.write
    partial = "" if t.stopped is None else f"; partial: stopped by {t.stopped}"
    w(f"Tournament on {t.scenario}, {t.document}: {len(t.matches)} pair(s), "
      f"{t.runs_per_pair:,} runs each, seed {t.seed} ({t.elapsed:.2f} s, {t.workers} "
      f"worker(s)){partial}\n\n")  # fmt: skip
    cols = {p: max(len(p), *(len(m.strategies[p]) for m in t.matches)) if t.matches else 8
            for p in t.parties}  # fmt: skip
    names = "  ".join(f"{p:<{cols[p]}}" for p in t.parties)
    heads = "  ".join(f"{p[:10]:>10}" for p in t.parties)
    w(f"  {names}  {'agreed':>7}  {'95% interval':<17}  {'mean day':>8}  {heads}\n")
    for m in t.matches:
        a = m.agreement
        day = "-" if m.mean_days_to_due is None else f"{m.mean_days_to_due:+.1f}"
        kinds = "  ".join(f"{m.strategies[p]:<{cols[p]}}" for p in t.parties)
        us = "  ".join(f"{m.utilities[p].mean:10.3f}" for p in t.parties)
        w(f"  {kinds}  {a.share:7.1%}  [{a.low:5.1%} - {a.high:5.1%}]  {day:>8}  {us}\n")
    w("\nmean day: the agreement day relative to the earlier due date (agreements only);\n"
      "utilities: the means over all runs (a party's BATNA when there is no deal)\n")
    _assumptions(w, t.assumptions)


def write_bargain_outcomes(r: BargainOutcomes, stream: TextIO) -> None:
    w = stream.write
    status = "complete" if r.complete else "partial: stopped by --max-states (paths)"
    w(f"Explored {r.scenario} by strategies on {r.document}: {r.paths:,} path(s); {status}\n")
    w("  " + "; ".join(r.strategies) + "\n")
    w(f"\nOutcomes ({len(r.outcomes):,} distinct)\n")
    for o in r.outcomes:
        day = "" if o.days_to_due is None else f", {o.days_to_due:+d} days to the due date"
        us = ", ".join(f"{p} {u:.3f}" for p, u in o.utilities.items())
        w(f"  {o.paths:>7,}  {o.label}{day} ({us})\n")
    _assumptions(w, r.assumptions)


__all__ = ["explore_strategies", "histogram", "parse_grid", "sample_strategies"]
