"""``negotiation simulate``: the transcript of alternating offers between two declared
strategies, as text and as JSON."""

from __future__ import annotations

from typing import Any, TextIO

from rich.console import Console
from rich.text import Text

from negotiation.behaviour.protocol import BargainingOutcome, BargainingTurn
from negotiation.behaviour.scenario import Simulation
from negotiation.behaviour.strategies import MoveKind
from negotiation.model.scenario import Scenario
from negotiation.model.strategies import PartyStrategy
from negotiation.render.text import header, heading, output, simple_table

MOVE_WORDS = {
    MoveKind.offer: "offers",
    MoveKind.accept: "accepts",
    MoveKind.walk_away: "walks away",
    MoveKind.reject: "rejects",
}


def _u(x: float) -> str:
    return f"{x:.3f}"


def _specs(sim: Simulation) -> tuple[PartyStrategy, ...]:
    """Every strategy at the table: the mediator's first, then the parties'."""
    m = sim.table.mediator
    return sim.table.specs if m is None else (m, *sim.table.specs)


def _strategy(spec: PartyStrategy) -> str:
    words = [spec.kind.value]
    if spec.draft is not None:
        words.append("first draft " + ", ".join(f"{p} {v}" for p, v in spec.draft.items()))
    if spec.exponent is not None:
        words.append(f"e {spec.exponent:g}")
    if spec.accept is not None and spec.target is not None:
        words.append(f"accepts from {spec.accept:g}, counters at {spec.target:g}")
    return f"{', '.join(words)}; time runs to {spec.deadline}"


def _package(sim: Simulation, package: int | None) -> str:
    if package is None:
        return "-"
    space = sim.table.space
    labels = space.labels(space.package(package))
    return ", ".join(f"{point} {label}" for point, label in labels.items())


def _concerned(sim: Simulation, turn: BargainingTurn, previous: int | None) -> int | None:
    """The package a turn is about: the one offered, or the one accepted."""
    if turn.move.kind is MoveKind.offer:
        return turn.move.package
    return previous if turn.move.kind in (MoveKind.accept, MoveKind.reject) else None


def _outcome_line(sim: Simulation, o: BargainingOutcome) -> str:
    parties = sim.transcript.parties
    gets = ", ".join(f"{p} {_u(u)}" for p, u in zip(parties, o.utilities, strict=True))
    if o.agreed:
        return (f"Agreed on {o.day} (round {o.round}, {o.time:.2f} of the time to the "
                f"deadline): {_package(sim, o.package)}. Utilities: {gets}.")  # fmt: skip
    how = "a walk-away" if o.ended_by == "walk_away" else "the deadline"
    return f"No agreement: ended by {how} on {o.day}. Each side gets its BATNA: {gets}."


def simulate(scenario: Scenario, sim: Simulation, file: TextIO) -> None:
    with output(file) as console:
        _simulate(console, scenario, sim)


def _simulate(console: Console, scenario: Scenario, sim: Simulation) -> None:
    t = sim.transcript
    per = "a day" if t.days_per_round == 1 else f"every {t.days_per_round} days"
    protocol = ("alternating offers" if sim.table.mediator is None
                else "mediated single-text rounds")
    header(scenario, console, f"{protocol} on {sim.table.document} from {t.start}, "
                              f"one round {per}, seed {t.seed}")  # fmt: skip
    heading(console, "Strategies")
    for spec in _specs(sim):
        console.print(f"{spec.party}: {_strategy(spec)}")
    console.print()
    console.print(Text("Strategies and interests are assumptions, not facts:", style="italic"))
    for spec in _specs(sim):
        console.print(Text(f"  {spec.party}: {spec.assumption}", style="italic"))
    heading(console, "Transcript")
    table = simple_table("round", "day", "who", "move", "package", *t.parties)
    last: int | None = None
    for turn in t.turns:
        package = _concerned(sim, turn, last)
        if turn.move.kind is MoveKind.offer and not turn.refused:
            last = turn.move.package
        us = [_u(u) for u in turn.utilities] if turn.utilities else ["-"] * len(t.parties)
        words = MOVE_WORDS[turn.move.kind]
        if turn.refused:
            words += " (refused: " + "; ".join(turn.refused) + ")"
        table.add_row(str(turn.round), turn.day.isoformat(), turn.party,
                      words, _package(sim, package), *us)  # fmt: skip
    console.print(table)
    heading(console, "Outcome")
    console.print(_outcome_line(sim, t.outcome))


def simulation_doc(scenario: Scenario, sim: Simulation) -> dict[str, Any]:
    t = sim.transcript
    space = sim.table.space
    parties = t.parties

    def options(package: int | None) -> dict[str, Any] | None:
        return None if package is None else space.describe(space.package(package))

    turns = []
    last: int | None = None
    for turn in t.turns:
        package = _concerned(sim, turn, last)
        if turn.move.kind is MoveKind.offer and not turn.refused:
            last = turn.move.package
        turns.append({
            "round": turn.round,
            "day": turn.day.isoformat(),
            "party": turn.party,
            "time": turn.time,
            "move": turn.move.kind.value,
            "package": options(package),
            "utilities": None if turn.utilities is None
            else dict(zip(parties, turn.utilities, strict=True)),
            **({"refused": list(turn.refused)} if turn.refused else {}),
        })  # fmt: skip
    o = t.outcome
    return {
        "scenario": scenario.id,
        "document": sim.table.document,
        "start": t.start.isoformat(),
        "days_per_round": t.days_per_round,
        "seed": t.seed,
        **({} if sim.table.mediator is None else {"protocol": "mediated"}),
        "strategies": [s.model_dump(mode="json", exclude_none=True) for s in _specs(sim)],
        "turns": turns,
        "outcome": {
            "ended_by": o.ended_by,
            "agreed": o.agreed,
            "day": o.day.isoformat(),
            "round": o.round,
            "time": o.time,
            "package": options(o.package),
            "utilities": dict(zip(parties, o.utilities, strict=True)),
        },
    }
