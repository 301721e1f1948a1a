"""The bargaining analysis as text (rich tables) and as JSON documents: ``zopa`` on a
day, ``zopa --over`` a range of days, and ``solve``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TextIO

from rich.console import Console
from rich.text import Text

from negotiation.analysis.solve import Solution
from negotiation.analysis.standing import CurrentStanding
from negotiation.analysis.utility import Components
from negotiation.analysis.zopa import DayRow, OverResult, PackageView, ZopaResult
from negotiation.model.scenario import Scenario
from negotiation.render import views
from negotiation.render.text import header, heading, output, simple_table


def _u(x: float) -> str:
    return f"{x:.3f}"


def _package(p: PackageView) -> str:
    return ", ".join(f"{point} {label}" for point, label in p.labels.items())


def _assumed(console: Console, parties: Sequence[tuple[str, str]]) -> None:
    console.print()
    console.print(Text("Interests are assumptions, not facts:", style="italic"))
    for party, assumption in parties:
        console.print(Text(f"  {party}: {assumption}", style="italic"))


# -- one day -------------------------------------------------------------------------------


def zopa(scenario: Scenario, result: ZopaResult, file: TextIO) -> None:
    """The parties' BATNAs, the ZOPA, the Nash package and the Pareto frontier on a day."""
    with output(file) as console:
        _zopa(console, scenario, result)


def _zopa(console: Console, scenario: Scenario, r: ZopaResult) -> None:
    header(
        scenario,
        console,
        f"zone of possible agreement on {r.document} at the close of {r.day}, "
        f"branch {views.branch_label(r.branch)}",
    )
    console.print(Text(r.method, style="dim"))
    table = simple_table("party", "BATNA", "set by", "delay", "days", "best utility")
    for p in r.parties:
        table.add_row(p.party, _u(p.batna), p.batna_because or "default", p.delay,
                      str(p.days), _u(p.best))  # fmt: skip
    heading(console, "Parties")
    console.print(table)
    _assumed(console, [(p.party, p.assumption) for p in r.parties])
    estimated = "" if r.exact else "about "
    heading(console, "Zone of possible agreement")
    if r.zopa_size == 0:
        console.print("empty: no package gives every party at least its BATNA")
    else:
        console.print(f"{estimated}{r.zopa_size:,} of {r.space_size:,} packages give every "
                      "party at least its BATNA")  # fmt: skip
    if r.nash is not None:
        heading(console, "Nash bargaining solution")
        console.print(_package(r.nash))
        console.print(
            ", ".join(
                f"{p.party} {_u(u)} (gain {_u(g)})"
                for p, u, g in zip(r.parties, r.nash.utilities, r.nash.gains, strict=True)
            )
        )
        if r.nash.components is not None:
            for p, c in zip(r.parties, r.nash.components, strict=True):
                console.print(f"  {p.party}: {_parts(c)}")
    parties = [p.party for p in r.parties]
    if r.zopa:
        heading(console, f"ZOPA packages, by the Nash criterion ({len(r.zopa)} of "
                          f"{estimated}{r.zopa_size:,})")  # fmt: skip
        console.print(_packages(r.points, parties, r.zopa))
    heading(console, f"Pareto frontier, by {parties[0]}'s utility ({len(r.frontier)} of "
                      f"{r.frontier_size:,})")  # fmt: skip
    console.print(_packages(r.points, parties, r.frontier))


def _packages(points: Sequence[str], parties: Sequence[str], rows: Sequence[PackageView]) -> Any:
    table = simple_table(*points, *parties)
    for p in rows:
        table.add_row(*p.labels.values(), *(_u(u) for u in p.utilities))
    return table


def _view_doc(p: PackageView | None) -> dict[str, Any] | None:
    if p is None:
        return None
    out: dict[str, Any] = {
        "index": p.index,
        "package": p.options,
        "labels": p.labels,
        "utilities": list(p.utilities),
        "gains": list(p.gains),
    }
    if p.components is not None:  # only where an interest values states or facts
        out["components"] = [
            {"points": c.points, "states": c.states, "facts": c.facts, "delay": c.delay,
             "total": c.total}
            for c in p.components
        ]  # fmt: skip
    return out


def _parts(c: Components) -> str:
    """A utility of a state in its parts: points + states + facts - delay = total."""
    return (f"points {_u(c.points)} + states {_u(c.states)} + facts {_u(c.facts)} "
            f"- delay {_u(abs(c.delay))} = {_u(c.total)}")  # fmt: skip


def zopa_doc(r: ZopaResult) -> dict[str, Any]:
    return {
        "scenario": r.scenario,
        "document": r.document,
        "at": r.day.isoformat(),
        "branch": views.branch_label(r.branch),
        "exact": r.exact,
        "method": r.method,
        "points": list(r.points),
        "space_size": r.space_size,
        "parties": [
            {
                "party": p.party,
                "batna": p.batna,
                "batna_set_by": p.batna_because,
                "delay": p.delay,
                "days_since_start": p.days,
                "best_utility": p.best,
                "assumption": p.assumption,
            }
            for p in r.parties
        ],
        "zopa_size": r.zopa_size,
        "zopa_size_estimated": not r.exact,
        "zopa": [_view_doc(p) for p in r.zopa],
        "frontier_size": r.frontier_size,
        "frontier": [_view_doc(p) for p in r.frontier],
        "nash": _view_doc(r.nash),
    }


# -- a range of days -----------------------------------------------------------------------


def _spans(days: Sequence[DayRow]) -> list[list[DayRow]]:
    """Runs of consecutive days with the same BATNAs, the same Nash package and the
    ZOPA empty on all or on none."""
    spans: list[list[DayRow]] = []
    for row in days:
        last = spans[-1][-1] if spans else None
        same = last is not None and (
            last.batnas == row.batnas
            and (last.zopa_size > 0) == (row.zopa_size > 0)
            and (last.nash.index if last.nash else None) == (row.nash.index if row.nash else None)
        )
        if same:
            spans[-1].append(row)
        else:
            spans.append([row])
    return spans


def _when(first: dt.date, last: dt.date) -> str:
    return str(first) if first == last else f"{first}..{last}"


def over(scenario: Scenario, result: OverResult, file: TextIO) -> None:
    """Day by day: whether the ZOPA is empty, its size, the Nash package; when it opens
    (ripe) and closes."""
    with output(file) as console:
        _over(console, scenario, result)


def _over(console: Console, scenario: Scenario, r: OverResult) -> None:
    first, last = r.days[0].day, r.days[-1].day
    header(
        scenario,
        console,
        f"zone of possible agreement on {r.document} from {first} to {last}, "
        f"branch {views.branch_label(r.branch)}",
    )
    console.print(Text(r.method, style="dim"))
    console.print()
    opened = "open" if r.days[0].zopa_size else "empty"
    console.print(f"On {first} the ZOPA is {opened}.")
    if r.ripe is not None:
        console.print(f"Ripe: the ZOPA opens on {r.ripe}.")
    for day in r.opens[1:]:
        console.print(f"It opens again on {day}.")
    for day in r.closes:
        console.print(f"It closes on {day}.")
    if not r.opens and not r.closes:
        console.print(f"It stays {opened} to {last}.")
    batnas = "BATNAs (" + ", ".join(r.parties) + ")"
    table = simple_table("days", "ZOPA size", batnas, "Nash package")
    about = "" if r.exact else "about "
    for span in _spans(r.days):
        sizes = [row.zopa_size for row in span]
        size = "empty" if not sizes[0] else (
            f"{about}{sizes[0]:,}" if sizes[0] == sizes[-1] else
            f"{about}{sizes[0]:,} -> {sizes[-1]:,}"
        )  # fmt: skip
        nash = span[0].nash
        table.add_row(
            _when(span[0].day, span[-1].day),
            size,
            ", ".join(f"{b:g}" for b in span[0].batnas),
            _package(nash) if nash else "-",
        )
    heading(console, "Day by day")
    console.print(table)


def over_doc(r: OverResult) -> dict[str, Any]:
    return {
        "scenario": r.scenario,
        "document": r.document,
        "branch": views.branch_label(r.branch),
        "exact": r.exact,
        "method": r.method,
        "parties": list(r.parties),
        "space_size": r.space_size,
        "ripe": views.iso(r.ripe),
        "opens": [d.isoformat() for d in r.opens],
        "closes": [d.isoformat() for d in r.closes],
        "days": [
            {
                "date": row.day.isoformat(),
                "batnas": list(row.batnas),
                "zopa_size": row.zopa_size,
                "zopa_size_estimated": not r.exact,
                "nash": _view_doc(row.nash),
            }
            for row in r.days
        ],
    }


# -- solve ---------------------------------------------------------------------------------


def solve(s: Solution, names: tuple[str, str], file: TextIO) -> None:
    """The subgame-perfect outcome of the alternating-offers game."""
    with output(file) as console:
        console.print(Text("Alternating offers, solved by backward induction", style="bold"))
        console.print(
            f"{s.rounds:,} rounds, offers on a grid of {s.grid:,} steps, "
            f"{names[s.first - 1]} moves first"
        )
        table = simple_table("player", "discount factor", "share")
        for name, delta, share in zip(names, (s.delta1, s.delta2), s.shares, strict=True):
            table.add_row(name, f"{delta:g}", f"{share:.4f}")
        console.print()
        console.print(table)
        off = abs(s.first_share / s.rubinstein - 1) * 100
        console.print(f"First-mover share {s.first_share:.4f}; agreement in round "
                      f"{s.agreement_round}.")  # fmt: skip
        console.print(
            f"Rubinstein's infinite-horizon share (1 - d2) / (1 - d1 d2): {s.rubinstein:.4f} "
            f"({off:.2f}% away at this horizon and grid)."
        )


def solve_doc(s: Solution, names: tuple[str, str]) -> dict[str, Any]:
    return {
        "players": [
            {"name": n, "discount": d, "share": x}
            for n, d, x in zip(names, (s.delta1, s.delta2), s.shares, strict=True)
        ],
        "rounds": s.rounds,
        "grid": s.grid,
        "first": names[s.first - 1],
        "first_share": s.first_share,
        "agreement_round": s.agreement_round,
        "rubinstein_share": s.rubinstein,
    }


def _span(r: CurrentStanding) -> str:
    return _u(r.low) if r.low == r.high else f"{_u(r.low)} - {_u(r.high)}"


def standings(rows: Sequence[CurrentStanding], file: TextIO) -> None:
    """``show``'s interests: each party's utility of the current text against its BATNA."""
    with output(file) as console:
        heading(console, "Interests: each party's utility of the current text against its "
                "BATNA (assumptions, not facts)")  # fmt: skip
        table = simple_table("party", "document", "utility", "BATNA", "standing")
        for r in rows:
            notes = [r.verdict]
            if r.open:
                notes.append("open: " + ", ".join(r.open))
            if r.offered:
                notes.append("on the table: " + ", ".join(r.offered))
            batna = _u(r.batna) + (f" ({r.batna_because})" if r.batna_because else "")
            table.add_row(r.party, r.document, _span(r), batna, "; ".join(notes))
        console.print(table)


def standings_doc(rows: Sequence[CurrentStanding]) -> list[dict[str, Any]]:
    return [{
        "party": r.party, "document": r.document, "low": r.low, "high": r.high,
        "open": list(r.open), "on_the_table": list(r.offered), "batna": r.batna,
        "batna_set_by": r.batna_because, "standing": r.verdict,
    } for r in rows]  # fmt: skip
