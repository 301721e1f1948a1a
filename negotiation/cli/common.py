"""What every command shares: options, strict dates, loading, and the output streams."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn, TextIO, cast

import typer

from negotiation import loader
from negotiation.model.dates import EARLIEST, LATEST
from negotiation.model.errors import NegotiationError, did_you_mean
from negotiation.model.scenario import Scenario
from negotiation.render.escape import TerminalStream
from negotiation.runtime.engine import Engine

BASE = "base"
"""The name the CLI gives the base timeline (``--branch base`` or no ``--branch``)."""
DEFAULT_SCENARIO = loader.DEFAULT_SCENARIO
SCENARIO_ENV = "NEGOTIATION_SCENARIO"
"""The environment variable that, when set, is the default of ``--scenario/-s``."""
BAD_INPUT = 2
"""The exit code of bad input: an invalid file or option, a file that would be overwritten."""

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: str | dt.date) -> dt.date:
    """A date option, strictly ``YYYY-MM-DD`` within the supported calendar
    (``dates.EARLIEST`` to ``dates.LATEST``); anything else is a usage error (exit 2)."""
    if isinstance(value, dt.date):  # typer hands back defaults unparsed
        return value
    text = value.strip()
    if not _DAY.match(text):
        raise typer.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a real calendar date") from None
    if not EARLIEST <= day <= LATEST:
        raise typer.BadParameter(
            f"{day} is outside the supported calendar ({EARLIEST} to {LATEST}, the dates "
            "a scenario may use)"
        )
    return day


class Format(StrEnum):
    text = "text"
    json = "json"


class RunFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


class TableFormat(StrEnum):
    """Formats of a command whose result is a table (outcome counts)."""

    text = "text"
    json = "json"
    csv = "csv"


# -- completion: names a shell offers after --scenario, --branch, --as, --document -----------


def complete_scenario(incomplete: str) -> list[str]:
    """Bundled scenario names; none for what looks like a path, so the shell completes
    file names instead."""
    return [n for n in loader.bundled_names() if n.startswith(incomplete)]


def _completing(ctx: typer.Context) -> Scenario | None:
    """The scenario named so far on the command line being completed (or the default)."""
    chosen = ctx.params.get("scenario") or os.environ.get(SCENARIO_ENV) or DEFAULT_SCENARIO
    try:
        return loader.load_scenario(str(chosen))
    except (NegotiationError, OSError):
        return None


def _completer(names: Callable[[Scenario], list[str]]) -> Callable[..., list[str]]:
    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        scenario = _completing(ctx)
        known = names(scenario) if scenario is not None else []
        return [n for n in known if n.startswith(incomplete)]

    return complete


complete_branch = _completer(lambda s: [BASE, *(b.id for b in s.branches)])
complete_party = _completer(lambda s: [p.id for p in s.parties])
complete_document = _completer(lambda s: [d.id for d in s.documents])


ScenarioOpt = Annotated[
    str,
    typer.Option(
        "--scenario",
        "-s",
        metavar="PATH|NAME",
        envvar=SCENARIO_ENV,
        autocompletion=complete_scenario,
        help="A scenario file, or the name of a bundled scenario (see `negotiation list`). "
        "A bare name is the bundled scenario even if a file of that name is in the "
        "working directory (a note says so); write ./NAME for the file.",
    ),
]
BranchOpt = Annotated[
    str | None,
    typer.Option(
        "--branch",
        "-b",
        metavar="NAME",
        autocompletion=complete_branch,
        help=f"A branch of the scenario; '{BASE}' (the default) is the base timeline.",
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
TableFormatOpt = Annotated[
    TableFormat,
    typer.Option("--format", "-f", help="Output format; csv: the outcome table alone."),
]
SaveOpt = Annotated[
    Path | None,
    typer.Option(
        "--save",
        metavar="FILE",
        dir_okay=False,
        help="Save the session to FILE (replaced atomically as it goes); "
        "continue it with `negotiation resume FILE`.",
    ),
]
"""``--save FILE`` of ``run``, ``step``, ``play`` and ``resume`` (see ``cli.saving``)."""
AtOpt = Annotated[
    dt.date,
    typer.Option(
        "--at",
        metavar="YYYY-MM-DD",
        parser=parse_date,
        help="The day: the state at its close (after its events and deadlines).",
    ),
]


def note_shadowed(scenario: str) -> None:
    """One line on stderr when a bundled scenario's name also names a file or folder in
    the working directory (the bundled one is used; see ``loader.resolve``)."""
    local = loader.shadowed(scenario)
    if local is not None:
        kind = "folder" if local.is_dir() else "file"
        err().write(
            f"note: {scenario!r} is the bundled scenario; the {kind} ./{local} in this "
            f"directory is not used (write ./{local} to use it)\n"
        )


def load_engine(scenario: str) -> Engine:
    """Load a scenario by path or bundled name and build its engine."""
    note_shadowed(scenario)
    return Engine(loader.load_scenario(scenario))


def branch_id(engine: Engine, name: str | None, option: str = "--branch") -> str | None:
    """The engine's branch id for a CLI branch name (None for the base); an unknown
    branch is a usage error of ``option`` that lists the known ones."""
    if name is None or name == BASE:
        return None
    known = [b.id for b in engine.scenario.branches]
    if name not in known:
        raise typer.BadParameter(
            f"unknown branch {name!r}{did_you_mean(name, known)} "
            f"(branches: {', '.join([BASE, *known])})",
            param_hint=f"'{option}'",
        )
    return name


def check_not_before_start(start: dt.date, day: dt.date, option: str) -> None:
    """A day before the scenario's start is a usage error of ``option``."""
    if day < start:
        raise typer.BadParameter(
            f"{day} is before the scenario starts ({start})", param_hint=f"'{option}'"
        )


_STREAMS: dict[str, TerminalStream] = {}


def _stream(name: str, inner: TextIO) -> TextIO:
    """The ``TerminalStream`` over ``inner`` (one per stream, so the output bound counts
    everything a command writes to it)."""
    current = _STREAMS.get(name)
    if current is None or current.inner is not inner:
        current = _STREAMS[name] = TerminalStream(inner, name)
    return cast(TextIO, current)


def out() -> TextIO:
    """Standard output, looked up at call time (so test runners can capture it), through
    a ``TerminalStream``: control characters made visible, an encoding fallback, the
    output bound."""
    return _stream("stdout", sys.stdout)


def err() -> TextIO:
    """Standard error, as ``out``."""
    return _stream("stderr", sys.stderr)


@contextmanager
def whole_output() -> Iterator[None]:
    """Standard output held for the duration and written in one piece at the end: a
    command that passes the output bound on its last line (or fails in any other way
    half-way through its output) prints none of it, only the error on stderr. Ended by
    ``typer.Exit`` (a result with exit code 1, or a partial result after a signal) the
    output is written; ended by any other exception it is dropped."""
    current = out()
    assert isinstance(current, TerminalStream)
    if current.holding:  # already held (a command called from another)
        yield
        return
    current.hold()
    try:
        yield
    except (typer.Exit, SystemExit):
        current.release()
        raise
    except BaseException:
        current.discard()
        raise
    current.release()


def show_error(message: str, *notes: str) -> None:
    """The one way the CLI reports an error, ours or a usage error: ``error: MESSAGE`` on
    stderr, then the notes (a usage error's usage line and where to find help)."""
    from negotiation.render import text  # noqa: PLC0415 - rich and the renderers only now

    text.error(message, err(), *notes)


def fail(message: str, code: int = BAD_INPUT) -> NoReturn:
    """Report an error and exit with ``code`` (bad input unless said otherwise)."""
    show_error(message)
    raise typer.Exit(code)
