"""The error family's shared phrasing."""

from __future__ import annotations

import ast

from negotiation.model.errors import did_you_mean
from tests.conftest import ROOT


def test_did_you_mean_names_the_closest_known_name() -> None:
    assert did_you_mean("plann", ["guarantees", "plan", "plans"]) == "; did you mean 'plan'?"
    assert did_you_mean("plann", iter(["guarantees", "plan"])) == "; did you mean 'plan'?"
    assert did_you_mean("zzz", ["plan", "guarantees"]) == ""
    assert did_you_mean("plan", []) == ""


def test_the_package_suggests_names_in_one_place() -> None:
    """Every "did you mean" goes through ``did_you_mean``: one phrasing everywhere."""
    calls = []
    for path in sorted((ROOT / "negotiation").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls += [
            f"{path.relative_to(ROOT).as_posix()}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr == "get_close_matches"
        ]
    assert [c.split(":")[0] for c in calls] == ["negotiation/model/errors.py"], calls
