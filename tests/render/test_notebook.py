"""``%load_ext negotiation.render.notebook``: traces, states and scenarios as HTML tables
in a notebook, through IPython's formatter API (a stand-in here: no IPython needed)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest

from negotiation.render import notebook
from negotiation.render.notebook import (
    load_ipython_extension,
    scenario_html,
    state_html,
    trace_html,
    unload_ipython_extension,
)
from tests.conftest import SEED, engine_of, ev, run, scenario


class FakeFormatter:
    """What the extension uses of IPython's ``HTMLFormatter``: ``for_type``, ``pop`` and
    the formatting of a value by its type (``__call__``)."""

    def __init__(self) -> None:
        self.printers: dict[type, Any] = {}

    def for_type(self, typ: type, func: Any) -> None:
        self.printers[typ] = func

    def pop(self, typ: type, default: Any = None) -> Any:
        return self.printers.pop(typ, default)

    def __call__(self, obj: object) -> str | None:
        for cls in type(obj).__mro__:
            if cls in self.printers:
                return str(self.printers[cls](obj))
        return None


class FakeShell:
    def __init__(self) -> None:
        self.html = FakeFormatter()
        self.display_formatter = type("DF", (), {"formatters": {"text/html": self.html}})()


class Cells(HTMLParser):
    """The text of every table cell, and every tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.tags: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.tags.append(tag)
        if tag in ("td", "th"):
            self._in = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._in is not None:
            self.cells.append(self._in)
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self._in += data


def cells(html: str) -> Cells:
    parser = Cells()
    parser.feed(html)
    return parser


def test_the_extension_registers_and_unregisters_the_three_models() -> None:
    shell = FakeShell()
    engine = engine_of(SEED)
    trace = engine.run()
    load_ipython_extension(shell)
    assert shell.html(trace) == trace_html(trace)
    assert shell.html(trace.final) == state_html(trace.final)
    assert shell.html(engine.scenario) == scenario_html(engine.scenario)
    assert shell.html(trace.entries[0]) is None  # only the three
    unload_ipython_extension(shell)
    assert shell.html(trace) is None


def test_a_trace_shows_its_entries_in_a_table() -> None:
    trace = engine_of(SEED).run()
    html = trace_html(trace)
    found = cells(html)
    assert found.cells[:5] == ["date", "kind", "what", "who", "changes"]
    assert len(found.cells) == 5 * (1 + len(trace.entries))
    assert trace.entries[0].summary in found.cells
    assert "script" not in found.tags
    assert len(html) < 40_000  # compact: the report page of the same run is ~200 kB


def test_a_long_trace_is_cut_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notebook, "MAX_ROWS", 3)
    trace = engine_of(SEED).run()
    html = trace_html(trace)
    assert len(cells(html).cells) == 5 * 4
    assert f"first 3 of {len(trace.entries):,} rows" in html


def test_a_failed_run_lists_the_unmet_expectations() -> None:
    sc = scenario(
        timeline=[ev("propose", "2025-11-02", by="a", document="plan")],
        expect=[{"at": "2025-11-03", "that": "plan is signed"}],
    )
    html = trace_html(run(sc))
    assert "NOT ok" in html
    assert "Expectations not met" in html and "plan is signed" in cells(html).cells


def test_a_state_shows_documents_positions_deadlines_and_facts() -> None:
    state = engine_of(SEED).run().final
    found = cells(state_html(state))
    for doc, ds in state.documents.items():
        assert doc in found.cells and ds.state in found.cells
    for deadline, ds in state.deadlines.items():
        assert deadline in found.cells and ds.status.value in found.cells
    assert f"State at the close of {state.date}" in state_html(state)


def test_a_scenario_shows_its_parties_documents_and_branches() -> None:
    sc = engine_of(SEED).scenario
    found = cells(scenario_html(sc))
    assert all(p.name in found.cells for p in sc.parties)
    assert all(d.title in found.cells for d in sc.documents)
    assert all(b.id in found.cells for b in sc.branches)


def test_scenario_text_is_escaped() -> None:
    evil = '<script>alert(1)</script><img src=x onerror="y">'
    sc = scenario(
        title=evil,
        summary=evil,
        parties=[{"id": "a", "name": evil}, {"id": "b", "name": "B"}],
        timeline=[ev("propose", "2025-11-02", by="a", document="plan", summary=evil)],
    )
    trace = run(sc)
    for html in (scenario_html(sc), trace_html(trace), state_html(trace.final)):
        tags = set(cells(html).tags)
        assert tags <= {"div", "p", "table", "tr", "th", "td"}, tags
        assert not re.search(r"<(script|img)", html)
    assert evil in cells(scenario_html(sc)).cells
