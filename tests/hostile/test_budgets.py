"""Budgets tested as budgets: input exactly at a limit is accepted (or fails for some other
reason), one step past it is refused with the budget's own message.

Where the shipped limit is cheap to reach it is used as is; otherwise the limit is
lowered for the test (the mechanism is what is tested; the hostile files test the
shipped values).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from negotiation import conditions, loader
from negotiation.loader import load_scenario, load_text
from negotiation.model.errors import ConditionError, ScenarioError
from negotiation.model.scenario import Scenario

HEAD = """id: demo
title: Demo
parties:
  - {id: alpha, name: Alpha}
documents:
  - {id: plan, title: Plan, requires_acceptance: [alpha]}
facts:
  - {id: talks_open}
"""


def with_condition(condition: str) -> str:
    return (
        HEAD
        + "rules:\n  - id: r\n    when: "
        + json.dumps(condition)
        + "\n    then: [{kind: set_fact, fact: talks_open}]\n"
    )


def refused(text: str, message: str) -> ScenarioError:
    start = time.monotonic()
    with pytest.raises(ScenarioError) as info:
        load_text(text, "budget.yaml")
    assert time.monotonic() - start < 5
    assert message in str(info.value), str(info.value)
    for p in info.value.problems:
        assert p.location.file == "budget.yaml"
    return info.value


def accepted_or_other(text: str, message: str) -> None:
    """Loads, or fails for a reason other than the budget."""
    try:
        load_text(text, "budget.yaml")
    except ScenarioError as e:
        error: ScenarioError | None = e
    else:
        error = None
    assert error is None or message not in str(error), str(error)


# -- the YAML layer ----------------------------------------------------------------------


def nested(depth: int) -> str:
    """A file whose deepest collection is at ``depth`` (the top mapping is level 1)."""
    inner = depth - 1  # lists under the top-level mapping
    return HEAD + "assumptions: " + "[" * inner + "x" + "]" * inner + "\n"


def test_nesting_depth() -> None:
    limit = loader.MAX_DEPTH
    accepted_or_other(nested(limit), "nesting deeper")
    error = refused(nested(limit + 1), f"nesting deeper than {limit} levels")
    assert error.problems[0].location.line == HEAD.count("\n") + 1


def aliases(n: int) -> str:
    return HEAD + "summary: &s text\nassumptions:\n" + "  - *s\n" * n


def test_alias_count() -> None:
    limit = loader.MAX_ALIASES
    load_text(aliases(limit), "budget.yaml")
    refused(aliases(limit + 1), f"more than {limit} aliases")


def expansion(items: int) -> str:
    """One anchored list of ``items - 1`` strings (``items`` nodes), used once by alias."""
    body = ", ".join(["x"] * (items - 1))
    return HEAD + f"sources_note: &big [{body}]\nassumptions: *big\n"


def test_alias_expansion(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_ALIAS_NODES", 50)
    accepted_or_other(expansion(50), "aliases expand")
    refused(expansion(51), "aliases expand to more than 50 values")


def test_alias_expansion_shipped_limit_refuses_a_billion_laughs_fast() -> None:
    layers = ["a: &a [" + ", ".join(["lol"] * 10) + "]"]
    for i in range(1, 9):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        layers.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    refused(HEAD + "\n".join(layers) + "\n", "aliases expand to more than 100,000 values")


def test_file_size(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    text = HEAD
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", len(text.encode()))
    path = tmp_path / "s.yaml"
    path.write_text(text)
    assert isinstance(load_scenario(str(path)), Scenario)
    load_text(text)
    path.write_text(text + "\n")
    with pytest.raises(ScenarioError, match="larger than"):
        load_scenario(str(path))
    with pytest.raises(ScenarioError, match="larger than"):
        load_text(text + "\n")


def test_file_size_counts_bytes_not_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEAD + "summary: \u00e9\u00e9\u00e9\n"  # 3 characters, 6 bytes
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", len(text.encode()) - 1)
    with pytest.raises(ScenarioError, match="larger than"):
        load_text(text)


def events(n: int) -> str:
    line = "  - {kind: set_fact, date: 2025-12-01, by: [alpha], fact: talks_open}\n"
    return HEAD + "timeline:\n" + line * n


def test_timeline_events(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_TIMELINE_EVENTS", 3)
    load_text(events(3), "budget.yaml")
    error = refused(events(4), "more than 3 timeline events")
    assert error.problems[0].location.line == HEAD.count("\n") + 1


def test_shipped_event_budget_admits_100k_event_scenarios() -> None:
    assert loader.MAX_TIMELINE_EVENTS >= 100_000


def test_problem_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_PROBLEMS", 3)
    bad = HEAD + "assumptions: [1, 2, 3, 4, 5]\n"
    error = refused(bad, "and 2 more problems")
    assert len(error.problems) == 4


def chain(root: Path, extends_count: int) -> Path:
    """``extends_count + 1`` files, each but the last extending the next."""
    for i in range(extends_count + 1):
        text = f"extends: c{i + 1}.yaml\nid: c{i}\ntitle: C{i}\n"
        (root / f"c{i}.yaml").write_text(text if i < extends_count else HEAD)
    return root / "c0.yaml"


def test_extends_chain(tmp_path: Path) -> None:
    """The longest chain accepted has MAX_EXTENDS_DEPTH - 1 links: the message counts
    the files in the chain (the extending file and its bases)."""
    limit = loader.MAX_EXTENDS_DEPTH
    (tmp_path / "ok").mkdir()
    (tmp_path / "long").mkdir()
    assert load_scenario(str(chain(tmp_path / "ok", limit - 1))).id == "c0"
    with pytest.raises(ScenarioError, match=f"extends chain longer than {limit}") as info:
        load_scenario(str(chain(tmp_path / "long", limit)))
    assert info.value.problems[0].location.line == 1


# -- the condition language --------------------------------------------------------------


def test_condition_length() -> None:
    limit = conditions.MAX_CONDITION_LENGTH
    at_limit = "true" + " " * (limit - 4)
    load_text(with_condition(at_limit))
    refused(with_condition(at_limit + "x"), f"condition longer than {limit} characters")


def test_condition_nesting() -> None:
    """``MAX_DEPTH`` levels counting the innermost atom: 49 nested operators pass."""
    limit = conditions.MAX_DEPTH
    for op, close in (("not ", ""), ("(", ")")):
        ok = op * (limit - 1) + "fact talks_open" + close * (limit - 1)
        load_text(with_condition(ok))
        deep = op * limit + "fact talks_open" + close * limit
        refused(with_condition(deep), f"condition nested deeper than {limit} levels")


def test_condition_day_count() -> None:
    limit = conditions.MAX_DAYS
    load_text(with_condition(f"fact talks_open has held for at least {limit} days"))
    refused(
        with_condition(f"fact talks_open has held for at least {limit + 1} days"),
        f"a day count must be at most {limit}",
    )
    refused(
        with_condition("fact talks_open has held for at least " + "9" * 1500 + " days"),
        f"a day count must be at most {limit}",
    )


def test_condition_budgets_hold_without_the_loader() -> None:
    """The condition parser's own limits, for callers that bypass the loader."""
    engine_vocab = conditions.parse  # the module-level entry point
    with pytest.raises(ConditionError, match="longer than"):
        engine_vocab("(" * 100_000 + ")" * 100_000, _NoNames())
    with pytest.raises(ConditionError, match="deeper than"):
        engine_vocab("(" * 60 + "true" + ")" * 60, _NoNames())


class _NoNames:
    """A vocabulary with no names at all."""

    def parties(self) -> set[str]:
        return set()

    def documents(self) -> set[str]:
        return set()

    def points(self, document: str) -> set[str]:
        return set()

    def options(self, document: str, point: str) -> list[str]:
        return []

    def document_states(self, document: str) -> set[str]:
        return set()

    def facts(self) -> set[str]:
        return set()

    def deadlines(self) -> set[str]:
        return set()


def values(n: int) -> str:
    """A file of exactly ``n`` values: the top mapping, its keys and values, a list."""
    head = "id: demo\ntitle: Demo\nassumptions: ["  # 1 + 4 + 2 (key and list) values
    items = n - 7
    return head + ", ".join(["x"] * items) + "]\n"


def test_value_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_NODES", 50)
    load_text(values(50), "budget.yaml")
    refused(values(51), "more than 50 values in one file")


def test_shipped_value_budget_admits_100k_event_scenarios() -> None:
    """A 100,000-event scenario (benchmarks/scale.py) holds about 1.23 million values."""
    assert loader.MAX_NODES >= 1_500_000
    assert loader.MAX_FILE_BYTES >= 16 * 1024 * 1024
    assert loader.MAX_FILE_BYTES < 50 * 1000 * 1000  # a 50 MB file is refused unread
