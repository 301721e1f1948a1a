"""A pytest plugin: scenario files as tests (entry point ``pytest11``).

Collected: files named ``*.scenario.yaml`` / ``*.scenario.yml`` anywhere, and every
``.yaml`` / ``.yml`` file inside a directory listed in the ini option
``negotiation_scenarios`` (opt-in; paths relative to the ini file). No other YAML.

Each file gives one test per timeline (the base and each branch: its expectations
must hold) and one ``invariants`` test (the explorer, bounded by the ini option
``negotiation_max_states``, must find no violation and no stuck state). A failure names
the file, the date and the step.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from negotiation.loader import load_scenario
from negotiation.model.errors import NegotiationError
from negotiation.model.scenario import Scenario
from negotiation.runtime.engine import Engine
from negotiation.search.explore import explore

INI_DIRS = "negotiation_scenarios"
INI_MAX_STATES = "negotiation_max_states"
DEFAULT_MAX_STATES = 20_000
SUFFIXES = (".scenario.yaml", ".scenario.yml")


class ScenarioTestError(Exception):
    """A scenario test failed; the message says where and why."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        INI_DIRS, "directories whose YAML files are scenario tests", type="paths", default=[]
    )
    parser.addini(
        INI_MAX_STATES,
        "the explorer's state bound for scenario invariant tests",
        default=str(DEFAULT_MAX_STATES),
    )


def _is_scenario(config: pytest.Config, path: Path) -> bool:
    name = path.name.lower()
    if name.endswith(SUFFIXES):
        return True
    if path.suffix.lower() not in (".yaml", ".yml"):
        return False
    dirs: list[Path] = config.getini(INI_DIRS)
    here = path.resolve().parent
    return any(here == Path(d).resolve() for d in dirs)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.File | None:
    if _is_scenario(parent.config, file_path):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            scenario = load_scenario(str(self.path))
            Engine(scenario)
        except NegotiationError as e:
            yield ScenarioItem.from_parent(self, name="load", scenario=None, error=str(e))
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
            raise ScenarioTestError(f"{self.path}: {self.error}")
        if self.invariants:
            self._check_invariants(self.scenario)
        else:
            self._check_expectations(self.scenario)

    def _check_expectations(self, scenario: Scenario) -> None:
        trace = Engine(scenario).run(self.branch)
        failed = [x for x in trace.expectations if not x.ok]
        if failed:
            where = f"branch {self.branch}" if self.branch else "base timeline"
            lines = [f"{self.path} ({where}): {len(failed)} expectation(s) failed"]
            for x in failed:
                steps = [e for e in trace.entries if e.date <= x.at]
                last = f"after step {steps[-1].seq} ({steps[-1].summary})" if steps else ""
                lines.append(f"  at {x.at} {last}: {x.summary or x.that}")
                lines += [f"    {r}" for r in x.reasons]
            raise ScenarioTestError("\n".join(lines))

    def _check_invariants(self, scenario: Scenario) -> None:
        bound = int(self.config.getini(INI_MAX_STATES))
        result = explore(scenario, max_states=bound)
        lines = []
        for v in result.violations:
            lines.append(
                f"{self.path} (branch {v.root}): invariant {v.invariant} violated on "
                f"{v.day} at step {v.steps}: {v.description}"
            )
            lines += [f"    {r}" for r in v.reasons]
            lines += [f"  {s.day} {s.text}" for s in v.path]
        for s in result.stuck:
            lines.append(f"{self.path} (branch {s.root}): stuck on {s.day}: {s.reason}")
        if lines:
            raise ScenarioTestError("\n".join(lines))

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str | Any:
        if isinstance(excinfo.value, ScenarioTestError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"scenario {self.path.name}::{self.name}"
