"""A pytest plugin: scenario files as tests (entry point ``pytest11``).

What is collected, and nothing else (a project that points at no scenario gets no
scenario test, whatever YAML it holds):

* a ``.yaml`` / ``.yml`` file named on the command line: ``pytest talks.yaml``;
* under a directory named on the command line (``pytest my_scenarios/``), every
  ``.yaml`` / ``.yml`` file that looks like a scenario: its top level is a mapping with
  ``version:`` (an integer) and no key that is not a scenario field. The plugin
  decides from the first 64 KiB of text, line by line, without parsing YAML; a what-if
  file (``extends:``) needs ``version: 1`` to be found this way;
* every ``.yaml`` / ``.yml`` file directly in a directory given with
  ``--negotiation-scenarios PATH`` (repeatable; a file is taken as it is) or listed in
  the ini option ``negotiation_scenarios`` (paths relative to the ini file). These are
  opted in: a file there that is not a valid scenario fails as a test. Paths given
  with the option are collected even when outside the paths pytest was given; the ini
  option's directories when pytest visits them (name them on the command line or in
  ``testpaths``).

Where it was pointed and found no scenario, a line at the end of the run says so: a
directory given with the option or the ini option (when pytest visited it), and a
directory named on the command line that yielded no test at all but holds YAML files.

Each file gives one test per timeline (the base and each branch: its expectations must
hold, and the run must not stop on a rule loop) and one ``invariants`` test (the
explorer, bounded by the ini option ``negotiation_max_states``, must find no violation
and no stuck state). A file that does not validate (``negotiation validate``, rule
loops on the start date included) gives one failing ``validate`` test. Failures are
located messages (file:line:column, the date and the step), never tracebacks.

The negotiation package is imported when the first scenario file is collected, not
before: a pytest run that collects none pays nothing for the plugin.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from negotiation.model.errors import Problem
    from negotiation.model.scenario import Scenario

INI_DIRS = "negotiation_scenarios"
INI_MAX_STATES = "negotiation_max_states"
OPTION = "--negotiation-scenarios"
DEFAULT_MAX_STATES = 20_000
SUFFIXES = (".yaml", ".yml")
SNIFF_BYTES = 64 * 1024
"""How much of a file the plugin reads to decide whether it is a scenario."""

SCENARIO_FIELDS = frozenset(
    {
        "assumptions", "branches", "deadlines", "decisions", "documents", "expect",
        "extends", "facts", "horizon", "id", "illustrative", "interests", "invariants",
        "lifecycles",
        "parties", "positions", "relations", "rules", "sources", "start", "strategies", "summary",
        "timeline", "title", "version", "weights",
    }
)  # fmt: skip
"""The top-level fields of a scenario file (``Scenario.model_fields``, pinned by a
test): written out so that deciding what to collect imports nothing."""

_KEY = re.compile(
    r"""(?:"([^"\\]*)"|'([^']*)'|([^\s#:"'\[\]{},&*!|>%@`-][^\s:]*))[ \t]*:(?:[ \t]|$)"""
)
_VERSION = re.compile(r"""version[ \t]*:[ \t]*['"]?\d+['"]?[ \t]*(?:#.*)?$""")


@dataclass(frozen=True)
class Sniff:
    """What the first lines of a YAML file say about it: whether its top level is a
    mapping of scenario fields only (``fields``) and holds ``version:`` (``versioned``);
    ``why`` says what is not, with its line."""

    fields: bool
    versioned: bool
    why: str = ""


def sniff(path: Path) -> Sniff:
    """Judge a YAML file from its first ``SNIFF_BYTES`` read as text, line by line: safe
    on any file (nothing is parsed, nothing expanded) and cheap."""
    try:
        with path.open("rb") as f:
            head = f.read(SNIFF_BYTES)
    except OSError as e:
        return Sniff(False, False, f"cannot be read ({e.strerror})")
    lines = head.decode("utf-8", errors="replace").removeprefix("\ufeff").splitlines()
    if len(head) == SNIFF_BYTES and lines:
        lines.pop()  # maybe cut short
    versioned = seen = False
    for number, raw in enumerate(lines, 1):
        line = raw
        if not line.strip() or line[0] in " \t#":
            continue  # blank, a comment, or inside a value
        if line.startswith("%") and not seen:
            continue  # a directive
        if line.startswith("---"):
            if seen:
                return Sniff(False, False, f"line {number}: a second YAML document")
            line = line[3:].lstrip()
            if not line or line.startswith("#"):
                continue
        if line.startswith("..."):
            break
        m = _KEY.match(line)
        if m is None:
            return Sniff(False, False, f"line {number}: the top level is not a mapping of fields")
        seen = True
        key = m.group(1) if m.group(1) is not None else m.group(2) or m.group(3)
        if key not in SCENARIO_FIELDS:
            return Sniff(False, False, f"line {number}: {key!r} is not a scenario field")
        if key == "version":
            versioned = _VERSION.match(line) is not None
    if not seen:
        return Sniff(False, False, "no top-level field")
    return Sniff(True, versioned, "" if versioned else "no top-level 'version:'")


# -- where the plugin was pointed --------------------------------------------------------


@dataclass
class _Where:
    """The paths pointed at, and what was found there (for the closing notes)."""

    base: Path  # the invocation directory: paths are shown relative to it
    named_files: set[Path] = field(default_factory=set)
    named_dirs: list[Path] = field(default_factory=list)
    opted_files: set[Path] = field(default_factory=set)
    opted_dirs: dict[Path, str] = field(default_factory=dict)  # dir -> how it was given
    found: set[Path] = field(default_factory=set)  # scenario files collected
    passed_over: dict[Path, int] = field(default_factory=dict)  # named dir -> YAML skipped
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def show(self, path: Path) -> str:
        return str(path.relative_to(self.base)) if path.is_relative_to(self.base) else str(path)

    def is_scenario(self, path: Path) -> bool:
        """Whether to collect ``path`` (resolved, a YAML file), noting what is passed
        over where the plugin was pointed."""
        if path in self.opted_files or path.parent in self.opted_dirs:
            return True
        if path in self.named_files:
            verdict = sniff(path)
            if not verdict.fields:
                self.note(
                    f"{self.show(path)}: not collected as a scenario: {verdict.why} "
                    f"(give it with {OPTION} to run it as one)"
                )
            return verdict.fields
        named = [d for d in self.named_dirs if path.is_relative_to(d)]
        if not named:
            return False
        if sniff(path).versioned:
            return True
        for d in named:
            self.passed_over[d] = self.passed_over.get(d, 0) + 1
        return False


_WHERE = pytest.StashKey[_Where]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("negotiation", "negotiation scenario files as tests")
    group.addoption(
        OPTION,
        action="append",
        default=[],
        metavar="PATH",
        dest="negotiation_scenarios",
        help="a scenario file, or a directory whose YAML files are scenario tests "
        "(repeatable; collected even outside the paths given to pytest)",
    )
    parser.addini(
        INI_DIRS, "directories whose YAML files are scenario tests", type="paths", default=[]
    )
    parser.addini(
        INI_MAX_STATES,
        "the explorer's state bound for scenario invariant tests",
        default=str(DEFAULT_MAX_STATES),
    )


def _within(path: Path, parents: list[Path]) -> bool:
    return any(path.is_relative_to(p) for p in parents)


def pytest_configure(config: pytest.Config) -> None:
    base = config.invocation_params.dir
    where = _Where(base)
    collected = [(base / a.split("::", 1)[0]).resolve() for a in config.args]
    if config.args_source is pytest.Config.ArgsSource.ARGS:
        where.named_files = {p for p in collected if p.is_file()}
        where.named_dirs = [p for p in collected if p.is_dir()]
    for arg in config.getoption("negotiation_scenarios") or []:
        path = (base / arg).resolve()
        if not path.exists():
            raise pytest.UsageError(f"{OPTION} {arg}: no such file or directory")
        if path.is_dir():
            where.opted_dirs[path] = f"given with {OPTION}"
        else:
            where.opted_files.add(path)
        if not _within(path, collected):
            config.args.append(str(path))  # collected even outside pytest's paths
            collected.append(path)
    for d in config.getini(INI_DIRS):
        path = Path(d).resolve()
        if not path.is_dir():
            where.note(
                f"{where.show(path)}: no such directory (ini option {INI_DIRS}): "
                "no scenario collected from it"
            )
        else:  # said to be empty only when pytest visited it
            visited = _within(path, collected)
            where.opted_dirs.setdefault(path, f"ini option {INI_DIRS}" if visited else "")
    config.stash[_WHERE] = where


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.File | None:
    if file_path.suffix.lower() not in SUFFIXES:
        return None
    where = parent.config.stash.get(_WHERE, None)
    path = file_path.resolve()
    if where is None or not where.is_scenario(path):
        return None
    where.found.add(path)
    return ScenarioFile.from_parent(parent, path=file_path)


def pytest_collection_finish(session: pytest.Session) -> None:
    where = session.config.stash.get(_WHERE, None)
    if where is None:
        return
    for d, given in where.opted_dirs.items():
        if given and not any(p.parent == d for p in where.found):
            where.note(
                f"{where.show(d)}: no .yaml or .yml file in it ({given}): "
                "no scenario collected from it"
            )
    tested = [item.path.resolve() for item in session.items]
    for d, skipped in where.passed_over.items():
        if not any(p.is_relative_to(d) for p in tested):
            where.note(
                f"{where.show(d)}: none of its {skipped} YAML file(s) looks like a scenario "
                "(a top level of scenario fields with 'version:'); name a file, or give the "
                f"directory with {OPTION}"
            )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    where = terminalreporter.config.stash.get(_WHERE, None)
    for note in where.notes if where is not None else ():
        terminalreporter.write_line(f"negotiation: {note}", yellow=True)


# -- the tests ------------------------------------------------------------------------------


class ScenarioTestError(Exception):
    """A scenario test failed; the message says where and why."""


def _shown(path: Path) -> str:
    """The path as messages show it: relative to the working directory when inside it."""
    here = Path.cwd()
    return str(path.relative_to(here)) if path.is_relative_to(here) else str(path)


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        from negotiation.loader import validate_file  # noqa: PLC0415
        from negotiation.model.errors import NegotiationError  # noqa: PLC0415 - lazy, see above

        try:
            scenario = validate_file(_shown(self.path))
        except NegotiationError as e:
            yield ScenarioItem.from_parent(self, name="validate", scenario=None, error=str(e))
            return
        yield ScenarioItem.from_parent(self, name="base", scenario=scenario, branch=None)
        for b in scenario.branches:
            yield ScenarioItem.from_parent(self, name=b.id, scenario=scenario, branch=b.id)
        yield ScenarioItem.from_parent(self, name="invariants", scenario=scenario, invariants=True)


class ScenarioItem(pytest.Item):
    def __init__(
        self,
        *,
        scenario: Scenario | None,
        branch: str | None = None,
        invariants: bool = False,
        error: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.branch = branch
        self.invariants = invariants
        self.error = error

    def runtest(self) -> None:
        if self.error is not None or self.scenario is None:
            raise ScenarioTestError(self.error)
        if self.invariants:
            self._check_invariants(self.scenario)
        else:
            self._check_expectations(self.scenario)

    def _located(self, problems: list[Problem]) -> list[str]:
        """Each problem as ``file:line:column (field): message``; one with no field
        (a built-in invariant, a stuck state) as ``file: message``."""
        from negotiation.loader import locate_problems  # noqa: PLC0415
        from negotiation.model.errors import NegotiationError  # noqa: PLC0415

        file = _shown(self.path)
        placed = [p for p in problems if p.location.path]
        try:
            located = dict(zip(map(id, placed), locate_problems(file, placed), strict=True))
        except NegotiationError:  # the file changed under the run: say it unlocated
            located = {}
        return [str(located.get(id(p), f"{file}: {p.message}")) for p in problems]

    def _check_expectations(self, scenario: Scenario) -> None:
        from negotiation.model.errors import (  # noqa: PLC0415
            Location,
            NegotiationError,
            Problem,
            RuleLoopError,
        )
        from negotiation.runtime.engine import Engine  # noqa: PLC0415
        from negotiation.runtime.preflight import rule_loop_problem  # noqa: PLC0415

        where = f"branch {self.branch}" if self.branch else "base timeline"
        try:
            trace = Engine(scenario).run(self.branch)
        except RuleLoopError as e:
            loop = rule_loop_problem(scenario, e)
            raise ScenarioTestError(f"{self._located([loop])[0]} ({where})") from None
        except NegotiationError as e:
            raise ScenarioTestError(f"{_shown(self.path)} ({where}): {e}") from None
        failed = [x for x in trace.expectations if not x.ok]
        if not failed:
            return
        unused = [i for i, x in enumerate(scenario.expect) if x.branch == self.branch]
        problems = []
        for x in failed:
            i = next(
                (
                    i
                    for i in unused
                    if scenario.expect[i].that == x.that and scenario.expect[i].at.last_day == x.at
                ),
                None,
            )
            if i is not None:
                unused.remove(i)
            steps = [e for e in trace.entries if e.date <= x.at]
            last = f" after step {steps[-1].seq} ({steps[-1].summary})" if steps else ""
            reasons = "".join(f"\n    {r}" for r in x.reasons)
            problems.append(
                Problem(
                    Location(path=("expect", i) if i is not None else ()),
                    f"expectation failed at {x.at}{last} ({where}): {x.summary or x.that}{reasons}",
                )
            )
        raise ScenarioTestError("\n".join(self._located(problems)))

    def _check_invariants(self, scenario: Scenario) -> None:
        from negotiation.model.errors import Location, Problem  # noqa: PLC0415
        from negotiation.search.explore import explore  # noqa: PLC0415

        bound = int(self.config.getini(INI_MAX_STATES))
        result = explore(scenario, max_states=bound)
        declared = {inv.id: i for i, inv in enumerate(scenario.invariants)}
        problems = []
        for v in result.violations:
            lines = [f"    {r}" for r in v.reasons] + [f"  {s.day} {s.text}" for s in v.path]
            message = (
                f"invariant {v.invariant} violated on {v.day} at step {v.steps} "
                f"(branch {v.root}): {v.description}"
            )
            path = ("invariants", declared[v.invariant]) if v.invariant in declared else ()
            problems.append(Problem(Location(path=path), "\n".join([message, *lines])))
        for s in result.stuck:
            problems.append(Problem(Location(), f"stuck on {s.day} (branch {s.root}): {s.reason}"))
        if problems:
            raise ScenarioTestError("\n".join(self._located(problems)))

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str | Any:
        if isinstance(excinfo.value, ScenarioTestError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"scenario {self.path.name}::{self.name}"
