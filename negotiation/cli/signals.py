"""SIGINT and SIGTERM during ``explore`` and ``sample``: the work stops, what it found is
printed, and the command exits 128 + the signal's number (130 for SIGINT, 143 for
SIGTERM).

The command line owns its process, so it alone installs signal handlers: for the length
of one command, putting the previous ones back after (a library call never does; its
caller gets KeyboardInterrupt as usual). While the scenario loads (``Signals.raising``)
a signal raises KeyboardInterrupt: there is nothing to keep yet, and the command exits
at once. While the search or the sampling runs, a signal only sets
``Signals.received``, which the work reads as its ``stop()`` between chunks (and, with
workers, every ``search.workers.POLL`` seconds while it waits for one): it stops its
workers and returns a partial result (``stopped: interrupted``), which the command
prints before it exits.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import typer

from negotiation.cli.common import err

HANDLED = (signal.SIGINT, signal.SIGTERM)


class Signals:
    """What the handlers saw: the first signal received, if any."""

    def __init__(self) -> None:
        self.received: int | None = None
        self.raising = True
        """Whether a signal raises KeyboardInterrupt (before the work starts)."""

    def __call__(self) -> bool:
        """The work's ``stop()``: whether a signal came."""
        return self.received is not None

    def exit(self, code: int = 0) -> None:
        """End the command with 128 + the signal's number if one came, else ``code``."""
        if self.received is not None:
            code = 128 + self.received
        if code:
            raise typer.Exit(code)

    def handle(self, signum: int, frame: FrameType | None) -> None:
        first = self.received is None
        if first:
            self.received = signum
        if first and self.raising:
            raise KeyboardInterrupt


@contextmanager
def stop_on_signals() -> Iterator[Signals]:
    """SIGINT and SIGTERM handled as the module docstring says, for the duration (only
    in the main thread, the only one that may set handlers; elsewhere nothing changes)."""
    state = Signals()
    if threading.current_thread() is not threading.main_thread():
        yield state
        return
    previous = {s: signal.signal(s, state.handle) for s in HANDLED}
    try:
        yield state
    except KeyboardInterrupt:
        number = state.received or signal.SIGINT
        err().write(f"stopped by {signal.Signals(number).name} before there was a result\n")
        raise typer.Exit(128 + number) from None
    finally:
        for s, handler in previous.items():
            if handler is not None:
                signal.signal(s, handler)


__all__ = ["Signals", "stop_on_signals"]
