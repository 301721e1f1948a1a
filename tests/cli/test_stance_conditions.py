"""Conditions attached to a stance are shown wherever the stance is: `show` (text and
JSON) and the HTML report."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import invoke

CONDITIONS = [
    "includes substantial, dependable European deterrence (¶3)",
    "backed by the United States (¶3)",
    "says concretely what partners do if Russia attacks again (¶7)",
]


def _invoke(*args: str) -> str:
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_show_lists_the_conditions_of_a_conditional_stance() -> None:
    out = _invoke("show", "--at", "2025-12-12")
    section = out.split("Conditions of stances\n", 1)[1]
    assert section.startswith(
        "ukraine supports_with_conditions security_guarantees, on these conditions:"
    )
    for c in CONDITIONS:
        assert f"  - {c}" in section


def test_show_before_the_stance_was_taken_has_no_such_section() -> None:
    assert "Conditions of stances" not in _invoke("show", "--at", "2025-12-01")


def test_show_json_carries_the_conditions() -> None:
    data = json.loads(_invoke("show", "--at", "2025-12-12", "-f", "json"))
    assert data["state"]["stance_conditions"] == [
        {"party": "ukraine", "target": "security_guarantees",
         "stance": "supports_with_conditions", "conditions": CONDITIONS}
    ]


def test_the_report_lists_the_conditions(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    _invoke("report", "-o", str(target))
    page = target.read_text(encoding="utf-8")
    section = page.split('id="stance-conditions"', 1)[1].split("</ul></li></ul>", 1)[0]
    for c in CONDITIONS:
        assert f"<li>{c}</li>" in section
