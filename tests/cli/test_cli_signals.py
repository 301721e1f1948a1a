"""cli.signals: handlers for one command, put back after; a signal before the work
raises (exit 130/143 with one line), during it only asks the work to stop."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest
import typer

from negotiation.cli.signals import stop_on_signals

HANDLED = (signal.SIGINT, signal.SIGTERM)


def ignore(signum: int, frame: object) -> None:
    """This test's own handler, so that a stray signal cannot end the test run."""


@pytest.fixture(autouse=True)
def harmless() -> Iterator[None]:
    previous = {s: signal.signal(s, ignore) for s in HANDLED}
    yield
    for s, handler in previous.items():
        signal.signal(s, handler)


def test_the_previous_handlers_come_back() -> None:
    with stop_on_signals() as signals:
        assert [signal.getsignal(s) for s in HANDLED] == [signals.handle] * 2
    assert [signal.getsignal(s) for s in HANDLED] == [ignore] * 2
    with pytest.raises(typer.Exit), stop_on_signals():
        raise typer.Exit(2)
    assert [signal.getsignal(s) for s in HANDLED] == [ignore] * 2


def during_the_work(signum: int) -> None:
    with stop_on_signals() as signals:
        signals.raising = False
        assert not signals()
        os.kill(os.getpid(), signum)
        time.sleep(0.01)  # the handler runs between two bytecodes of this thread
        assert signals()
        os.kill(os.getpid(), signal.SIGINT)  # a second signal changes nothing
        time.sleep(0.01)
        assert signals.received == signum
        signals.exit(1)  # a violation's exit code gives way to the signal's


@pytest.mark.parametrize("signum", HANDLED)
def test_a_signal_during_the_work_only_asks_it_to_stop(signum: int) -> None:
    with pytest.raises(typer.Exit) as ended:
        during_the_work(signum)
    assert ended.value.exit_code == 128 + signum


def before_the_work(signum: int) -> None:
    with stop_on_signals():
        os.kill(os.getpid(), signum)
        time.sleep(5)  # the handler's KeyboardInterrupt ends this


@pytest.mark.parametrize("signum", HANDLED)
def test_a_signal_before_the_work_ends_the_command(
    signum: int, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.perf_counter()
    with pytest.raises(typer.Exit) as ended:
        before_the_work(signum)
    assert time.perf_counter() - started < 1
    assert ended.value.exit_code == 128 + signum
    assert capsys.readouterr().err == (
        f"stopped by {signal.Signals(signum).name} before there was a result\n"
    )


def test_no_signal_no_exit() -> None:
    with stop_on_signals() as signals:
        signals.exit(0)
    with pytest.raises(typer.Exit) as ended, stop_on_signals() as again:
        again.exit(1)
    assert ended.value.exit_code == 1
