"""``resume``: continue a session saved with ``--save`` (``run``, ``step`` or ``play``).

The file is read strictly (``negotiation.persist``): an empty, truncated, corrupted,
foreign or newer file, or one whose scenario has changed since it was saved, is a
``SessionError`` (exit 2, one message). The session is rebuilt from its scenario and
checked against the saved state, then continues where it stopped, saving back to the
same file (or to ``--save``) as it goes:

* ``run``: runs on from the saved day to ``--until`` (default: the horizon) and prints
  the rest of the timeline; exits 1 if an expectation failed, like ``run``;
* ``step``: the step-through at the saved frame, reading commands as ``step`` does;
* ``play``: the role play after the saved answers, reading answers as ``play`` does (a
  bargaining, or a scripted play: the mode the session was saved in; a session saved
  before the mode was stored is a scripted one).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from negotiation import loader, persist
from negotiation.cli import saving, teach
from negotiation.cli.common import RunFormat, out, parse_date, whole_output
from negotiation.cli.run import write_trace
from negotiation.model.errors import SessionError
from negotiation.persist import Session
from negotiation.runtime.engine import Engine

EXPECTATION_FAILED = 1


def read_session(path: Path) -> Session:
    """A session file's content, read strictly; every defect is a ``SessionError``."""
    if not path.exists():
        raise SessionError(f"{path}: no such session file")
    if not path.is_file():
        raise SessionError(f"{path}: not a regular file")
    try:
        with path.open("rb") as f:
            data = f.read(persist.MAX_SESSION_BYTES + 1)
    except OSError as e:
        raise SessionError(f"{path}: cannot read it: {e.strerror or e}") from None
    return persist.loads(data, str(path))


def _continue_run(
    engine: Engine, session: Session, target: Path, until: dt.date | None, fmt: RunFormat
) -> None:
    stop = session.position.date
    done = engine.run(session.branch, until=stop)
    if done.final != session.state:
        raise SessionError(
            f"the run to {stop} does not reach the saved state; "
            "the file was edited or saved by another version"
        )
    if until is not None and until < stop:
        raise typer.BadParameter(
            f"{until} is before the saved position ({stop})", param_hint="'--until'"
        )
    trace = engine.run(session.branch, until=until)
    rest = trace.model_copy(update={"entries": tuple(e for e in trace.entries if e.date > stop)})
    saving.save_run(target, engine, session.scenario.ref, trace)
    with whole_output():
        if fmt is RunFormat.text:
            out().write(f"resumed at the close of {stop}\n")
        write_trace(rest, engine.scenario, fmt, out())
    if not trace.ok:
        raise typer.Exit(EXPECTATION_FAILED)


def resume(
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", dir_okay=False, help="A session saved with --save."),
    ],
    until: Annotated[
        dt.date | None,
        typer.Option(
            "--until",
            metavar="YYYY-MM-DD",
            parser=parse_date,
            help="A saved run: run on to the close of this day (default: the horizon).",
        ),
    ] = None,
    fmt: Annotated[
        RunFormat, typer.Option("--format", "-f", help="A saved run: output format.")
    ] = RunFormat.text,
    save: saving.SaveOpt = None,
) -> None:
    """Continue a session saved with --save: a run goes on to the horizon (or --until),
    a step or play session reads commands where it stopped. The session is saved back
    to FILE (or to --save) as it goes."""
    session = read_session(file)
    scenario = loader.load_scenario(session.scenario.ref, named_by="a saved session")
    persist.check_scenario(session, scenario, str(file))
    engine = Engine(scenario)
    target = save or file
    try:
        if session.command == "run":
            _continue_run(engine, session, target, until, fmt)
        elif session.command == "step":
            live = saving.restore_step(engine, session)
            until_day = saving.until_of(session)
            saver = saving.step_saver(target, engine, session.scenario.ref, until_day)
            teach.step_loop(engine, live, saver)
        elif saving.mode_of(session) == "bargain":
            options, bargain_saver, replay = saving.restore_bargain(engine, session, target)
            teach.bargain_loop(engine, options, bargain_saver, replay)
        else:
            played, answers = saving.restore_play(engine, session)
            saver_ = saving.PlaySaver(
                target, engine, session.scenario.ref, saving.until_of(session), answers
            )
            teach.play_loop(engine, played, saver_)
    except SessionError as e:
        if str(e).startswith(f"{file}:"):
            raise
        raise SessionError(f"{file}: cannot resume this session: {e}") from None


__all__ = ["read_session", "resume"]
