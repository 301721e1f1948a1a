"""Teaching commands: ``step``, ``play``, ``diagram`` and ``report``.

``step`` and ``play`` read commands line by line: from the terminal with a prompt, or,
when stdin is not a terminal, from stdin (each line is echoed after ``> `` so a
transcript reads like a session); the end of input ends the session cleanly (exit 0).
``diagram`` and ``report`` write to stdout or to ``-o FILE``; an existing file is never
overwritten without ``--force`` (exit 2).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from negotiation.behaviour.strategies import Move
from negotiation.cli import saving
from negotiation.cli.common import (
    DEFAULT_SCENARIO,
    BranchOpt,
    ScenarioOpt,
    branch_id,
    check_not_before_start,
    complete_document,
    complete_party,
    err,
    fail,
    load_engine,
    out,
    parse_date,
)
from negotiation.model.errors import SessionError, did_you_mean
from negotiation.persist import write_new
from negotiation.render import diagram as draw
from negotiation.render import report as pages
from negotiation.render import roles as roles_html
from negotiation.render import session as show
from negotiation.runtime.engine import Engine
from negotiation.teach.compare import compare
from negotiation.teach.play import PlaySession
from negotiation.teach.script import end_day, recorded_frames
from negotiation.teach.step import StepSession

UntilOpt = Annotated[
    dt.date | None,
    typer.Option(
        "--until",
        metavar="YYYY-MM-DD",
        parser=parse_date,
        help="Run to the close of this day; it may lie past the scenario's horizon "
        "(scripted events after the horizon are then included). Default: the horizon.",
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of stdout."),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite the output file if it exists.")]


def _emit(text: str) -> None:
    if text:
        out().write(text.rstrip("\n") + "\n")
        out().flush()


def _commands(prompt: str) -> Iterator[str]:
    """Command lines: typed at a prompt on a terminal, else read from stdin (echoed)."""
    stdin = sys.stdin
    interactive = bool(getattr(stdin, "isatty", lambda: False)())
    while True:
        if interactive:
            try:
                yield input(prompt)
            except EOFError:
                return
            continue
        line = stdin.readline()
        if not line:
            return
        line = line.rstrip("\r\n")
        _emit(f"{prompt}{line}")
        yield line


def step(
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    branch: BranchOpt = None,
    until: UntilOpt = None,
    save: saving.SaveOpt = None,
) -> None:
    """Step through a timeline: each step's event, source and claim status, what changed,
    why, and the deadlines ahead. Commands: next (n), back (b), jump DATE (j),
    state (s), why MOVE (w), help (h), quit (q)."""
    engine = load_engine(scenario)
    b = branch_id(engine, branch)
    if until is not None:
        check_not_before_start(engine.initial_state().date, until, "--until")
    session = StepSession.start(engine, b, until)
    ref = saving.scenario_ref(scenario)
    step_loop(engine, session, saving.step_saver(save, engine, ref, until) if save else None)


def step_loop(
    engine: Engine, session: StepSession, on_move: Callable[[StepSession], None] | None = None
) -> None:
    """Read step commands until quit or the end of input (``resume`` continues here);
    ``on_move`` sees the session after every command (``--save``)."""
    _emit(show.step_intro(engine.scenario, session))
    _emit(show.step_reply(engine.scenario, session, session.show()))
    if on_move is not None:
        on_move(session)
    for line in _commands("step> "):
        session, reply = session.handle(line)
        if on_move is not None:
            on_move(session)
        _emit(show.step_reply(engine.scenario, session, reply))
        if session.finished:
            return
    _emit("end of input")


def play(
    party: Annotated[
        str,
        typer.Option(
            "--as",
            metavar="PARTY",
            autocompletion=complete_party,
            help="The party whose decisions you take.",
        ),
    ],
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    branch: BranchOpt = None,
    until: UntilOpt = None,
    predict: Annotated[
        bool,
        typer.Option("--predict", help="Scripted play: before each step, predict the next state."),
    ] = False,
    save: saving.SaveOpt = None,
    script: Annotated[
        bool,
        typer.Option(
            "--script",
            help="Replay the record: the others follow the script and the rules (the "
            "default where the scenario declares no strategies for PARTY's table).",
        ),
    ] = False,
    bargain: Annotated[
        bool,
        typer.Option(
            "--bargain",
            help="Bargain against the other side's declared strategy: the default where "
            "the scenario declares strategies for PARTY and another party on a document "
            "(kept as an alias).",
        ),
    ] = False,
    document: Annotated[
        str | None,
        typer.Option("--document", "-d", metavar="ID", autocompletion=complete_document,
                     help="Bargaining: the document (default: the one PARTY has a table on)."),
    ] = None,
    days_per_round: Annotated[
        int, typer.Option("--days-per-round", min=1, help="Bargaining: days between rounds.")
    ] = 1,
    seed: Annotated[int, typer.Option("--seed", help="Bargaining: the seed.")] = 0,
) -> None:  # fmt: skip
    """Role play: take PARTY's decisions.

    Where the scenario declares strategies for PARTY and another party on a document,
    you bargain against the other side's strategy (alternating offers inside the run of
    the timeline): each turn lists the responses and the offers in plain words with your
    utility beside each (best for you first, a page at a time); the end sets your
    outcome beside the strategies' own and the record's. Try -s
    labour-contract-2026-strategies --as union -d pay_deal --days-per-round 7.

    Elsewhere, or with --script: the others follow the script and the rules. At each
    decision: the legal moves, the blocked ones with their reasons; answer with a
    number, 'scripted', 'pass' or a move. Scripted events your path makes illegal are
    skipped and logged. At the end: your path beside the recorded timeline.
    """
    engine = load_engine(scenario)
    b = branch_id(engine, branch)
    if script and bargain:
        raise typer.BadParameter("give --script or --bargain, not both", param_hint="'--script'")
    known = [p.id for p in engine.scenario.parties]
    if party not in known:
        raise typer.BadParameter(
            f"unknown party {party!r} (parties: {', '.join(known)})", param_hint="'--as'"
        )
    from negotiation.teach.bargaining import tables  # noqa: PLC0415 - on demand

    found = [] if script else tables(engine, party)
    if bargain or found:
        document = _table(party, found, document, bargain)
        if predict or until is not None:
            raise typer.BadParameter(
                f"--predict and --until are for the scripted play; {party} bargains against "
                "the declared strategy here: add --script to replay the record instead",
                param_hint="'--script'",
            )
        ref = saving.scenario_ref(scenario)
        options = saving.BargainOptions(party, document, days_per_round, seed, b)
        bargain_loop(engine, options,
                     saving.BargainSaver(save, engine, ref, options) if save else None)  # fmt: skip
        return
    if document is not None or days_per_round != 1 or seed != 0:
        why = ("with --script" if script else
               f"here: the scenario declares no strategies for {party} and another party")
        raise typer.BadParameter(
            f"--document, --days-per-round and --seed are for bargaining, not {why}",
            param_hint="'--document'",
        )
    if until is not None:
        check_not_before_start(engine.initial_state().date, until, "--until")
    session = PlaySession.begin(engine, party, b, until, predict)
    ref = saving.scenario_ref(scenario)
    play_loop(engine, session, saving.PlaySaver(save, engine, ref, until) if save else None)


def _table(party: str, found: list[str], document: str | None, forced: bool) -> str | None:
    """The document to bargain on: the one named, else PARTY's one table (several: a
    usage error; none, with --bargain: None, and the bargaining says why)."""
    if document is not None or len(found) == 1:
        return document or found[0]
    if len(found) > 1:
        raise typer.BadParameter(
            f"name a document: {party} can bargain on {', '.join(found)} (-d ID), or give "
            "--script to replay the record",
            param_hint="'--document'",
        )
    assert forced
    return None


def bargain_loop(
    engine: Engine, options: saving.BargainOptions, saver: saving.BargainSaver | None,
    replay: saving.Replay | None = None,
) -> None:  # fmt: skip
    """Bargaining in ``play``: the menu at each turn, a line read for each answer;
    ``replay``: a saved session's answers, given first (``resume`` continues here)."""
    from negotiation.teach.bargaining import (  # noqa: PLC0415
        Menu,
        comparison,
        mediates,
        play_bargain,
    )

    lines = _commands("bargain> ")

    def ask(menu: Menu) -> Move | None:
        if replay is not None and replay.pending:
            again = replay.next(menu)
            _emit(f"{menu.day}: you (saved): {again.words}")
            return again.move
        page = 0
        _emit(menu.text(page))
        for line in lines:
            answer = line.strip().lower()
            if answer in ("quit", "q"):
                return None
            if answer == "more":
                page = (page + 1) % menu.pages
                _emit(menu.text(page))
                continue
            if answer == "back":
                page = 0
                _emit(menu.text(page))
                continue
            chosen = menu.choose(int(answer), page) if answer.isdigit() else None
            if chosen is not None:
                _emit(f"you: {chosen.words}")
                if saver is not None:
                    saver(menu, chosen)
                return chosen.move
            _emit("answer with a number from the list, 'more', 'back' or 'quit'")
        _emit("end of input")
        return None

    docs = [d.id for d in engine.scenario.documents]
    if options.document is not None and options.document not in docs:
        raise typer.BadParameter(
            f"unknown document {options.document!r}{did_you_mean(options.document, docs)} "
            f"(documents: {', '.join(docs)})",
            param_hint="'--document'",
        )
    if options.document is not None and mediates(engine, options.party, options.document):
        _emit(f"mediating on {options.document} as {options.party}: you draft the texts, "
              "the parties answer by their declared strategies (--script replays the "
              "record instead)")  # fmt: skip
    elif options.document is not None:
        _emit(f"bargaining on {options.document} as {options.party} against the other "
              "side's declared strategy (--script replays the record instead)")  # fmt: skip
    played = play_bargain(engine, options.party, ask, options.document,
                          days_per_round=options.days_per_round, seed=options.seed,
                          branch=options.branch)  # fmt: skip
    if replay is not None and replay.pending:
        raise SessionError(
            f"the bargaining ended with {len(replay.pending)} saved answer(s) left to replay"
        )
    if played.stopped:
        _emit("stopped before the end: no comparison")
        return
    _emit("")
    _emit(comparison(played))


def play_loop(
    engine: Engine,
    session: PlaySession,
    on_answer: Callable[[PlaySession | None, str, PlaySession], None] | None = None,
) -> None:
    """Read answers until quit, the end of the session or of input (``resume`` continues
    here); ``on_answer`` sees each answer with the sessions before and after (``--save``)."""
    party = session.party
    _emit(show.play_intro(engine.scenario, session))
    _emit(show.log_text(session.log))
    _emit(show.prompt_text(session))
    if on_answer is not None:
        on_answer(None, "", session)
    if not session.finished:
        for line in _commands("play> "):
            before = session
            session = session.answer(line)
            if on_answer is not None:
                on_answer(before, line, session)
            if session.reply != "back" and len(session.log) >= len(before.log):
                _emit(show.log_text(session.log[len(before.log) :]))
            _emit(show.play_reply(engine.scenario, session))
            if session.quit or session.finished:
                break
            if session.reply in ("", "back"):
                _emit(show.prompt_text(session))
        else:
            _emit("end of input")
    if session.finished:
        _emit("")
        _emit(show.comparison_text(compare(session.recorded, session), party))
    else:
        _emit(f"stopped at {session.state.date}, before the end ({session.end}): no comparison")


class DiagramFormat(StrEnum):
    mermaid = "mermaid"
    dot = "dot"
    svg = "svg"


def _write(text: str, output: Path | None, force: bool) -> None:
    if output is None:
        out().write(text)
        return
    write_new(output, text, force)  # complete or absent; never replaces without force
    err().write(f"wrote {output}\n")


def diagram(
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    fmt: Annotated[DiagramFormat, typer.Option("--format", "-f", help="Output format.")] = (
        DiagramFormat.mermaid
    ),
    document: Annotated[
        str | None,
        typer.Option(
            "--document",
            "-d",
            metavar="DOC",
            autocompletion=complete_document,
            help="Only this document.",
        ),
    ] = None,
    branch: BranchOpt = None,
    until: UntilOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Draw the documents' lifecycles with the path the run took highlighted.

    Mermaid (renders on code-hosting sites), Graphviz DOT, or SVG drawn by this package
    (no Graphviz needed). States and moves each document went through are marked.
    """
    engine = load_engine(scenario)
    b = branch_id(engine, branch)
    docs = [d.id for d in engine.scenario.documents]
    if document is not None and document not in docs:
        raise typer.BadParameter(
            f"unknown document {document!r} (documents: {', '.join(docs)})",
            param_hint="'--document'",
        )
    if until is not None:
        check_not_before_start(engine.initial_state().date, until, "--until")
    frames = recorded_frames(engine, b, until)
    paths = draw.paths_from_entries(e for f in frames for e in f.entries)
    chosen = [document] if document is not None else docs
    panels = draw.panels(engine, paths, chosen)
    render = {"mermaid": draw.mermaid, "dot": draw.dot, "svg": draw.svg}[fmt.value]
    _write(render(panels, engine.scenario.title), output, force)


MAX_RESULTS_BYTES = 16 * 1024 * 1024
"""The largest ``--results`` file read (explore and sample print a few kilobytes)."""


def _not_a_number(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def _results(path: Path | None) -> tuple[pages.OutcomeRow, ...] | None:
    if path is None:
        return None
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_RESULTS_BYTES + 1)
        if len(raw) > MAX_RESULTS_BYTES:
            raise ValueError(f"larger than {MAX_RESULTS_BYTES // 2**20} MiB")
        data = json.loads(raw.decode("utf-8"), parse_constant=_not_a_number)
    except OSError as e:
        raise typer.BadParameter(
            f"cannot read {path}: {e.strerror or e}", param_hint="'--results'"
        ) from None
    except (ValueError, RecursionError) as e:
        raise typer.BadParameter(
            f"cannot read {path}: {str(e)[:200]}", param_hint="'--results'"
        ) from None
    try:
        return pages.outcome_rows(data)
    except ValueError as e:
        raise typer.BadParameter(f"{path}: {e}", param_hint="'--results'") from None


def report(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="FILE.html|FILE.md", help="The page to write (.html or .md)."
        ),
    ],
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    results: Annotated[
        Path | None,
        typer.Option(
            "--results",
            metavar="FILE",
            help="Explore or sample results: the JSON they print with --format json, or "
            '{"outcomes": {"NAME": COUNT, ...}}. Adds the outcome chart.',
        ),
    ] = None,
    branch: BranchOpt = None,
    until: UntilOpt = None,
    force: ForceOpt = False,
) -> None:
    """Write a self-contained report: a timeline chart (a swimlane per document, the
    deadlines marked), the positions over time, the trace with sources and claim
    status, and the outcome chart. HTML works offline; Markdown uses Mermaid."""
    suffix = output.suffix.lower()
    if suffix not in (".html", ".htm", ".md"):
        raise typer.BadParameter("the report is FILE.html or FILE.md", param_hint="'--output'")
    if output.exists() and not force:
        fail(f"{output} exists; use --force to overwrite it")
    engine = load_engine(scenario)
    b = branch_id(engine, branch)
    if until is not None:
        check_not_before_start(engine.initial_state().date, until, "--until")
    counts = _results(results)
    frames = recorded_frames(engine, b, until)
    data = pages.ReportData.build(engine, frames, b, end_day(engine, b, until), counts)
    page = pages.markdown(data) if suffix == ".md" else pages.html(data)
    _write(page, output, force)


def roles(
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="DIR", help="The folder to write the sheets to."),
    ],
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    party: Annotated[
        list[str] | None,
        typer.Option(
            "--party",
            "-p",
            metavar="PARTY",
            autocompletion=complete_party,
            help="Only this party (repeat for more); every party by default.",
        ),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Write each party's private role sheet as a printable HTML page, DIR/PARTY.html:
    who it is, its positions at the start, the deadlines it sets and faces, its
    interests in each document and its BATNA (labelled as the scenario's assumptions),
    and instructions for a class. Open a sheet in a browser and print it.

    No file is written if one of them exists (unless --force)."""
    engine = load_engine(scenario)
    known = roles_html.parties(engine.scenario)
    chosen = list(dict.fromkeys(party)) if party else list(known)
    for p in chosen:
        if p not in known:
            raise typer.BadParameter(
                f"unknown party {p!r} (parties: {', '.join(known)})", param_hint="'--party'"
            )
    if output.exists() and not output.is_dir():
        fail(f"{output} is not a folder")
    targets = [output / f"{p}.html" for p in chosen]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        fail(f"{existing[0]} exists; use --force to overwrite it (nothing was written)")
    output.mkdir(parents=True, exist_ok=True)
    for p, target in zip(chosen, targets, strict=True):
        write_new(target, roles_html.role_page(engine.scenario, p), force)
        err().write(f"wrote {target}\n")
