"""YAML syntax errors carry a plain-English hint beside the parser's words, at the
parser's line and column."""

from __future__ import annotations

import pytest

from negotiation import loader
from negotiation.model.errors import ScenarioError

HEAD = "version: 1\nid: y\n"
TAIL = "start: 2025-11-01\nparties:\n  - {id: a, name: A}\n"

CASES = [
    (HEAD + "title: Note: a colon\n" + TAIL, 3, "a ': ' inside an unquoted value"),
    (HEAD + "title: t\n" + TAIL
     # `link` is no field: libyaml reads `?` inside a flow value, so a file valid in every
     # other way loads on the fast path; a refused one is re-read by the strict parser
     + "sources:\n  - {id: s, title: A page, link: https://example.org/p?a=1}\n",
     8, "inside {...} a value holding"),
    (HEAD + "title: t\n" + TAIL + "facts: [a: b, c]]\n", 7, "bracket opened must be closed"),
    (HEAD + "title: t\nstart: 2025-11-01\nparties:\n  - id: a\n   name: A\n", 7,
     "must start in the same column"),
    (HEAD + 'title: "C:\\q"\n' + TAIL, 3, "a backslash starts an escape"),
    (HEAD + "title: *nowhere\n" + TAIL, 3, "must come after its anchor"),
    (HEAD + 'title: "never closed\n' + TAIL, 7, "is never closed"),
]


@pytest.mark.parametrize(("text", "line", "hint"), CASES)
def test_a_syntax_error_has_a_hint_at_its_place(text: str, line: int, hint: str) -> None:
    with pytest.raises(ScenarioError) as info:
        loader.load_text(text, "f.yaml")
    (problem,) = info.value.problems
    assert "YAML syntax error" in problem.message
    assert problem.location.line == line
    assert "; hint: " in problem.message
    assert hint in problem.message.split("; hint: ", 1)[1]
