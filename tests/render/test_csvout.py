"""CSV cells a spreadsheet would run as a formula are neutralised (issue 15: CSV
injection); the numbers we write stay numbers."""

from __future__ import annotations

import csv
import io

import pytest

from negotiation.render import csvout

HOSTILE = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_text_that_starts_like_a_formula_gets_a_quote(text: str) -> None:
    out = io.StringIO()
    csvout.write(("label", "count"), [{"label": text, "count": 3}], out)
    (row,) = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert row == {"label": "'" + text, "count": "3"}


def test_numbers_we_write_stay_numbers() -> None:
    out = io.StringIO()
    rows = [{"label": "a", "count": -3, "share": -0.25, "low": 0.0, "high": 1e-20}]
    csvout.write(("label", "count", "share", "low", "high"), rows, out)
    assert out.getvalue() == "label,count,share,low,high\na,-3,-0.25,0.0,1e-20\n"


def test_a_carriage_return_or_newline_inside_a_cell_is_quoted() -> None:
    out = io.StringIO()
    rows = [{"label": "a\rb", "count": 1}, {"label": "c\nd", "count": 2}]
    csvout.write(("label", "count"), rows, out)
    assert out.getvalue() == 'label,count\n"a\rb",1\n"c\nd",2\n'


def test_ordinary_text_and_the_header_are_unchanged() -> None:
    assert [csvout.cell(v) for v in ("plan signed", "", "a=b", "x-1", None, True)] == [
        "plan signed", "", "a=b", "x-1", None, True
    ]
    out = io.StringIO()
    csvout.write(("=label",), [{"=label": "ok"}], out)
    assert out.getvalue() == "'=label\nok\n"
