"""Every file in tests/invalid/ must fail to load with a located, explained problem.

Each fixture's first line is ``# expect: LINE[:COLUMN]: SUBSTRING``: validating it (what
``negotiation validate`` runs: ``validate_file``, the load and what the engine would
refuse at the start) must raise ``ScenarioError`` and one of its problems must be at
that line (and column, if given) with a message containing the substring. A fixture
that validates cleanly fails the test.
Helper files a fixture needs (e.g. the other half of an extends cycle) live in
``tests/invalid/parts/`` and are not fixtures themselves.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from negotiation.loader import validate_file
from negotiation.model.errors import ScenarioError
from tests.conftest import ROOT

INVALID = ROOT / "tests" / "invalid"
FIXTURES = sorted(INVALID.glob("[0-9][0-9]-*.yaml"))
EXPECT = re.compile(r"^# expect: (?P<line>\d+)(?::(?P<column>\d+))?: (?P<text>.+)$")


def _expectation(path: Path) -> tuple[int, int | None, str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    m = EXPECT.match(first)
    assert m is not None, f"{path.name}: first line must be '# expect: LINE[:COL]: TEXT'"
    column = int(m["column"]) if m["column"] else None
    return int(m["line"]), column, m["text"].strip()


def test_there_are_enough_fixtures() -> None:
    assert len(FIXTURES) >= 25


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_invalid_fixture_fails_where_it_says(path: Path) -> None:
    line, column, text = _expectation(path)
    with pytest.raises(ScenarioError) as info:
        validate_file(path)
    problems = info.value.problems
    assert problems, "a ScenarioError must carry at least one problem"
    for p in problems:
        assert p.location.file is not None, f"unlocated problem: {p}"
    matching = [
        p
        for p in problems
        if p.location.line == line
        and (column is None or p.location.column == column)
        and text in p.message
    ]
    where = f"{line}:{column}" if column is not None else str(line)
    assert matching, f"no problem at {where} containing {text!r}; got:\n{info.value}"
