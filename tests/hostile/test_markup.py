"""Every renderer escapes for its own format (issue 15, item 7), tested with the same
payloads across all of them: the text console, ``run -f markdown``, the Markdown and
HTML reports (and their Mermaid gantt and pie charts), the Mermaid, DOT and SVG
diagrams, and JSON.

The library tests render scenarios built from each payload through the Python API (the
control payloads too, which the loader refuses); the CLI tests write the markup payloads
into scenario files and ``--results`` labels and run every command that renders them.
"""

from __future__ import annotations

import io
import json
import re
from functools import cache

import pytest

from negotiation.model.scenario import Scenario
from negotiation.render import diagram, jsonout, markdown, report, text
from negotiation.runtime.engine import Engine
from negotiation.teach.script import end_day, recorded_frames
from tests.hostile.clirun import Result, run_cli
from tests.hostile.payloads import (
    CONTROL,
    MARKUP,
    assert_clean,
    assert_no_raw,
    check_dot,
    check_html,
    check_markdown,
    check_mermaid,
    check_svg,
    with_text,
    write_results,
    write_scenario,
)

ALL = MARKUP + CONTROL
IDS = [f"p{i:02d}" for i in range(len(ALL))]


@cache
def engine(payload: str) -> Engine:
    return Engine(Scenario.model_validate(with_text(payload)))


def report_data(payload: str, outcomes: bool = True) -> report.ReportData:
    e = engine(payload)
    rows = report.outcome_rows({"outcomes": {payload: 3, "plain": 1}}) if outcomes else None
    return report.ReportData.build(e, recorded_frames(e), None, end_day(e, None, None), rows)


@pytest.mark.parametrize("payload", ALL, ids=IDS)
def test_the_text_console(payload: str) -> None:
    e = engine(payload)
    trace = e.run()
    for draw in (
        lambda f: text.timeline(trace, e.scenario, f),
        lambda f: text.state(e.scenario, trace.final, trace.final.date, None, f),
        lambda f: text.assumptions(
            ({"where": w, "assumption": a} for w, a in e.assumptions()), e.scenario, f
        ),
        lambda f: text.error(payload, f),
    ):
        page = io.StringIO()
        draw(page)
        assert_no_raw(page.getvalue())
        for word in re.findall(r"[A-Za-z0-9]{3,}", payload)[:1]:
            assert word in page.getvalue()


@pytest.mark.parametrize("payload", ALL, ids=IDS)
def test_markdown_run_and_report(payload: str) -> None:
    e = engine(payload)
    check_markdown(markdown.timeline(e.run(), e.scenario))
    check_markdown(report.markdown(report_data(payload)))


@pytest.mark.parametrize("payload", ALL, ids=IDS)
def test_html_report(payload: str) -> None:
    page = report.html(report_data(payload))
    check_html(page, report.MEASURE)
    for svg in ("timeline-chart", "outcome-chart"):
        start = page.index(f'<svg id="{svg}"')
        check_svg(page[start : page.index("</svg>", start) + len("</svg>")])


@pytest.mark.parametrize("payload", ALL, ids=IDS)
def test_diagrams(payload: str) -> None:
    e = engine(payload)
    frames = recorded_frames(e)
    paths = diagram.paths_from_entries(x for f in frames for x in f.entries)
    panels = diagram.panels(e, paths, [d.id for d in e.scenario.documents])
    check_mermaid(diagram.mermaid(panels, e.scenario.title))
    strings = check_dot(diagram.dot(panels, e.scenario.title))
    assert strings[0].endswith(": lifecycles and the path taken")
    check_svg(diagram.svg(panels, e.scenario.title))


@pytest.mark.parametrize("payload", ALL, ids=IDS)
def test_json_is_lossless_and_terminal_safe(payload: str) -> None:
    e = engine(payload)
    doc = jsonout.trace_doc(e.run(), e.scenario)
    dumped = jsonout.dumps(doc)
    assert_no_raw(dumped)
    assert json.loads(dumped)["title"] == payload


def test_dot_keeps_a_trailing_backslash_inside_the_string() -> None:
    strings = check_dot(
        diagram.dot(diagram.panels(engine("ends \\"), {}, ["framework"]), "ends \\")
    )
    assert strings[0] == "ends \\\\: lifecycles and the path taken"
    assert "framework: ends \\\\" in strings  # the panel's label, closed after it


def test_mermaid_newline_cannot_start_a_statement() -> None:
    title = 'Plan\nclick framework__drafted href "javascript:alert(1)"\n%%{init: {}}%%'
    out = diagram.mermaid(diagram.panels(engine(title), {}, ["framework"]), title)
    assert "\nclick" not in out and "%%{" not in out
    assert "Plan click framework__drafted href #quot;javascript:alert(1)#quot;" in out


def test_markdown_shows_html_as_text() -> None:
    e = engine("<script>alert(1)</script>")
    md = markdown.timeline(e.run(), e.scenario)
    assert "# &lt;script&gt;alert(1)&lt;/script&gt;" in md


def test_pie_labels_cannot_add_slices() -> None:
    label = 'a" : 1000\n    "b'
    md = report.markdown(report_data(label))
    pie = md[md.index("pie title Outcomes") :].split("```")[0].strip().split("\n")
    assert len(pie) == 3, pie  # the title and two slices, as given


# -- through the command line ------------------------------------------------------------

EVERYTHING = "\n".join(sorted(MARKUP, key=lambda p: p.endswith("\\")))
"""Every markup payload in one text, ending with the trailing backslash."""

COMMANDS: dict[str, list[str]] = {
    "run": ["run"],
    "run-markdown": ["run", "-f", "markdown"],
    "run-json": ["run", "-f", "json"],
    "show": ["show"],
    "show-assumptions": ["show", "--assumptions"],
    "validate": ["validate"],
    "diagram-mermaid": ["diagram"],
    "diagram-dot": ["diagram", "-f", "dot"],
    "diagram-svg": ["diagram", "-f", "svg"],
    "report-html": ["report", "-o", "page.html", "--results", "results.json"],
    "report-md": ["report", "-o", "page.md", "--results", "results.json"],
}


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Result]:
    """Every command on a scenario with every payload in every text field, and every
    payload as an outcome label; a report's page read back as its output."""
    root = tmp_path_factory.mktemp("markup")
    scenario = str(write_scenario(root / "s.yaml", EVERYTHING))
    write_results(root / "results.json", MARKUP)
    cases = [
        [*argv, scenario] if name == "validate" else [*argv, "-s", scenario]
        for name, argv in COMMANDS.items()
    ]
    found = dict(zip(COMMANDS, run_cli(cases, cwd=root), strict=True))
    for name in ("report-html", "report-md"):
        r = found[name]
        page = (root / COMMANDS[name][2]).read_text("utf-8")
        found[name] = Result(r.argv, r.code, page, r.stderr, r.seconds)
    return found


@pytest.mark.parametrize("name", COMMANDS)
def test_cli_renders_every_payload_escaped(name: str, cli: dict[str, Result]) -> None:
    result = cli[name]
    assert_clean(result, 0)
    out = result.stdout
    if name in ("run-markdown", "report-md"):
        check_markdown(out)
    elif name == "report-html":
        check_html(out, report.MEASURE)
    elif name == "diagram-mermaid":
        check_mermaid(out)
    elif name == "diagram-dot":
        assert "\\\\: lifecycles and the path taken" in check_dot(out)[0]
    elif name == "diagram-svg":
        check_svg(out)
    elif name == "run-json":
        assert json.loads(out)["title"] == EVERYTHING


def test_cli_pie_has_one_slice_per_label(cli: dict[str, Result]) -> None:
    md = cli["report-md"].stdout
    pie = md[md.index("pie title Outcomes") :].split("```")[0].strip().split("\n")
    assert len(pie) == 1 + len(MARKUP)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("payload", CONTROL, ids=IDS[len(MARKUP) :])
def test_the_styled_console_on_a_terminal(payload: str) -> None:
    """On a terminal the page keeps rich's own styling escapes; the payload's do not
    get through."""
    e = engine(payload)
    page = _Terminal()
    text.timeline(e.run(), e.scenario, page)
    out = page.getvalue()
    assert "\x1b[1m" in out  # rich's bold: styled for a terminal
    assert_no_raw(re.sub(r"\x1b\[[0-9;]*m", "", out))  # nothing but its colours
