"""Hostile text for the renderers, a scenario that carries it everywhere, and the checks
each output format must pass (shared by the hostile tests).

``MARKUP`` can be written in a scenario file (the loader accepts it: it is text); each
string tries to break out of one format or another. ``CONTROL`` can not (the loader
refuses it): it reaches the renderers only through the Python API, and the tests build
scenarios from it directly.
"""

from __future__ import annotations

import html.parser
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from negotiation.loader import load_scenario
from tests.conftest import ROOT
from tests.hostile.clirun import Result

MINI = ROOT / "tests" / "cli" / "mini.yaml"

MARKUP = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)" onclick="alert(2)">x</a>',
    'Plan\nclick framework__drafted href "javascript:alert(1)"',
    'x\n%%{init: {"securityLevel": "loose"}}%%',
    '%%{init: {"theme": "dark"}}%% inline',
    "ends with a backslash \\",
    "quote \" and 'apostrophe' and \\\"",
    "```\n```mermaid\nclick a call alert()\n```",
    "[click me](javascript:alert(1)) ![img](x)",
    "a | b || c",
    "*emph* _under_ __bold__ `code`",
    "&lt;script&gt; &amp; &#60;",
    '"] ; evil [label="x',
    '\\"; a -> b [label="pwned"',
    '-->|"x"| nope\n  end\nsubgraph evil',
    "}%% ]]> <!-- --> ---",
    "# heading\n> quote\n- item",
]
"""Markup payloads: valid scenario text, hostile to some output format."""

CONTROL = [
    "\x1b]52;c;SGVsbG8=\x07",  # OSC 52: write the clipboard
    "\x1b[2J\x1b[H",  # clear the screen
    "NUL\x00here",
    "\x01\x02\x7f",
    "OK\rFAILED",
    "\x9b31mC1 CSI",
    "right\u202eto-left",
    "lone \ud800 surrogate",
]
"""Control payloads: the loader refuses them; the Python API does not."""

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""What must never reach a terminal, a Markdown file, an SVG or an XML file raw."""


def mini_data() -> dict[str, Any]:
    """tests/cli/mini.yaml as plain data (it round-trips through the loader)."""
    data: dict[str, Any] = load_scenario(str(MINI)).model_dump(mode="json", exclude_unset=True)
    return data


def with_text(text: str) -> dict[str, Any]:
    """mini.yaml with ``text`` in every free-text field the renderers show: the title,
    the sources, a party's and a document's name, point and deadline summaries, a
    consequence, a rule, a stance's condition, an assumption, a branch and an
    expectation."""
    data = mini_data()
    data["title"] = text
    data["summary"] = text
    data["assumptions"] = [text]
    data["sources"][0]["title"] = text
    data["parties"][0]["name"] = text
    for doc in data["documents"]:
        doc["title"] = text
    for point in data["documents"][0]["points"]:
        point["summary"] = text
    for deadline in data["deadlines"]:
        deadline["summary"] = text
    data["deadlines"][0]["consequence"]["summary"] = text
    data["deadlines"][2]["assumption"] = text
    data["rules"][0]["summary"] = text
    data["positions"][0].update(stance="supports_with_conditions", conditions=[text])
    data["branches"][0]["summary"] = text
    for expectation in data["expect"]:
        expectation["summary"] = text
    return data


def write_scenario(path: Path, text: str) -> Path:
    """A scenario file (JSON is YAML) carrying ``text`` everywhere (``with_text``)."""
    path.write_text(json.dumps(with_text(text), indent=1), encoding="utf-8")
    return path


def write_results(path: Path, labels: list[str]) -> Path:
    path.write_text(json.dumps({"outcomes": {x: i + 1 for i, x in enumerate(labels)}}))
    return path


# -- checks of the outputs -------------------------------------------------------------


def assert_clean(result: Result, code: int, bound: int = 2_000_000) -> None:
    """The command exited with ``code``, printed no traceback, no raw control character,
    and not more than ``bound`` characters."""
    assert result.code == code, str(result)
    both = result.stdout + result.stderr
    assert "Traceback" not in both, str(result)
    found = RAW.search(both)
    assert found is None, f"raw U+{ord(found.group()):04X} in the output:\n{result}"
    assert len(both) <= bound, f"{len(both):,} characters of output"


def assert_no_raw(text: str) -> None:
    found = RAW.search(text)
    assert found is None, f"raw U+{ord(found.group()):04X} at {found.start()}: {text[:200]!r}"


_TAGS = {"br"}  # the only tag a Markdown page of ours holds


def check_markdown(md: str) -> None:
    """A Markdown page: no raw HTML (so no script, no event handler), no link or image,
    only our own fences, table rows as wide as their header, Mermaid blocks checked."""
    assert_no_raw(md)
    for tag in re.findall(r"<\s*/?\s*([A-Za-z][\w-]*)", md):
        assert tag.lower() in _TAGS, f"raw <{tag}> in the Markdown"
    assert re.search(r"(?<!\\)\]\s*\(", md) is None, "a link or an image"
    lines = md.split("\n")
    fence = None
    block: list[str] = []
    width = 0
    for line in lines:
        if fence is not None:
            if line == "```":
                check_mermaid_block(fence, block)
                fence, block = None, []
            else:
                assert not line.startswith("```"), f"a fence inside a block: {line!r}"
                block.append(line)
            continue
        if line.startswith("```"):
            assert line in ("```mermaid",), f"a fence of the payload's: {line!r}"
            fence = line
            continue
        cells = len(re.findall(r"(?<!\\)\|", line))
        if line.startswith("|"):
            if width == 0:
                width = cells
            assert cells == width, f"a table row of {cells} pipes, not {width}: {line!r}"
        else:
            width = 0
    assert fence is None, "an unclosed fence"


_NAME = r"[^:#;%\"`<>\n]+"


def check_mermaid_block(fence: str, block: list[str]) -> None:
    """A gantt or pie block of the Markdown report: names with no syntax in them."""
    kind = block[0]
    if kind == "gantt":
        for line in block[1:]:
            assert re.fullmatch(
                rf"    (title {_NAME}|dateFormat YYYY-MM-DD|axisFormat %d %b|section {_NAME}"
                rf"|{_NAME} :[a-z, ]*t\d+, [\d-]+, [\w-]+)",
                line,
            ), f"gantt line {line!r}"
    else:
        assert kind == "pie title Outcomes", kind
        for line in block[1:]:
            assert re.fullmatch(rf'    "{_NAME}" : \d+', line), f"pie line {line!r}"


_LABEL = r'"[^"%`<>\n]*"'
_ID = r"[a-z][a-z0-9_]*"
_FLOWCHART = [
    r"flowchart TD",
    rf"  subgraph {_ID}\[{_LABEL}\]",
    r"    direction TB",
    rf"    {_ID}\(\[?{_LABEL}\]?\)",
    rf"    {_ID} (-->|==>)\|{_LABEL}\| {_ID}",
    r"  end",
    r"  classDef \w+ [\w:#,.-]+",
    rf"  class {_ID}(,{_ID})* (visited|current)",
    r"  linkStyle [\d,]+ [\w:#,.-]+",
]


def check_mermaid(text: str) -> None:
    """A Mermaid flowchart of ours: one comment line, then only our statements, every
    label one line with no quote, percent sign, backtick or angle bracket."""
    assert_no_raw(text)
    assert "%%{" not in text and "}%%" not in text
    first, *rest = text.rstrip("\n").split("\n")
    assert re.fullmatch(r"%% lifecycles and the path taken: [^%\n]*", first), first
    for line in rest:
        assert any(re.fullmatch(p, line) for p in _FLOWCHART), f"not ours: {line!r}"


_DOT_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_DOT = [
    r"digraph lifecycles \{",
    r"  label=S;",
    r"  labelloc=t; rankdir=TB; fontname=Helvetica;",
    r"  node \[shape=box, style=S, fillcolor=white, fontname=Helvetica\];",
    r"  edge \[color=gray55, fontname=Helvetica, fontsize=10\];",
    rf"  subgraph cluster_{_ID} \{{",
    r"    label=S;",
    rf"    {_ID} \[label=S(, [\w]+=(S|\w+))*\];",
    rf"    {_ID} -> {_ID} \[label=S(, [\w]+=(S|\w+))*\];",
    r"  \}",
    r"\}",
]


def check_dot(text: str) -> list[str]:
    """A DOT graph of ours: every quoted string closed where it should be (so the
    statements around them are ours); returns the strings' contents."""
    assert_no_raw(text)
    strings = [m.group()[1:-1] for m in _DOT_STRING.finditer(text)]
    shapes = _DOT_STRING.sub("S", text)
    assert '"' not in shapes
    for line in shapes.rstrip("\n").split("\n"):
        assert any(re.fullmatch(p, line) for p in _DOT), f"not ours: {line!r}"
    return strings


def check_svg(text: str) -> ET.Element:
    """Well-formed XML, no script element, no event-handler attribute."""
    assert_no_raw(text)
    root = ET.fromstring(text)
    for el in root.iter():
        assert not el.tag.endswith("script"), "a script element"
        for name in el.attrib:
            assert not name.lower().startswith("on"), f"an event handler {name}"
    return root


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)
            self._in_script = False


def check_html(text: str, script: str) -> None:
    """An HTML report: our one script, no other, no event-handler attribute, no
    ``javascript:`` URL."""
    assert_no_raw(text)
    parser = _Tags()
    parser.feed(text)
    names = [t for t, _ in parser.tags]
    assert names.count("script") == 1, names.count("script")
    assert parser.scripts == [script]
    assert "a" not in names and "img" not in names and "iframe" not in names
    for tag, attrs in parser.tags:
        for name, value in attrs:
            assert not name.lower().startswith("on"), f"<{tag} {name}=...>"
            assert "javascript:" not in (value or "").lower(), f"<{tag} {name}={value}>"
