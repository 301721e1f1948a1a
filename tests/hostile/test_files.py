"""Every hostile file in tests/hostile/files/ is refused with its message, quickly, by the
library and through the command line (``validate`` and ``run``): exit 2, no traceback,
nothing executed.

Each file's first line is ``# expect: TEXT``: the error must contain TEXT and be
located (a file and a line). Helper files live in ``files/parts/``.
"""

from __future__ import annotations

import re
import time
from functools import cache
from pathlib import Path

import pytest

from negotiation.loader import load_scenario
from negotiation.model.errors import NegotiationError, ScenarioError
from tests.hostile.clirun import Result, run_cli, run_script

FILES = Path(__file__).parent / "files"
HOSTILE = sorted(FILES.glob("[0-9][0-9]-*.yaml"))
EXPECT = re.compile(rb"^# expect: (?P<text>.+)$")
PWNED = Path("/tmp/negotiation-pwned")


def expectation(path: Path) -> str:
    first = path.read_bytes().splitlines()[0]
    m = EXPECT.match(first)
    assert m is not None, f"{path.name}: first line must be '# expect: TEXT'"
    return m["text"].decode("utf-8").strip()


def test_there_are_enough_hostile_files() -> None:
    assert len(HOSTILE) >= 20


@pytest.mark.parametrize("path", HOSTILE, ids=[p.stem for p in HOSTILE])
def test_library_refuses_with_a_located_message(path: Path) -> None:
    start = time.monotonic()
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(path))
    assert time.monotonic() - start < 5
    assert expectation(path) in str(info.value)
    for problem in info.value.problems:
        assert problem.location.file is not None, f"unlocated: {problem}"
        assert problem.location.line is not None, f"no line: {problem}"


@cache
def cli_results() -> dict[tuple[str, str], Result]:
    """Every file through ``validate`` and ``run -s``, all at once."""
    cases = [("validate", str(p)) for p in HOSTILE] + [("run", "-s", str(p)) for p in HOSTILE]
    return {(r.argv[0], Path(r.argv[-1]).name): r for r in run_cli(cases)}


def assert_refused(result: Result, expected: str) -> None:
    assert result.code == 2, str(result)
    assert "Traceback" not in result.output, str(result)
    assert expected in result.output, f"expected {expected!r} in:\n{result}"


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize("path", HOSTILE, ids=[p.stem for p in HOSTILE])
def test_cli_refuses_with_exit_2_and_no_traceback(command: str, path: Path) -> None:
    assert_refused(cli_results()[(command, path.name)], expectation(path))


def test_nothing_was_executed() -> None:
    cli_results()
    assert not PWNED.exists(), f"{PWNED} exists: a hostile file ran a command"


@pytest.mark.parametrize("name", ["01-python-object-apply.yaml", "27-condition-deep-not.yaml"])
def test_the_real_entry_point(name: str) -> None:
    """The same through a fresh interpreter (``python -m negotiation.cli``)."""
    path = FILES / name
    for argv in (["validate", str(path)], ["run", "-s", str(path)]):
        assert_refused(run_script(argv), expectation(path))


def test_errors_are_negotiation_errors() -> None:
    for path in HOSTILE:
        with pytest.raises(NegotiationError):
            load_scenario(str(path))
