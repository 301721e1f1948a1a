"""``extends`` corrections (``negotiation.loader._extends``): a what-if's ``replace:`` and
``remove:`` by id, their located problems, and messages that name a merged item by the
field path of its own file."""

from __future__ import annotations

from pathlib import Path

import pytest

from negotiation import Engine, loader
from negotiation.loader import _yaml, load_scenario
from negotiation.model.errors import Problem, ScenarioError
from negotiation.model.scenario import Scenario
from tests.conftest import scenario

BASE = """\
version: 1
id: base
title: Base
parties:
  - {id: alpha, name: Alpha}
  - {id: beta, name: Beta}
documents:
  - {id: plan, title: Plan, requires_acceptance: [alpha, beta]}
deadlines:
  - id: answer_by
    kind: deadline
    set_by: alpha
    on: [beta]
    due: 2025-12-20
    requirement: beta accepts plan
rules:
  - id: beta_follows
    when: alpha accepts plan
    then: [{kind: accept, by: beta, document: plan}]
timeline:
  - {id: offer, date: 2025-12-02, kind: propose, by: alpha, document: plan}
  - {id: acceptance, date: 2025-12-05, kind: accept, by: alpha, document: plan}
  - {id: note, date: 2025-12-05, kind: statement, by: alpha, about: [plan], summary: Said so}
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _child(tmp_path: Path, body: str, base: str = BASE) -> Path:
    _write(tmp_path / "base.yaml", base)
    return _write(tmp_path / "child.yaml", "extends: base.yaml\nid: child\ntitle: Child\n" + body)


def _problems(path: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(path))
    return info.value.problems


def _where(p: Problem) -> tuple[str, int | None, int | None, tuple[str | int, ...]]:
    loc = p.location
    return (Path(loc.file or "").name, loc.line, loc.column, loc.path)


# -- what the corrections do -------------------------------------------------------------


def test_replace_puts_the_item_in_the_base_item_s_place(tmp_path: Path) -> None:
    child = _child(
        tmp_path,
        """\
replace:
  timeline:
    - {id: acceptance, date: 2025-12-05, kind: accept, by: beta, document: plan}
timeline:
  - {id: late, date: 2025-12-06, kind: accept, by: alpha, document: plan}
""",
    )
    sc = load_scenario(str(child))
    assert [(e.id, e.kind) for e in sc.timeline] == [
        ("offer", "propose"),
        ("acceptance", "accept"),
        ("note", "statement"),
        ("late", "accept"),
    ]
    assert sc.timeline[1].by == ["beta"]  # type: ignore[union-attr]
    assert sc.extends == "base.yaml"


def test_remove_drops_base_items_of_any_list_with_ids(tmp_path: Path) -> None:
    child = _child(
        tmp_path,
        "remove:\n  timeline: [note, offer]\n  rules: [beta_follows]\n  deadlines: [answer_by]\n",
    )
    sc = load_scenario(str(child))
    assert [e.id for e in sc.timeline] == ["acceptance"]
    assert (sc.rules, sc.deadlines) == ([], [])


def test_a_what_if_replaces_or_removes_a_base_expectation_by_its_id(tmp_path: Path) -> None:
    base = BASE + (
        "expect:\n"
        "  - {id: offered, at: 2025-12-02, that: plan is proposed}\n"
        "  - {id: both_accept, at: 2025-12-05, that: beta accepts plan}\n"
        "  - {at: 2025-12-05, that: alpha accepts plan}\n"
    )
    child = _child(
        tmp_path,
        """\
remove:
  rules: [beta_follows]
  expect: [both_accept]
replace:
  expect:
    - {id: offered, at: 2025-12-03, that: plan is proposed, summary: a day later}
""",
        base,
    )
    sc = load_scenario(str(child))
    assert [(x.id, str(x.at.sort_date), x.summary) for x in sc.expect] == [
        ("offered", "2025-12-03", "a day later"),
        (None, "2025-12-05", None),
    ]
    (problem,) = _problems(_child(tmp_path, "remove:\n  expect: [both_acept]\n", base))
    assert problem.message == (
        "the base has no expectation 'both_acept' to remove; did you mean 'both_accept'?"
    )


def test_corrections_apply_to_the_base_before_the_child_s_own_items(tmp_path: Path) -> None:
    """A removed id is free again: the child may give an item of that id of its own."""
    child = _child(
        tmp_path,
        """\
remove:
  rules: [beta_follows]
rules:
  - {id: beta_follows, when: alpha accepts plan, then: [{kind: reject, by: beta, document: plan}]}
""",
    )
    (rule,) = load_scenario(str(child)).rules
    assert rule.then[0].kind == "reject"


def test_a_chain_corrects_what_the_base_s_base_gave(tmp_path: Path) -> None:
    _write(tmp_path / "grand.yaml", BASE)
    _write(
        tmp_path / "base.yaml",
        "extends: grand.yaml\nid: middle\ntitle: Middle\nremove:\n  timeline: [note]\n",
    )
    child = _write(
        tmp_path / "child.yaml",
        "extends: base.yaml\nid: child\ntitle: Child\nremove:\n  timeline: [offer]\n",
    )
    assert [e.id for e in load_scenario(str(child)).timeline] == ["acceptance"]
    bad = _write(
        tmp_path / "bad.yaml",
        "extends: base.yaml\nid: bad\ntitle: Bad\nremove:\n  timeline: [note]\n",
    )
    (problem,) = _problems(bad)
    assert _where(problem) == ("bad.yaml", 5, 14, ("remove", "timeline", 0))
    assert "the base has no timeline event 'note' to remove" in problem.message


@pytest.mark.parametrize("libyaml", [True, False])
def test_the_fast_path_gives_what_the_located_path_gives(
    tmp_path: Path, libyaml: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if libyaml and _yaml._CParser is None:
        pytest.skip("PyYAML without libyaml")
    if not libyaml:
        monkeypatch.setattr(_yaml, "_CParser", None)
    child = _child(
        tmp_path,
        """\
remove: {timeline: [note], facts: []}
replace:
  timeline: [{id: offer, date: 2025-12-01, kind: propose, by: beta, document: plan}]
""",
    )
    text, file = child.read_text(encoding="utf-8"), str(child)
    chain = ((child.resolve(), file),)
    fast = loader._fast(text, file, chain, loader._limits())
    located: Scenario = loader._messages.validate(
        loader._located(text, file, chain, loader._limits()),
        loader.MAX_TIMELINE_EVENTS,
        loader.MAX_PROBLEMS,
    )
    assert fast == located
    assert [e.id for e in fast.timeline] == ["offer", "acceptance"]


# -- what is wrong with them, located ---------------------------------------------------


def test_every_problem_of_the_corrections_is_located_at_once(tmp_path: Path) -> None:
    child = _child(
        tmp_path,
        """\
remove:
  timeline: [ofer, note, note, 3]
  positions: [0]
  rulez: [beta_follows]
  deadlines: answer_by
replace:
  timeline:
    - {id: note, date: 2025-12-05, kind: statement, by: alpha, about: [plan], summary: x}
    - {date: 2025-12-05, kind: accept, by: beta, document: plan}
  rules:
    - {id: beta_follow, when: alpha accepts plan, then: []}
""",
    )
    found = [(_where(p)[1:3], p.message) for p in _problems(child)]
    assert found == [
        ((5, 14), "the base has no timeline event 'ofer' to remove; did you mean 'offer'?"),
        ((5, 26), "timeline event 'note' is already removed"),
        ((5, 32), "expected the id of a base timeline event, got 3"),
        (
            (6, 3),
            "'positions' items have no id, so 'remove' cannot name them (expected one "
            "of: branches, deadlines, decisions, documents, expect, facts, invariants, "
            "lifecycles, parties, rules, sources, timeline)",
        ),
        (
            (7, 3),
            "unknown list 'rulez'; did you mean 'rules'? (expected one of: branches, "
            "deadlines, decisions, documents, expect, facts, invariants, lifecycles, parties, "
            "rules, sources, timeline)",
        ),
        ((8, 14), "expected a list, such as deadlines: [event_id], got 'answer_by'"),
        ((11, 12), "timeline event 'note' is already removed"),
        ((12, 7), "a replacement needs the 'id' of the base timeline event it replaces"),
        ((14, 12), "the base has no rule 'beta_follow' to replace; did you mean 'beta_follows'?"),
    ]


def test_corrections_without_extends_are_refused_where_written() -> None:
    text = "id: d\ntitle: D\nreplace: {timeline: []}\nremove: {}\n"
    with pytest.raises(ScenarioError) as info:
        loader.load_text(text)
    found = [(p.location.line, p.location.column, p.location.path) for p in info.value.problems]
    assert found == [(3, 1, ("replace",)), (4, 1, ("remove",))]
    assert all("this file has no 'extends'" in p.message for p in info.value.problems)


def test_a_remove_that_is_not_a_mapping_says_what_it_takes(tmp_path: Path) -> None:
    (problem,) = _problems(_child(tmp_path, "remove: [offer]\n"))
    assert _where(problem)[1:] == (4, 9, ("remove",))
    assert problem.message == (
        "expected a mapping of lists to correct (such as timeline: [event_id]), got ['offer']"
    )


# -- messages name the child's own items ------------------------------------------------


def test_messages_name_each_item_by_its_own_file_s_path(tmp_path: Path) -> None:
    base = BASE.replace(
        "{id: note, date: 2025-12-05, kind: statement, by: alpha",
        "{id: note, date: 2025-12-05, kind: statement, by: alhpa",
    )
    child = _child(
        tmp_path,
        """\
remove:
  timeline: [offer]
replace:
  timeline:
    - {id: acceptance, date: 2025-12-05, kind: accept, by: gamma, document: plan}
timeline:
  - {id: one, date: 2025-12-06, kind: statement, by: alpha, about: [plan], summary: fine}
  - {id: two, date: 2025-12-07, kind: accept, by: zeta, document: plan}
""",
        base,
    )
    found = {(_where(p)[0], _where(p)[1], _where(p)[3]) for p in _problems(child)}
    assert found == {
        # the base's third event, though the merged timeline's second
        ("base.yaml", 23, ("timeline", 2, "by", 0)),
        ("child.yaml", 8, ("replace", "timeline", 0, "by", 0)),
        # the child's second event, though the merged timeline's fourth
        ("child.yaml", 11, ("timeline", 1, "by", 0)),
    }


def test_a_type_error_in_a_replacement_is_named_by_its_own_path(tmp_path: Path) -> None:
    child = _child(
        tmp_path,
        "replace:\n  timeline:\n    - {id: offer, date: 2025-13-01, kind: propose, by: alpha, "
        "document: plan}\n",
    )
    (problem,) = _problems(child)
    assert _where(problem) == ("child.yaml", 6, 25, ("replace", "timeline", 0, "date"))


def test_expectation_ids_are_unique() -> None:
    twice = [{"id": "e", "at": "2025-11-02", "that": "true"},
             {"id": "e", "at": "2025-11-03", "that": "true"}]
    with pytest.raises(ScenarioError, match="duplicate expectation id 'e'"):
        Engine(scenario(expect=twice))
