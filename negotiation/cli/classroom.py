"""``negotiation classroom``: serve the classroom (``negotiation.classroom``) on the web.

It needs the ``classroom`` extra; without it the command says which ``pip install`` to
run (exit 2). The database is ``--db`` or ``$XDG_DATA_HOME/negotiation/classroom.sqlite``
(``~/.local/share`` when the variable is not set); an existing file that is not a
classroom database is refused (exit 2) and left as it is.
"""

from __future__ import annotations

import importlib.util
import os
import socket
from pathlib import Path
from typing import Annotated

import typer

from negotiation.cli.common import DEFAULT_SCENARIO, ScenarioOpt, err, fail, note_shadowed, out
from negotiation.cli.signals import stop_on_signals
from negotiation.runtime import collect

EXTRA = "pip install 'negotiation[classroom]'"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def default_db() -> Path:
    """``$XDG_DATA_HOME/negotiation/classroom.sqlite`` (or under ``~/.local/share``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "negotiation" / "classroom.sqlite"


def _link_host(host: str) -> str:
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - naming the wildcard, not binding it
        return socket.gethostname()
    return f"[{host}]" if ":" in host else host


def classroom(
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="The address to listen on. The default, 127.0.0.1, is this machine "
            "only; 0.0.0.0 is every network this machine is on (for a class network).",
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="The port (0: any free port).")
    ] = 8765,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            metavar="PATH",
            dir_okay=False,
            help="The SQLite file of the groups and their moves (created if missing). "
            "Default: $XDG_DATA_HOME/negotiation/classroom.sqlite.",
        ),
    ] = None,
) -> None:
    """Run a class: students negotiate in the browser, the instructor runs and debriefs.

    Starts a local web server and prints the instructor's link. On that page the
    instructor creates groups, chooses the parties students play (the other parties
    follow the scenario's script), hands out a join link per seat, starts, pauses,
    advances and ends each group, and debriefs (outcomes side by side, histories, CSV
    and JSON). Every accepted move is stored in the database before the page answers;
    started again on the same database, the server resumes every group.
    """
    missing = [m for m in ("starlette", "uvicorn") if importlib.util.find_spec(m) is None]
    if missing:
        fail(f"the classroom needs {' and '.join(missing)}: {EXTRA}")
    from negotiation.classroom import open_classroom, serve  # noqa: PLC0415

    note_shadowed(scenario)
    room = open_classroom(db or default_db(), scenario)
    if host not in LOOPBACK:
        err().write(
            f"warning: listening on {host}: anyone who can reach this machine on the "
            "network can open the pages (the links' tokens are the only lock, and plain "
            "HTTP is not encrypted); use it on a class network you trust\n"
        )

    def ready(bound: int) -> None:
        where = f"http://{_link_host(host)}:{bound}"
        out().write(
            f"Classroom for {room.engine.scenario.title}\n"
            f"Database: {room.store.path}\n"
            f"Instructor page (keep it to yourself): {where}/instructor/{room.instructor}\n"
            "Students join by the links on that page. Ctrl-C stops the server; the groups "
            "stay in the database.\n"
        )
        out().flush()

    # a server runs for a whole class and makes cyclic garbage with every request: the
    # collector the command pauses (``runtime.collect``) is on while it serves.
    # Ctrl-C and SIGTERM: uvicorn shuts down gracefully, puts back the handlers it found
    # and raises the signal again. Ours only record it (asyncio's own SIGINT handler, in
    # place of Python's default, cancelled the finished run or not, by a race: the exit
    # code was 130 or 0), and the command exits 128 + the signal, as explore and sample.
    with stop_on_signals() as signals, collect.resumed():
        signals.raising = False
        serve(room, host, port, ready, signals)
    signals.exit()
