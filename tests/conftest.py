"""What the whole suite shares: the checkout's root, the CLI runner, the scenario
builders, the engines of bundled scenarios, a YAML 1.2 reader, the Hypothesis profile,
the fixtures (the teaching tests' engines, the classroom tests' rooms and web clients),
which slow tests are long runs on request, and a suite that does not depend on the
environment it runs in.

This is the suite's one ``conftest.py`` (``tests/test_architecture.py`` keeps it so).
Plain helpers are imported (``from tests.conftest import ROOT, invoke, scenario``);
``tests/`` is a package, so this is the module pytest loaded, not a second copy.
Hypothesis strategies live in ``tests/strategies.py``; plain helpers only one folder
needs live in an ordinary module of that folder (``tests/classroom/web.py``).

The invalid and hostile fixtures are scenario files made to fail: the suite's own tests
load them; ``pytest tests/`` must not also collect them as scenario tests.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import functools
import multiprocessing
import os
import re
import signal
import sys
from collections.abc import Callable, Iterator
from multiprocessing.context import ForkServerContext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from hypothesis import HealthCheck, settings
from pydantic import TypeAdapter
from typer.testing import CliRunner, Result

from negotiation import Engine, Event, Scenario, Trace
from negotiation.cli import app
from negotiation.loader import load_scenario
from negotiation.runtime.compiled.space import CompiledSpace

if TYPE_CHECKING:  # the classroom extra may be missing: its imports are in the fixtures
    from starlette.testclient import TestClient

    from negotiation.classroom import Classroom
    from tests.classroom.web import Teacher

ROOT = Path(__file__).resolve().parent.parent
"""The checkout's root (``scenarios/``, ``docs/``, ``tests/``), wherever it is."""

collect_ignore_glob = ["invalid/*.yaml", "hostile/files/*"]
"""Scenario files made to fail, loaded by the suite's own tests (see the docstring)."""

SEED = "ukraine-2025-12"
"""The bundled seed case, by name."""
TALKS = str(ROOT / "tests" / "search" / "talks.yaml")
"""Two parties, decision points and deadlines: the explorer's and sampler's test case."""
PLANTED = str(ROOT / "tests" / "search" / "planted_bug.yaml")
"""A scenario with a planted bug: a path signs a document without every acceptance."""
CHOICES = str(ROOT / "tests" / "teach" / "choices.yaml")
"""A small scenario with dated decision points, for the teaching tools."""
SPLIT = str(ROOT / "tests" / "analysis" / "split.yaml")
"""Two parties dividing one point, each with a daily discount (0.9 and 0.8)."""

# -- Hypothesis ------------------------------------------------------------------------------
# No deadlines: the suite shares small machines, and a slow example is not a failing one.
# "dev" (the default) explores new examples on every run and keeps failures in the local
# database; "ci" (chosen when CI is set, as .ci/run does) runs the same examples every
# time, so a red CI run is reproducible. HYPOTHESIS_PROFILE=dev|ci overrides the choice.
# A test sets only what differs from the profile (usually max_examples).
_EVERY_PROFILE: dict[str, Any] = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("dev", **_EVERY_PROFILE)
settings.register_profile("ci", derandomize=True, database=None, print_blob=True, **_EVERY_PROFILE)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
settings.load_profile(PROFILE)


# -- YAML as editors read it ---------------------------------------------------------------
class Core12Loader(yaml.SafeLoader):
    """PyYAML reading the YAML 1.2 core schema, as editors do, independently of the
    package's own reader: only true/false are booleans (``on``, ``yes`` stay words), no
    timestamps (dates stay text), 1.2 integers and floats, no merge key (``<<`` is a
    plain key). Tags it does not know are refused, as SafeLoader refuses them."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # replaced, not inherited


for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    Core12Loader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first)
    )


def _core_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    """1.2 integers: ``0o17`` and ``0x1f``; otherwise decimal (``0777`` is 777)."""
    text = str(loader.construct_scalar(node))
    return int(text, 0) if text[:2] in ("0o", "0x") else int(text, 10)


Core12Loader.add_constructor("tag:yaml.org,2002:int", _core_int)


def load_yaml12(text: str) -> Any:
    """The data of a YAML text under the YAML 1.2 core schema (see ``Core12Loader``)."""
    return yaml.load(text, Loader=Core12Loader)


# -- the environment -------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _no_scenario_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """``NEGOTIATION_SCENARIO`` changes every command's default scenario: a user's
    setting must not change what the tests run."""
    monkeypatch.delenv("NEGOTIATION_SCENARIO", raising=False)


# -- long runs on request --------------------------------------------------------------------
TESTS = Path(__file__).parent
LONG_RUNS = {
    TESTS / "fuzz": "long fuzz run: python -m pytest -m slow tests/fuzz",
    TESTS / "search" / "test_explore_signals.py": "long run: python -m pytest -m slow tests/search",
}
"""Where a ``slow`` test is a long run on request, and the skip's hint there. Such a test
runs when a marker expression asks for it (``-m slow``, as CI's second command does) and
is skipped, with the hint, otherwise; the other slow tests run with the suite."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.option.markexpr:  # the caller chose markers (-m slow, -m "not slow", ...)
        return
    for item in items:
        if item.get_closest_marker("slow") is None:
            continue
        for where, hint in LONG_RUNS.items():
            if where == item.path or where in item.path.parents:
                item.add_marker(pytest.mark.skip(reason=hint))
                break


# -- the command line ------------------------------------------------------------------------
def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
    """Run ``negotiation ARGS`` in process, with ``input`` as stdin (not a terminal) and
    ``env`` added to the environment. Whatever the exit code, it prints no traceback."""
    result = CliRunner().invoke(app, list(args), input=input, env=env, prog_name="negotiation")
    assert "Traceback" not in result.output, result.output
    return result


# -- child processes -------------------------------------------------------------------------
FORKSERVER_PRELOAD = [
    "negotiation.cli",
    "negotiation.persist",
    "tests.hostile.clirun",
    "tests.persist_child",
]
"""What the fork server imports once, for every test that forks children from it."""


PR_SET_PDEATHSIG = 1
_PRCTL = ctypes.CDLL(None).prctl if sys.platform.startswith("linux") else None
"""Bound here, in the test process: the forked child only calls it (no loading, no
lock taken between fork and exec)."""


def dies_with_this_process() -> None:
    """``Popen(preexec_fn=...)`` for a long command a test starts: on Linux the kernel
    kills it when the test process dies, so a test run cut short (a timeout, a killed
    session) leaves no command running on (one such ``check`` grew to 7 GB)."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def forkserver() -> ForkServerContext:
    """The fork server's context, preloading ``FORKSERVER_PRELOAD``. A process has one
    fork server, started by the first test that forks; so every test uses this list,
    and none has its children pay for imports another test's list left out."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(FORKSERVER_PRELOAD)
    return ctx


# -- engines and scenarios -------------------------------------------------------------------
@functools.cache
def engine_of(scenario: str) -> Engine:
    """The engine of a bundled scenario (by name) or of a file, built once per session (an
    engine is not changed by running it)."""
    return Engine(load_scenario(scenario))


_EVENT: TypeAdapter[Event] = TypeAdapter(Event)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def scenario(**parts: Any) -> Scenario:
    """A two-party scenario with one document ``plan``; ``parts`` add or replace fields."""
    data: dict[str, Any] = {
        "id": "t",
        "title": "test",
        "start": "2025-11-01",
        "parties": [
            {"id": "a", "name": "A", "bodies": [{"id": "parliament", "name": "Parliament"}]},
            {"id": "b", "name": "B"},
        ],
        "documents": [{"id": "plan", "title": "Plan", "requires_acceptance": ["a", "b"]}],
        "facts": [{"id": "x"}, {"id": "y"}],
    }
    data.update(parts)
    return Scenario.model_validate(data)


def run(sc: Scenario, until: str | None = None) -> Trace:
    return Engine(sc).run(until=day(until) if until else None)


def ev(kind: str, date: str, **fields: Any) -> dict[str, Any]:
    """An event as scenario data (for ``scenario(timeline=[...])``)."""
    return {"kind": kind, "date": date, **fields}


def event(kind: str, date: str | None = None, **fields: Any) -> Event:
    """An Event model from keyword fields."""
    data: dict[str, Any] = {"kind": kind, **fields}
    if date is not None:
        data["date"] = date
    return _EVENT.validate_python(data)


def status(trace: Trace, deadline: str) -> str:
    return trace.final.deadlines[deadline].status.value


_EXACT: dict[int, Any] = {}


def expansion(space: Any, node: Any) -> Any:
    """The recorded expansion of a node of an explorer ``Space`` (its exact compiled
    space, made once per space)."""
    exact = _EXACT.get(id(space))
    if exact is None or exact.space is not space:
        exact = _EXACT[id(space)] = CompiledSpace(space, exact=True)
    return exact.expansion(node)


# -- the teaching tests' engines -------------------------------------------------------------
@pytest.fixture(scope="session")
def seed_engine() -> Engine:
    """The engine of the seed case (``SEED``)."""
    return engine_of(SEED)


@pytest.fixture(scope="session")
def choices_engine() -> Engine:
    """The engine of the small scenario with dated decision points (``CHOICES``)."""
    return engine_of(CHOICES)


# -- the classroom tests' rooms and web clients, over databases in a temporary folder -------
@pytest.fixture
def open_room(tmp_path: Path) -> Iterator[Callable[[str], Classroom]]:
    """Opens the classroom of a scenario over a new database file; each is closed after
    the test."""
    from negotiation.classroom import open_classroom  # noqa: PLC0415

    opened: list[Classroom] = []

    def open_(scenario: str) -> Classroom:
        opened.append(open_classroom(tmp_path / f"class-{len(opened)}.sqlite", scenario))
        return opened[-1]

    yield open_
    for room in opened:
        room.store.close()


@pytest.fixture
def seed_room(open_room: Callable[[str], Classroom]) -> Classroom:
    """A classroom of the seed case (``SEED``)."""
    return open_room(SEED)


@pytest.fixture
def room_client(seed_room: Classroom) -> TestClient:
    """Starlette's test client of ``seed_room``'s web app."""
    from tests.classroom.web import client_of  # noqa: PLC0415

    return client_of(seed_room)


@pytest.fixture
def teacher(room_client: TestClient, seed_room: Classroom) -> Teacher:
    """``seed_room``'s instructor, over ``room_client``."""
    from tests.classroom.web import Teacher  # noqa: PLC0415

    return Teacher(room_client, seed_room)
