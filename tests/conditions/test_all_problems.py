"""A condition's problems are reported together: every unknown name (each at its own
column) and, where parsing stopped, the syntax error."""

from __future__ import annotations

import pytest

from negotiation.model.errors import ConditionError
from tests.conftest import ROOT, engine_of, invoke


def _problems(text: str) -> tuple[tuple[str, int], ...]:
    with pytest.raises(ConditionError) as caught:
        engine_of("ukraine-2025-12").parse(text)
    return caught.value.problems


def test_every_unknown_name_is_reported_with_its_column() -> None:
    text = "foo is signed and fact nope and russia accepts bar and deadline zz is met"
    found = _problems(text)
    assert [p for _, p in found] == [text.index(w) for w in ("foo", "nope", "bar", "zz")]
    assert [r.split(" '")[0] for r, _ in found] == [
        "unknown name", "unknown fact", "unknown document or party", "unknown deadline"
    ]


def test_unknown_names_inside_brackets_and_an_unknown_state() -> None:
    found = _problems("(x or y) and twenty_point_plan is flibbed")
    assert [p for _, p in found] == [1, 6, 34]
    assert found[2][0].startswith("unknown state of twenty_point_plan 'flibbed'")


def test_unknown_names_before_a_syntax_error_are_kept() -> None:
    found = _problems("fact nope and (")
    assert found == (("unknown fact 'nope'", 5), ("expected a condition, got the end", 15))


def test_one_problem_reads_as_before() -> None:
    with pytest.raises(ConditionError) as caught:
        engine_of("ukraine-2025-12").parse("fact nope")
    assert str(caught.value) == "unknown fact 'nope' at column 6 of condition 'fact nope'"
    assert caught.value.problems == (("unknown fact 'nope'", 5),)


def test_validate_lists_every_problem_of_one_condition_with_line_and_column() -> None:
    path = ROOT / "tests" / "invalid" / "63-condition-several-unknown-names.yaml"
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    out = result.output
    assert "(4 problems)" in out
    for where in ("15:11", "15:48", "15:57", "15:84"):
        assert f"63-condition-several-unknown-names.yaml:{where} (rules.0.when)" in out
