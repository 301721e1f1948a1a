"""One pass reports every problem (``negotiation.loader._salvage``): a file the models
refuse still has its whole-scenario checks run on what is left, and only the problems
the repair cannot have caused are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from negotiation.loader import load_scenario, load_text
from negotiation.model.errors import ScenarioError

HEAD = """\
id: demo
title: Demo
parties:
  - {id: alpha, name: Alpha}
  - {id: beta, name: Beta}
documents:
  - {id: plan, title: Plan, requires_acceptance: [alpha, beta]}
"""


def _found(text: str, name: str = "demo.yaml") -> list[tuple[int | None, str]]:
    with pytest.raises(ScenarioError) as info:
        load_text(text, name)
    return [(p.location.line, p.message) for p in info.value.problems]


def test_a_wrong_value_does_not_hide_an_unknown_name_further_down() -> None:
    found = _found(
        HEAD
        + """\
horizon: someday
timeline:
  - {date: 2025-12-01, kind: propose, by: alpha, document: plna}
"""
    )
    assert [line for line, _ in found] == [8, 10]
    assert "unknown document 'plna'; did you mean 'plan'?" in found[1][1]


def test_names_a_refused_item_gave_are_not_reported_unknown() -> None:
    found = _found(
        HEAD.replace("{id: beta, name: Beta}", "{id: beta, name: Beta, kind: planet}")
        + """\
timeline:
  - {date: 2025-12-01, kind: propose, by: beta, document: plan}
  - {date: 2025-12-02, kind: accept, by: omega, document: plan}
"""
    )
    assert [line for line, _ in found] == [5, 10]
    assert "'beta'" not in found[1][1]
    assert "unknown party or body 'omega'" in found[1][1]


def test_an_item_after_a_refused_one_is_named_by_its_place_in_the_file() -> None:
    with pytest.raises(ScenarioError) as info:
        load_text(
            HEAD + "timeline:\n  - {date: 2025-13-01, kind: propose, by: alpha, document: plan}\n"
            "  - {date: 2025-12-02, kind: accept, by: omega, document: plan}\n"
        )
    assert [(p.location.line, p.location.path) for p in info.value.problems] == [
        (9, ("timeline", 0, "date")),
        (10, ("timeline", 1, "by", 0)),
    ]


def test_an_item_that_lost_an_unknown_field_is_not_judged_again() -> None:
    """``dat`` for ``date``: the did-you-mean says it; "needs a 'date'" would repeat it."""
    found = _found(
        HEAD + "timeline:\n  - {dat: 2025-12-01, kind: propose, by: alpha, document: plan}\n"
    )
    assert len(found) == 1
    assert "did you mean 'date'?" in found[0][1]


def test_a_whole_list_refused_stops_the_name_checks() -> None:
    """With no parties at all, every party named would be unknown: none is reported."""
    found = _found(
        HEAD.replace(
            "parties:\n  - {id: alpha, name: Alpha}\n  - {id: beta, name: Beta}\n",
            "parties: alpha\n",
        )
        + "timeline:\n  - {date: 2025-12-01, kind: propose, by: alpha, document: plan}\n"
    )
    assert [line for line, _ in found] == [3]


def test_a_bad_id_or_title_does_not_stop_the_checks() -> None:
    found = _found(
        HEAD.replace("id: demo", "id: Demo Scenario")
        + "timeline:\n  - {date: 2025-12-01, kind: propose, by: alpha, document: plna}\n"
    )
    assert [line for line, _ in found] == [1, 9]


def test_a_what_if_and_its_base_are_checked_in_one_pass(tmp_path: Path) -> None:
    """A wrong value in the base, unknown names in both files: all of them, the file
    named first."""
    (tmp_path / "base.yaml").write_text(
        "version: 1\n"
        + HEAD.replace("{id: plan, title: Plan", "{id: plan, title: [Plan]")
        + "timeline:\n  - {date: 2025-12-01, kind: propose, by: alhpa, document: plan}\n",
        encoding="utf-8",
    )
    child = tmp_path / "child.yaml"
    child.write_text(
        "extends: base.yaml\nid: child\ntitle: Child\ntimeline:\n"
        "  - {date: 2025-12-02, kind: accept, by: zeta, document: plan}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(child))
    assert [(Path(p.location.file or "").name, p.location.line) for p in info.value.problems] == [
        ("child.yaml", 5),
        ("base.yaml", 8),
        ("base.yaml", 10),
    ]


def test_a_missing_base_does_not_hide_the_what_if_s_own_problems(tmp_path: Path) -> None:
    child = tmp_path / "child.yaml"
    child.write_text("extends: nowhere.yaml\nid: c\nid: d\ntitle: T\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(child))
    found = [(p.location.line, p.message.split(":")[0]) for p in info.value.problems]
    assert found == [
        (1, "the scenario this extends does not exist"),
        (3, "duplicate key 'id' (first given at line 2)"),
    ]
