"""Run the ``negotiation`` command line on hostile input, many cases at once, each in its
own process with a timeout that only catches hangs.

Each case runs ``negotiation.cli.main()`` (what the ``negotiation`` script calls) in a
process forked from a server that has imported the package once, with its own argv,
working directory, stdout and stderr: a real process exit code, real output streams, a
SIGKILL when it hangs, and milliseconds per case instead of an interpreter start.
``run_script`` runs the installed entry point itself (``python -m negotiation.cli``) for
the few tests that check the whole path (or need their own environment).

``patches`` (``{"negotiation.persist.MAX_OUTPUT_BYTES": 4096}``) sets module attributes
in each case's process before the command runs: a budget lowered to a size a test can
reach cheaply (the mechanism is what is tested; other tests use the shipped values).
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from negotiation.cli import main
from tests.conftest import ROOT, forkserver

TIMEOUT = 30.0
"""Seconds before a case counts as hung (generous: budgets answer in well under one)."""


@dataclass(frozen=True)
class Result:
    argv: tuple[str, ...]
    code: int | None  # None: hung and killed
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        """Both streams, whitespace folded (so a wrapped line still matches)."""
        return " ".join((self.stdout + " " + self.stderr).split())

    def __str__(self) -> str:
        return (
            f"negotiation {' '.join(self.argv)} -> exit {self.code} in {self.seconds:.1f}s\n"
            f"--- stdout\n{self.stdout[:2000]}\n--- stderr\n{self.stderr[:2000]}"
        )


def _child(
    argv: Sequence[str], cwd: str, out: str, err: str, patches: dict[str, Any]
) -> None:  # pragma: no cover
    """The forked process: redirect fd 1 and 2, apply the patches, run the CLI, exit with
    its code."""
    for name, value in patches.items():
        module, attribute = name.rsplit(".", 1)
        setattr(importlib.import_module(module), attribute, value)
    for fd, name in ((1, out), (2, err)):
        target = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    os.chdir(cwd)
    code: int = 0
    try:
        sys.argv = ["negotiation", *argv]
        main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 70
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def run_cli(
    cases: Sequence[Sequence[str]],
    cwd: Path | None = None,
    timeout: float = TIMEOUT,
    patches: dict[str, Any] | None = None,
) -> list[Result]:
    """Run every case (an argv after ``negotiation``), a few at a time; results in order.
    A case still running after ``timeout`` seconds is killed (its code is None)."""
    ctx = forkserver()
    width = max(2, os.cpu_count() or 2)
    results: dict[int, Result] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = [str(Path(tmp, f"{i}.out")) for i in range(len(cases))]
        err = [str(Path(tmp, f"{i}.err")) for i in range(len(cases))]
        pending = list(range(len(cases)))
        running: dict[int, tuple[int, BaseProcess, float]] = {}  # sentinel -> case

        def done(i: int, proc: BaseProcess, start: float, code: int | None) -> None:
            proc.join()
            results[i] = Result(
                tuple(cases[i]),
                code,
                Path(out[i]).read_text(encoding="utf-8", errors="replace"),
                Path(err[i]).read_text(encoding="utf-8", errors="replace"),
                time.monotonic() - start,
            )

        while pending or running:
            while pending and len(running) < width:
                i = pending.pop(0)
                args = (list(cases[i]), str(cwd or ROOT), out[i], err[i], dict(patches or {}))
                proc: BaseProcess = ctx.Process(target=_child, args=args, daemon=True)
                proc.start()
                running[proc.sentinel] = (i, proc, time.monotonic())
            now = time.monotonic()
            first_deadline = min(start + timeout for _, _, start in running.values())
            for sentinel in wait(list(running), max(0.0, first_deadline - now)):
                assert isinstance(sentinel, int)
                i, proc, start = running.pop(sentinel)
                proc.join()
                done(i, proc, start, proc.exitcode)
            for sentinel, (i, proc, start) in list(running.items()):
                if time.monotonic() - start > timeout:
                    proc.kill()
                    del running[sentinel]
                    done(i, proc, start, None)
    return [results[i] for i in range(len(cases))]


def run_script(
    argv: Sequence[str],
    cwd: Path | None = None,
    timeout: float = TIMEOUT,
    env: dict[str, str] | None = None,
) -> Result:
    """The real entry point in a fresh interpreter: ``python -m negotiation.cli ARGV``
    (``env``: variables added to this process's environment)."""
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path, **(env or {})}
    start = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "negotiation.cli", *argv],
            cwd=cwd or ROOT,
            env=env,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as e:
        out = e.stdout if isinstance(e.stdout, str) else ""
        return Result(tuple(argv), None, out, "", time.monotonic() - start)
    return Result(tuple(argv), done.returncode, done.stdout, done.stderr, time.monotonic() - start)
