"""The progress line of ``sample`` and ``check`` (and ``explore``): on stderr when it is a
terminal, never on a pipe, off with ``--no-progress``; and Ctrl-C (SIGINT) in the middle:
exit 130 after printing what was done so far.

Each test runs the real command in a fresh interpreter with stderr on a pseudo-terminal
(``pty``) or a pipe, and stdout on a pipe. A signal is sent once the progress line says
the phase it aims at has started, so the tests do not depend on how fast the machine is.
"""

from __future__ import annotations

import json
import os
import pty
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks.family import Family
from tests.conftest import ROOT, TALKS, dies_with_this_process, invoke

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")

WAIT = 60.0
"""Seconds to wait for a phase to start (an interpreter start on a loaded machine)."""


class Running:
    """``negotiation ARGS`` with stdout on a pipe and stderr on a pseudo-terminal (or a
    pipe), what the terminal showed collected as it comes."""

    def __init__(self, args: list[str], terminal: bool = True) -> None:
        path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
        env = {**os.environ, "PYTHONPATH": path}
        self.shown = b""
        self._master: int | None = None
        if terminal:
            self._master, slave = pty.openpty()
            stderr: int = slave
        else:
            stderr = subprocess.PIPE
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "negotiation.cli", *args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
            start_new_session=True,
            preexec_fn=dies_with_this_process,  # noqa: PLW1509 - see it
        )
        if terminal:
            os.close(slave)
            self._reader = threading.Thread(target=self._read, daemon=True)
            self._reader.start()

    def _read(self) -> None:
        assert self._master is not None
        while True:
            try:
                data = os.read(self._master, 65536)
            except OSError:  # EIO: every holder of the terminal's other end is gone
                break
            if not data:
                break
            self.shown += data

    def wait_for(self, text: str) -> None:
        """Until the terminal has shown ``text`` (a regular expression)."""
        deadline = time.monotonic() + WAIT
        while re.search(text.encode(), self.shown) is None:
            assert self.proc.poll() is None, f"ended before showing {text!r}: {self.shown[-300:]!r}"
            assert time.monotonic() < deadline, f"never showed {text!r}: {self.shown[-300:]!r}"
            time.sleep(0.02)

    def finish(self) -> tuple[int, str, str]:
        """Exit code, stdout, and stderr (a pipe's) or what the terminal showed."""
        try:
            out, err = self.proc.communicate(timeout=WAIT)
        finally:
            if self.proc.poll() is None:  # killed, and its pipes closed: left open, they
                os.killpg(self.proc.pid, signal.SIGKILL)  # failed a later test
                self.proc.communicate()
        if self._master is not None:
            self._reader.join(5)
            os.close(self._master)
            err = self.shown
        return self.proc.returncode, out.decode(), (err or b"").decode(errors="replace")


def run(args: list[str], terminal: bool) -> tuple[int, str, str]:
    return Running(args, terminal).finish()


@pytest.mark.parametrize(
    ("args", "shows"),
    [
        (["sample", "-s", TALKS, "--runs", "3000"], "sampling 3,000 runs"),
        (["check", "-s", TALKS, "--examples", "15"], "Hypothesis"),
    ],
    ids=["sample", "check"],
)
def test_a_progress_line_on_a_terminal_only(args: list[str], shows: str) -> None:
    code, out, shown = run(args, terminal=True)
    assert code == 0, shown
    assert shows in shown, shown  # the first text of the line: drawn when it starts
    piped_code, piped_out, piped_err = run(args, terminal=False)
    assert piped_code == 0 and piped_err == "", piped_err  # nothing on a pipe
    strip = ("elapsed", "states/s", "seconds", "(")  # timings differ from run to run
    assert [ln for ln in out.splitlines() if not any(s in ln for s in strip)] == [
        ln for ln in piped_out.splitlines() if not any(s in ln for s in strip)
    ]
    quiet_code, _, quiet = run([*args, "--no-progress"], terminal=True)
    assert quiet_code == 0 and quiet == "", quiet


def test_ctrl_c_stops_sample_with_the_partial_summary() -> None:
    running = Running(["sample", "-s", TALKS, "--runs", "10000000"])
    running.wait_for("sampling 10,000,000 runs")
    time.sleep(0.3)
    running.proc.send_signal(signal.SIGINT)
    code, out, _ = running.finish()
    assert code == 130
    first = out.splitlines()[0]
    assert first.startswith("Sampled talks: ") and "partial: stopped by interrupted after" in first
    assert first.endswith(" of 10,000,000 runs")
    assert "\nOutcomes\n" in out


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_ctrl_c_stops_check_during_hypothesis_with_what_was_checked(fmt: str) -> None:
    running = Running(["check", "-s", TALKS, "--examples", "1000000", "-f", fmt])
    # the line is redrawn ten times a second: example 2 itself may never be drawn
    running.wait_for(r"Hypothesis: example ([2-9]|\d{2,}|\d{1,3}(,\d{3})+) of")
    running.proc.send_signal(signal.SIGINT)
    code, out, _ = running.finish()
    assert code == 130
    if fmt == "json":
        doc = json.loads(out)
        assert doc["explorer"]["stopped"] is None and doc["explorer"]["states"] == 512
        hypothesis = doc["hypothesis"]
        assert hypothesis["stopped"] == "interrupted" and hypothesis["ok"] is None
        assert 2 <= hypothesis["examples_run"] < 1_000_000
        return
    assert out.startswith("Explored talks")
    assert "Invariants: no violation found\n" in out
    last = out.splitlines()[-1]
    assert last.startswith("Hypothesis: stopped by SIGINT after ")
    assert last.endswith(" of 1,000,000 examples; no violation found so far")


def test_ctrl_c_stops_check_during_the_exploration(tmp_path: Path) -> None:
    path = tmp_path / "family.yaml"
    path.write_text(json.dumps(Family(3, 4).data()), encoding="utf-8")  # 100,000 states
    running = Running(["check", "-s", str(path), "--max-states", "100000"])
    running.wait_for("explorer: ")
    running.proc.send_signal(signal.SIGINT)
    code, out, _ = running.finish()
    assert code == 130
    assert "partial: stopped by interrupted" in out.splitlines()[0]
    assert out.splitlines()[-1] == "Hypothesis: not run: stopped by SIGINT"


def test_a_signal_whose_interrupt_was_lost_still_stops_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The handler's KeyboardInterrupt can be lost: raised while the cyclic collector
    runs a finalizer, it is printed as ignored and swallowed (Hypothesis runs with the
    collector on). The signal is recorded all the same, and check stops at the next
    example. Here the handler records and raises nothing, as when it is lost."""
    import negotiation.testing  # noqa: PLC0415
    from negotiation.cli.signals import Signals  # noqa: PLC0415

    def record_only(self: Signals, signum: int, frame: object) -> None:
        if self.received is None:
            self.received = signum

    monkeypatch.setattr(Signals, "handle", record_only)
    original = negotiation.testing.check_machine

    def signalled(*args: Any, progress: Any, **kwargs: Any) -> Any:
        def heard(stats: Any) -> None:
            if stats.examples == 3:
                signal.raise_signal(signal.SIGINT)
            progress(stats)

        return original(*args, progress=heard, **kwargs)

    monkeypatch.setattr(negotiation.testing, "check_machine", signalled)
    result = invoke("check", "-s", TALKS, "--examples", "300", "-f", "json")
    assert result.exit_code == 130, result.output
    doc = json.loads(result.stdout)
    assert doc["hypothesis"]["stopped"] == "interrupted"
    assert 3 <= doc["hypothesis"]["examples_run"] < 300
