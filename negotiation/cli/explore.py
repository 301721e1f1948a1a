"""``explore``, ``sample`` and ``check``: what could happen, how likely, and whether the
scenario's invariants hold everywhere. Exit 1 when an invariant is violated; 130 or 143
when SIGINT or SIGTERM stopped one of them (after printing what it found so far, see
``cli.signals``). Each shows a progress line on stderr while it works, only when stderr
is a terminal (never on a pipe or a file) and unless ``--no-progress``; the line is
erased when the work ends, before the result is printed."""

from __future__ import annotations

import json
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.progress import Progress as Bar
from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

from negotiation.cli.common import (
    DEFAULT_SCENARIO,
    Format,
    FormatOpt,
    ScenarioOpt,
    TableFormat,
    TableFormatOpt,
    branch_id,
    err,
    fail,
    load_engine,
    out,
)
from negotiation.cli.signals import stop_on_signals
from negotiation.model.errors import NegotiationError
from negotiation.model.scenario import Scenario
from negotiation.persist import write_new
from negotiation.render import csvout
from negotiation.render.escape import rendered
from negotiation.search.distributed import check_scheduler_address, run_sample
from negotiation.search.explore import (
    Exploration,
    PathStep,
    Progress,
    Violation,
    counterexample_text,
    explore,
)
from negotiation.search.limits import default_max_memory
from negotiation.search.orders import MAX_ORDERINGS, DateOrders, date_orders
from negotiation.search.sample import Sampling

if TYPE_CHECKING:  # hypothesis, which negotiation.testing imports, is an optional extra
    from negotiation.testing import MachineRun, MachineStatistics

VIOLATED = 1

Strategies = Annotated[
    bool,
    typer.Option(
        "--strategies",
        help="Let the two strategies the scenario declares on a document bargain inside "
        "the run (see `negotiation simulate`), instead of sampling or exploring branches "
        "and decisions. Never automatic.",
    ),
]
DocumentOpt = Annotated[
    str | None,
    typer.Option("--document", "-d", metavar="ID",
                 help="With --strategies: the document (default: the one they bargain over)."),
]  # fmt: skip
FirstOpt = Annotated[
    str | None,
    typer.Option("--first", metavar="PARTY", help="With --strategies: the party that opens."),
]
DaysOpt = Annotated[
    int,
    typer.Option("--days-per-round", min=1, help="With --strategies: days between rounds."),
]
BranchStratOpt = Annotated[
    str | None,
    typer.Option("--branch", "-b", metavar="NAME",
                 help="With --strategies: the branch whose timeline runs around them."),
]  # fmt: skip


BranchExploreOpt = Annotated[
    str | None,
    typer.Option("--branch", "-b", metavar="NAME",
                 help="With --strategies or --date-orders: the branch whose timeline runs."),
]  # fmt: skip


def _strategy_options(document: str | None, first: str | None, days: int,
                      branch: str | None) -> None:  # fmt: skip
    """Options that mean something only with --strategies: a usage error without it."""
    given = [n for n, v in (("--document", document), ("--first", first),
                            ("--branch", branch)) if v is not None]  # fmt: skip
    if days != 1:
        given.append("--days-per-round")
    if given:
        raise typer.BadParameter(f"{', '.join(given)} need(s) --strategies")

MaxStates = Annotated[int, typer.Option("--max-states", min=1, help="Stop after this many states.")]
MaxDepth = Annotated[
    int | None, typer.Option("--max-depth", min=0, help="Do not expand past this many steps.")
]
MaxSeconds = Annotated[
    float | None, typer.Option("--max-seconds", min=0.0, help="Stop after this long.")
]
MaxMemory = Annotated[
    int | None,
    typer.Option(
        "--max-memory",
        min=1,
        metavar="MB",
        help="Stop when this process and its workers hold more than this many MiB of "
        "memory (resident, read from /proc on Linux). Default: half of this machine's memory.",
        show_default=False,
    ),
]
Workers = Annotated[int, typer.Option("--workers", "-w", min=1, help="Local processes to use.")]


NoProgress = Annotated[
    bool,
    typer.Option(
        "--no-progress",
        help="No progress line on stderr (it is shown only when stderr is a terminal).",
    ),
]

Say = Callable[[str], None]
"""Sets the text of the progress line."""


@contextmanager
def _progress(stream: TextIO, show: bool, first: str) -> Iterator[Say | None]:
    """A rich progress line (spinner, text, time elapsed) on ``stream`` while the block
    runs, when ``show`` and the stream is a terminal; None otherwise. The line is erased
    at the end (``transient``)."""
    if not show or not stream.isatty():
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Bar(*columns, console=Console(file=rendered(stream)), transient=True) as bar:
        task = bar.add_task(first, total=None)

        def say(text: str) -> None:
            bar.update(task, description=text)

        yield say


def _exploring(say: Say | None, prefix: str = "") -> Callable[[Progress], None] | None:
    """The explorer's progress callback that sets the progress line (None without one)."""
    if say is None:
        return None

    def update(p: Progress) -> None:
        say(f"{prefix}{p.states:,} states, depth {p.depth}, frontier {p.frontier:,}")

    return update


def _targets(path: Path, violations: list[Violation]) -> list[Path]:
    first = [path]
    rest = [
        path.with_name(f"{path.stem}.{v.invariant}{path.suffix or '.yaml'}") for v in violations[1:]
    ]
    return first + rest


def _write_counterexamples(
    scenario: Scenario, result: Exploration, path: Path, force: bool
) -> list[Path]:
    targets = _targets(path, result.violations)
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        names = ", ".join(str(t) for t in existing)
        fail(f"{names} already exists; use --force to overwrite")
    # write_new: complete or absent; never replaces a file without --force
    for target, violation in zip(targets, result.violations, strict=False):
        write_new(target, counterexample_text(scenario, violation), force)
    return targets[: len(result.violations)]


def explore_cmd(
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    max_states: MaxStates = 100_000,
    max_depth: MaxDepth = None,
    max_seconds: MaxSeconds = None,
    max_memory: MaxMemory = None,
    workers: Workers = 1,
    fmt: TableFormatOpt = TableFormat.text,
    counterexample_out: Annotated[
        Path | None,
        typer.Option(
            "--counterexample-out",
            metavar="PATH",
            dir_okay=False,
            help="Write the shortest counterexample as a runnable scenario file.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    no_progress: NoProgress = False,
    strategies: Strategies = False,
    document: DocumentOpt = None,
    first: FirstOpt = None,
    days_per_round: DaysOpt = 1,
    orders: Annotated[
        bool,
        typer.Option(
            "--date-orders",
            help="Instead: run every order of the timeline's events whose imprecise dates "
            "overlap, and report which expectations and outcomes depend on the order.",
        ),
    ] = False,
    max_orderings: Annotated[
        int | None,
        typer.Option(
            "--max-orderings", min=1,
            help=f"With --date-orders: run at most this many orderings [default: {MAX_ORDERINGS}].",
        ),
    ] = None,
    branch: BranchExploreOpt = None,
) -> None:
    """Search every reachable state (base timeline and branches, every option of every
    decision point): outcomes, invariant violations with their shortest counterexample,
    stuck states. A bound, Ctrl-C or SIGTERM stops it with partial results (then exit 130
    or 143). Exits 1 on a violation.

    With --strategies: every outcome the declared strategies allow on a document, each
    bargaining inside the engine's run: a deterministic pair takes one path, a random
    strategy's every draw is followed into every option (--max-states bounds the paths).
    Try -s labour-contract-2026-strategies --strategies -d pay_deal.

    With --date-orders: every order of the events whose imprecise dates overlap, and
    which conclusions (expectations, outcomes) depend on it."""
    if strategies:
        from negotiation.cli.bargains import explore_strategies  # noqa: PLC0415 - on demand

        explore_strategies(
            scenario, document=document, first=first, days_per_round=days_per_round,
            branch=branch, max_paths=max_states, fmt=fmt,
        )  # fmt: skip
        return
    if orders:
        _date_orders(scenario, branch, MAX_ORDERINGS if max_orderings is None else max_orderings,
                     fmt)
        return
    if max_orderings is not None:
        fail("--max-orderings goes with --date-orders")
    _strategy_options(document, first, days_per_round, branch)
    with stop_on_signals() as signals:
        spec = load_engine(scenario).scenario
        if counterexample_out is not None and counterexample_out.exists() and not force:
            fail(f"{counterexample_out} already exists; use --force to overwrite")
        signals.raising = False
        with _progress(err(), not no_progress, "exploring") as say:
            result = explore(
                spec,
                max_states=max_states,
                max_depth=max_depth,
                max_seconds=max_seconds,
                max_memory=default_max_memory() if max_memory is None else max_memory,
                workers=workers,
                progress=_exploring(say),
                stop=signals,
            )
        _print_exploration(spec, result, fmt, counterexample_out, force)
        signals.exit(VIOLATED if result.violations else 0)


def _date_orders(scenario: str, branch: str | None, bound: int, fmt: TableFormat) -> None:
    engine = load_engine(scenario)
    found = date_orders(engine, branch_id(engine, branch), bound)
    if fmt is TableFormat.json:
        out().write(json.dumps(found.as_json(), indent=2) + "\n")
    elif fmt is TableFormat.csv:
        n = len(found.orderings)
        csvout.write(("conclusion", "holds_in", "of"),
                     ({"conclusion": c.text, "holds_in": c.holds, "of": n}
                      for c in found.conclusions), out())
    else:
        write_date_orders(found, out())


def write_date_orders(found: DateOrders, stream: TextIO) -> None:
    """The date orders as plain text."""
    w = stream.write
    n = len(found.orderings)
    where = "base" if found.branch is None else found.branch
    w(f"Date orders of {found.scenario} ({where}): {len(found.groups)} group(s) of events "
      f"with overlapping dates, {n} ordering(s) run\n")
    if found.bound_hit:
        w(f"  bound hit: stopped at --max-orderings {found.bound}; more orderings exist "
          f"(the counts below are over the {n} run)\n")
    for k, g in enumerate(found.groups, 1):
        w(f"  group {k}: {', '.join(g)}\n")
    if not found.groups:
        w("  no events with overlapping imprecise dates: one ordering only\n")
    dependent = found.dependent()
    w("\nDepend on the order:\n" if dependent else "\nNothing depends on the order.\n")
    for c in dependent:
        w(f"  {c.text}: holds in {c.holds} of {n} orderings; {found.explanations[c.text]}\n")
    w("\nHold in every ordering:\n")
    for c in found.conclusions:
        if c.holds == n:
            w(f"  {c.text}\n")
    never = [c for c in found.conclusions if c.holds == 0]
    if never:
        w("\nFail in every ordering:\n")
        for c in never:
            w(f"  {c.text}\n")


def _print_exploration(
    spec: Scenario,
    result: Exploration,
    fmt: TableFormat,
    counterexample_out: Path | None,
    force: bool,
) -> None:
    written = []
    if counterexample_out is not None and result.violations:
        written = _write_counterexamples(spec, result, counterexample_out, force)
    if fmt is TableFormat.json:
        doc = result.model_dump(mode="json")
        doc["states_per_second"] = round(result.states_per_second)
        doc["counterexample_files"] = [str(p) for p in written]
        out().write(json.dumps(doc, indent=2) + "\n")
    elif fmt is TableFormat.csv:
        csvout.write(("label", "count"), (o.model_dump() for o in result.outcomes), out())
        for p in written:
            err().write(f"counterexample written to {p}\n")
    else:
        write_exploration(result, out())
        for p in written:
            out().write(f"counterexample written to {p} (`negotiation run -s {p}` replays it)\n")


def write_exploration(result: Exploration, stream: TextIO) -> None:
    """The exploration as plain text."""
    w = stream.write
    status = "complete" if result.complete else f"partial: stopped by {result.stopped}"
    w(
        f"Explored {result.scenario} ({', '.join(result.roots)}): {result.states:,} states, "
        f"{result.transitions:,} steps, depth {result.depth}; {status}\n"
    )
    w(
        f"  {result.elapsed:.2f} s, {result.states_per_second:,.0f} states/s, "
        f"{result.workers} worker(s)\n\n"
    )
    rows = len(result.outcomes)
    w(f"Outcomes ({rows:,} distinct, over {result.terminal:,} end states)\n")
    width = max([5, *(len(f"{o.count:,}") for o in result.outcomes)])
    w(f"  {'count':>{width}}  outcome\n")
    for o in result.outcomes:
        w(f"  {o.count:>{width},}  {o.label}\n")
    w("\n")
    if not result.violations:
        w("Invariants: no violation found" + ("" if result.complete else " (so far)") + "\n")
    for v in result.violations:
        kind = "built-in invariant" if v.builtin else "invariant"
        w(f"VIOLATED {kind} {v.invariant}: {v.description}\n")
        for r in v.reasons:
            w(f"    {r}\n")
        w(f"  shortest counterexample ({v.steps} steps, {v.root} timeline, ends {v.day}):\n")
        write_path(v.path, stream)
    if result.stuck_count:
        w(f"\nStuck states: {result.stuck_count}\n")
        for s in result.stuck:
            w(f"  {s.day} ({s.root}): {s.reason}\n")


def write_path(path: list[PathStep], stream: TextIO) -> None:
    for step in path:
        stream.write(f"    {step.day}  {step.text}\n")
        for d in step.details:
            stream.write(f"                {d}\n")


def sample_cmd(
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    runs: Annotated[int, typer.Option("--runs", "-n", min=1, help="Number of runs.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="The seed (recorded in the output).")] = 0,
    workers: Workers = 1,
    max_seconds: MaxSeconds = None,
    max_memory: MaxMemory = None,
    fmt: TableFormatOpt = TableFormat.text,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="tcp://HOST:PORT",
            help="Send the runs to this Dask scheduler (needs negotiation[dask]).",
        ),
    ] = None,
    dask_local: Annotated[
        int | None,
        typer.Option(
            "--dask-local",
            min=1,
            metavar="N",
            help="Send the runs to a local Dask cluster of N processes (needs negotiation[dask]).",
        ),
    ] = None,
    no_progress: NoProgress = False,
    strategies: Strategies = False,
    grid: Annotated[
        list[str] | None,
        typer.Option(
            "--grid", metavar="PARTY=S1,S2",
            help="A round-robin tournament (implies --strategies): PARTY's strategies to "
            "try, e.g. union=boulware,linear,conceder:3 (parameters after a colon: the "
            "exponent e; responses:ACCEPT:TARGET). Repeat for the other party; a party "
            "left out keeps its declared strategy.",
        ),
    ] = None,
    document: DocumentOpt = None,
    first: FirstOpt = None,
    days_per_round: DaysOpt = 1,
    branch: BranchStratOpt = None,
) -> None:
    """Monte Carlo over branch and decision probabilities: the outcome distribution with
    Wilson 95% intervals. The same seed gives the same result for any --workers, and on
    Dask (--scheduler or --dask-local). A bound, Ctrl-C or SIGTERM stops it with the
    runs done so far, runs 0 to n - 1 (then exit 130 or 143).

    With --strategies (or --grid): the two strategies the scenario declares on a
    document bargain inside the engine's run, once per seed: the outcome distribution,
    the agreement day relative to the due date (a histogram: the deadline effect) and
    each side's utility with a 95% interval; --grid runs a tournament of strategy pairs.
    Try -s labour-contract-2026-strategies --strategies -d pay_deal -n 200."""
    if strategies or grid:
        if scheduler is not None or dask_local is not None:
            raise typer.BadParameter("--strategies runs locally: drop --scheduler/--dask-local")
        from negotiation.cli.bargains import sample_strategies  # noqa: PLC0415 - on demand

        with stop_on_signals() as signals:
            signals.raising = False
            sample_strategies(
                scenario, document=document, first=first, days_per_round=days_per_round,
                branch=branch, grid=grid or [], runs=runs, seed=seed, workers=workers,
                max_seconds=max_seconds, fmt=fmt, stop=signals,
            )  # fmt: skip
            signals.exit(0)
        return
    _strategy_options(document, first, days_per_round, branch)
    if scheduler is not None and dask_local is not None:
        raise typer.BadParameter("give --scheduler or --dask-local, not both")
    if scheduler is not None:  # its syntax, before loading or contacting anything
        try:
            check_scheduler_address(scheduler)
        except NegotiationError as e:
            raise typer.BadParameter(str(e), param_hint="'--scheduler'") from None
    local = scheduler is None and dask_local is None
    if not local and (max_seconds is not None or max_memory is not None):
        raise typer.BadParameter(
            "--max-seconds and --max-memory bound local runs, not --scheduler or --dask-local"
        )
    with stop_on_signals() as signals:
        spec = load_engine(scenario).scenario
        # on Dask, KeyboardInterrupt: connecting to or starting a cluster can take
        # seconds, and the sampling, once started, turns it into a partial result
        signals.raising = not local
        with _progress(err(), not no_progress, f"sampling {runs:,} runs") as say:
            result = run_sample(
                spec,
                runs,
                seed,
                workers=workers,
                scheduler=scheduler,
                dask_local=dask_local,
                max_seconds=max_seconds,
                max_memory=default_max_memory() if max_memory is None and local else max_memory,
                stop=signals,
                progress=None if say is None else _sampled(say, runs),
            )
        signals.raising = False
        if fmt is TableFormat.json:
            doc = result.model_dump(mode="json")
            if result.stopped is None:  # a complete sampling's JSON is as it always was
                del doc["stopped"]
            out().write(json.dumps(doc, indent=2) + "\n")
        elif fmt is TableFormat.csv:
            csvout.write(SAMPLE_COLUMNS, sample_rows(result), out())
        else:
            write_sampling(result, out(), asked=runs)
        signals.exit(VIOLATED if result.violations else 0)


def _sampled(say: Say, runs: int) -> Callable[[int], None]:
    def update(done: int) -> None:
        say(f"sampled {done:,} of {runs:,} runs")

    return update


SAMPLE_COLUMNS = ("kind", "label", "count", "share", "low", "high")
"""``sample --format csv``: one row per timeline, outcome and violated invariant, each
with its count, share and Wilson 95% interval (``low``, ``high``) as fractions."""


def sample_rows(result: Sampling) -> Iterator[dict[str, Any]]:
    for kind, rows in (
        ("timeline", result.timelines),
        ("outcome", result.outcomes),
        ("violation", result.violations),
    ):
        for r in rows:
            yield {"kind": kind, **r.model_dump()}


def write_sampling(result: Sampling, stream: TextIO, asked: int | None = None) -> None:
    """The sampling as plain text (``asked``: the runs asked for, said when it stopped
    early)."""
    w = stream.write
    partial = ""
    if result.stopped is not None:
        of = f" of {asked:,}" if asked is not None else ""
        partial = f"; partial: stopped by {result.stopped} after {result.runs:,}{of} runs"
    w(
        f"Sampled {result.scenario}: {result.runs:,} runs, seed {result.seed} "
        f"({result.elapsed:.2f} s, {result.workers} worker(s)){partial}\n"
    )
    for title, rows in (
        ("Timelines", result.timelines),
        ("Outcomes", result.outcomes),
        ("Invariant violations", result.violations),
    ):
        w(f"\n{title}\n")
        if not rows:
            w("  none\n")
        for r in rows:
            w(f"  {r.share:6.1%}  [{r.low:6.1%} - {r.high:6.1%}]  {r.count:>7,}  {r.label}\n")
    if result.assumptions:
        w("\nAssumptions behind these numbers\n")
        for a in result.assumptions:
            w(f"  - {a}\n")


def check_cmd(
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    max_states: MaxStates = 20_000,
    examples: Annotated[
        int, typer.Option("--examples", min=1, help="Hypothesis examples (event sequences).")
    ] = 50,
    steps: Annotated[
        int | None,
        typer.Option(
            "--steps",
            min=1,
            help="Steps per example (default: three times the script's depth, plus 10).",
        ),
    ] = None,
    shrink: Annotated[
        bool,
        typer.Option(
            "--shrink",
            help="Let Hypothesis shrink a failure (slow; the explorer already gives the "
            "shortest path).",
        ),
    ] = False,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Say what the Hypothesis run covered.")
    ] = False,
    fmt: FormatOpt = Format.text,
    no_progress: NoProgress = False,
) -> None:
    """Check the invariants (declared and built-in) two ways: the explorer over the
    scripted space, and Hypothesis over random legal event sequences. Exits 1 on a
    violation found by either. Ctrl-C or SIGTERM stops it with what was checked so far
    (then exit 130 or 143)."""
    with stop_on_signals() as signals:
        spec = load_engine(scenario).scenario
        try:
            from negotiation.testing import (  # noqa: PLC0415 - hypothesis is optional
                MachineStatistics,
                check_machine,
            )
        except ImportError:  # pragma: no cover - hypothesis is the check extra
            fail("`negotiation check` needs hypothesis: pip install 'negotiation[check]'")
        signals.raising = False
        with _progress(err(), not no_progress, "explorer") as say:
            explored = explore(
                spec, max_states=max_states, progress=_exploring(say, "explorer: "), stop=signals
            )
        seen = MachineStatistics()
        ran: MachineRun | None = None
        if not signals():
            with _progress(err(), not no_progress, "Hypothesis") as say:

                def heard(stats: MachineStatistics) -> None:
                    nonlocal seen
                    seen = stats
                    if say is not None:
                        say(f"Hypothesis: example {stats.examples:,} of {examples:,}")
                    if signals():  # its KeyboardInterrupt was lost: raised in a finalizer
                        raise KeyboardInterrupt  # the collector ran, which swallows it

                signals.raising = True  # Hypothesis stops on KeyboardInterrupt alone
                try:
                    ran = check_machine(
                        spec, max_examples=examples, steps=steps, shrink=shrink, progress=heard
                    )
                    signals.raising = False
                except KeyboardInterrupt:
                    signals.raising = False
        checked = Checked(explored, ran, seen, examples, shrink, signals.received)
        if fmt is Format.json:
            out().write(json.dumps(checked.doc(statistics), indent=2) + "\n")
        else:
            checked.write(out(), statistics)
        problem = ran.failure if ran is not None else None
        signals.exit(VIOLATED if explored.violations or problem is not None else 0)


@dataclass(frozen=True)
class Checked:
    """What ``check`` found: the exploration, the Hypothesis run (None when a signal
    stopped it or came before it), the statistics it had reached, and the signal."""

    explored: Exploration
    ran: MachineRun | None
    seen: MachineStatistics
    examples: int
    shrink: bool
    signal: int | None

    def _stopped(self) -> str:
        name = signal.Signals(self.signal).name if self.signal is not None else "a signal"
        if self.seen.examples == 0:
            return f"not run: stopped by {name}"
        return (
            f"stopped by {name} after {self.seen.examples:,} of {self.examples:,} examples; "
            "no violation found so far"
        )

    def doc(self, statistics: bool) -> dict[str, Any]:
        stats = self.ran.statistics if self.ran is not None else self.seen
        problem = self.ran.failure if self.ran is not None else None
        hypothesis: dict[str, Any] = {
            "ok": problem is None if self.ran is not None else None,
            "failure": problem,
            "examples": self.examples,
            "steps": stats.steps_per_example or None,
            "shrink": self.shrink,
        }
        if self.ran is None:
            hypothesis["stopped"] = "interrupted"
            hypothesis["examples_run"] = self.seen.examples
        if statistics:
            hypothesis["statistics"] = {
                **{k: v for k, v in vars(stats).items() if k != "latest"},
                "latest": stats.latest.isoformat() if stats.latest else None,
            }
        return {"explorer": self.explored.model_dump(mode="json"), "hypothesis": hypothesis}

    def write(self, stream: TextIO, statistics: bool) -> None:
        write_exploration(self.explored, stream)
        if self.ran is None:
            stream.write(f"\nHypothesis: {self._stopped()}\n")
            return
        stats, problem = self.ran.statistics, self.ran.failure
        stream.write(
            f"\nHypothesis ({self.examples} examples of up to {stats.steps_per_example} "
            "steps, any legal move or the script): "
        )
        stream.write("no violation found\n" if problem is None else f"VIOLATION\n{problem}\n")
        if statistics:
            stream.write("".join(f"  {line}\n" for line in stats.lines()))


__all__ = ["check_cmd", "explore_cmd", "sample_cmd"]
