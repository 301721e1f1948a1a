"""What every command shares: options, strict dates, loading, and the output streams."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer

from negotiation import loader
from negotiation.runtime.engine import Engine

BASE = "base"
"""The name the CLI gives the base timeline (``--branch base`` or no ``--branch``)."""

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: str | dt.date) -> dt.date:
    """A date option, strictly ``YYYY-MM-DD``; anything else is a usage error (exit 2)."""
    if isinstance(value, dt.date):  # typer hands back defaults unparsed
        return value
    text = value.strip()
    if not _DAY.match(text):
        raise typer.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a real calendar date") from None


class Format(StrEnum):
    text = "text"
    json = "json"


class RunFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


ScenarioOpt = Annotated[
    str,
    typer.Option(
        "--scenario",
        "-s",
        metavar="PATH|NAME",
        help="A scenario file, or the name of a bundled scenario (see `negotiation list`).",
    ),
]
BranchOpt = Annotated[
    str | None,
    typer.Option(
        "--branch",
        "-b",
        metavar="NAME",
        help=f"A branch of the scenario; '{BASE}' (the default) is the base timeline.",
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
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
DEFAULT_SCENARIO = loader.DEFAULT_SCENARIO


def load_engine(scenario: str) -> Engine:
    """Load a scenario by path or bundled name and build its engine."""
    return Engine(loader.load_scenario(scenario))


def branch_id(engine: Engine, name: str | None, option: str = "--branch") -> str | None:
    """The engine's branch id for a CLI branch name (None for the base); an unknown
    branch is a usage error of ``option`` that lists the known ones."""
    if name is None or name == BASE:
        return None
    known = [b.id for b in engine.scenario.branches]
    if name not in known:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise typer.BadParameter(
            f"unknown branch {name!r}{hint} (branches: {', '.join([BASE, *known])})",
            param_hint=f"'{option}'",
        )
    return name


def check_not_before_start(start: dt.date, day: dt.date, option: str) -> None:
    """A day before the scenario's start is a usage error of ``option``."""
    if day < start:
        raise typer.BadParameter(
            f"{day} is before the scenario starts ({start})", param_hint=f"'{option}'"
        )


def out() -> TextIO:
    """Standard output, looked up at call time (so test runners can capture it)."""
    return sys.stdout


def err() -> TextIO:
    return sys.stderr
