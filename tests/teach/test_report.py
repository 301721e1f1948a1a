"""``negotiation report``: a self-contained HTML or Markdown page about one run."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from negotiation.render.report import OutcomeRow, outcome_rows
from tests.conftest import CHOICES, SEED, invoke


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def page(tmp_path: Path, *args: str, name: str = "r.html") -> str:
    target = tmp_path / name
    result = invoke("report", "-o", str(target), *args)
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


def test_the_html_report_is_self_contained(tmp_path: Path) -> None:
    html = page(tmp_path, "-s", SEED)
    parser = _Tags()
    parser.feed(html)
    tags = parser.tags
    assert not re.search(r"https?://", html)  # no network address at all
    assert not [t for t, a in tags if t == "link"]
    assert not [a for t, a in tags if "src" in a or "href" in a]  # nothing fetched
    assert "@import" not in html and "url(http" not in html
    assert [t for t, _ in tags].count("script") == 1  # the inline measuring script only


def test_the_timeline_chart_has_a_swimlane_per_document_and_deadline(tmp_path: Path) -> None:
    html = page(tmp_path, "-s", SEED)
    svg = re.search(r'<svg id="timeline-chart".*?</svg>', html, re.DOTALL)
    assert svg is not None
    root = ET.fromstring(svg.group(0))  # inline SVG: well-formed XML too
    lanes = [g.get("data-lane") for g in root.iter("g") if "swimlane" in (g.get("class") or "")]
    assert lanes == [
        "events:events",
        "document:twenty_eight_point_plan",
        "document:twenty_point_plan",
        "document:security_guarantees",
        "document:reconstruction",
        "deadline:thanksgiving_deadline",
        "deadline:elections_window",
    ]
    rects = list(root.iter("rect"))
    states = [r.get("data-state") for r in rects if r.get("class") == "segment"]
    assert "under_negotiation" in states and "missed" in states and "pending" in states
    hatched = [r for r in rects if r.get("class") == "uncertain"]
    assert hatched  # imprecise dates drawn as ranges
    assert any("date uncertain: 2025-11-01 to 2025-12-10" in (r.findtext("title") or "")
               for r in hatched)  # fmt: skip
    assert root.find(".//path[@class='extension']") is not None  # the move to Christmas
    assert "the record ends (2025-12-12)" in svg.group(0)
    titles = [t.text or "" for t in root.iter("title")]
    assert "missed on 2025-11-27" in " ".join(titles)
    assert "due 2025-12-25" in " ".join(titles)  # the axis reaches the pending due date


def test_positions_trace_and_claim_status(tmp_path: Path) -> None:
    html = page(tmp_path, "-s", SEED)
    assert '<h2 id="positions">Positions over time</h2>' in html
    assert "<th>2025-12-11</th>" in html and "supports_with_conditions" in html
    assert '<h2 id="trace">Trace</h2>' in html
    assert "official statement, by trump, via article-2025-12, ¶18 [claimed]" in html
    assert '<td class="claimed">claimed</td>' in html
    assert '<td class="confirmed">confirmed</td>' in html
    assert '<h2 id="assumptions">Labelled assumptions</h2>' in html


def test_the_outcome_chart_from_explore_or_sample_json(tmp_path: Path) -> None:
    results = tmp_path / "explore.json"
    explored = invoke("explore", "-s", CHOICES, "-f", "json")
    assert explored.exit_code in (0, 1), explored.output
    results.write_text(explored.stdout, encoding="utf-8")
    html = page(tmp_path, "-s", CHOICES, "--results", str(results))
    assert '<svg id="outcome-chart"' in html
    expected = json.loads(explored.stdout)["outcomes"]
    assert html.count('<g class="outcome">') == len(expected)
    sampled = tmp_path / "sample.json"
    sample = invoke("sample", "-s", CHOICES, "-n", "40", "-f", "json")
    sampled.write_text(sample.stdout, encoding="utf-8")
    html = page(tmp_path, "-s", CHOICES, "--results", str(sampled), name="s.html")
    assert "95% interval" in html  # a sample's Wilson interval as a whisker


def test_the_simple_results_shape_and_bad_results(tmp_path: Path) -> None:
    assert outcome_rows({"outcomes": {"signed": 3, "lapsed": 1}}) == (
        OutcomeRow("signed", 3),
        OutcomeRow("lapsed", 1),
    )
    with pytest.raises(ValueError, match="expected"):
        outcome_rows({"outcomes": "many"})
    bad = tmp_path / "bad.json"
    bad.write_text('{"outcomes": [1, 2]}', encoding="utf-8")
    result = invoke("report", "-o", str(tmp_path / "r.html"), "--results", str(bad))
    assert result.exit_code == 2 and "expected" in result.stderr
    bad.write_text("{not json", encoding="utf-8")
    result = invoke("report", "-o", str(tmp_path / "r.html"), "--results", str(bad))
    assert result.exit_code == 2 and "cannot read" in result.stderr


def test_the_markdown_report_uses_mermaid(tmp_path: Path) -> None:
    md = page(tmp_path, "-s", SEED, "--results", _simple(tmp_path), name="r.md")
    assert "```mermaid\ngantt\n" in md
    assert "    dateFormat YYYY-MM-DD" in md
    assert "    section twenty_point_plan" in md
    assert "    under_negotiation :active, " in md
    assert "missed on 2025-11-27 :milestone, crit, " in md
    assert "date range for proposed :done, " in md  # an imprecise date as its range
    assert "```mermaid\npie title Outcomes" in md
    assert "| ukraine | security_guarantees | unknown | supports_with_conditions |" in md
    assert "| ~2025-11 (month) (inferred) | EVENT | The White House puts out" in md
    for block in re.findall(r"```mermaid\ngantt\n(.*?)```", md, re.DOTALL):
        for line in block.splitlines()[4:]:
            if not line.strip().startswith("section"):
                assert re.fullmatch(r"    [^:#;]+ :[a-z, ]*t\d+, \d{4}-\d\d-\d\d, \S+", line), line


def _simple(tmp_path: Path) -> str:
    path = tmp_path / "simple.json"
    path.write_text('{"outcomes": {"deadline missed": 2, "deadline met": 1}}', encoding="utf-8")
    return str(path)


def test_never_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    target.write_text("keep me", encoding="utf-8")
    result = invoke("report", "-o", str(target), "-s", SEED)
    assert result.exit_code == 2
    assert "exists; use --force to overwrite it" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    assert invoke("report", "-o", str(target), "-s", SEED, "--force").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_wants_html_or_md(tmp_path: Path) -> None:
    result = invoke("report", "-o", str(tmp_path / "r.pdf"))
    assert result.exit_code == 2 and "FILE.html or FILE.md" in result.stderr


def test_a_report_past_the_horizon_marks_the_continuation(tmp_path: Path) -> None:
    html = page(tmp_path, "-s", SEED, "--until", "2026-01-01")
    assert "the record ends (2025-12-12); later days are a continuation" in html
    assert "missed on 2025-12-25" in html
    assert '<h2 id="expectations">' in html


def test_an_existing_markdown_report_is_kept_and_the_error_names_force(tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    target.write_text("my notes", encoding="utf-8")
    before = target.stat().st_mtime_ns
    result = invoke("report", "-o", str(target), "-s", SEED)
    assert result.exit_code == 2
    assert result.stderr == f"error: {target} exists; use --force to overwrite it\n"
    assert "Traceback" not in result.output and result.stdout == ""
    assert target.read_text(encoding="utf-8") == "my notes"
    assert target.stat().st_mtime_ns == before
