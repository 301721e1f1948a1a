"""Control characters (issue 15, item 6): written as YAML escapes (``"\\0"``, ``"\\x01"``,
``"\\e"``) they are refused like raw ones, with a located error, in every text field
and through every command; and whatever the user types (a file name, an argument, a
move) reaches the terminal with its control characters made visible.

``files/38-*`` to ``files/42-*`` pin the loader's messages (``test_files.py`` runs them
through ``validate`` and ``run``); here each escape goes through every command that
reads a scenario.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from negotiation.loader import load_scenario
from negotiation.model.errors import ScenarioError
from negotiation.render.escape import visible
from tests.hostile.clirun import Result, run_cli
from tests.hostile.payloads import MINI, assert_clean, mini_data

MARK = "@@MARK@@"

# field -> how to put the marker there
FIELDS = {
    "title": lambda d: d.__setitem__("title", MARK),
    "summary": lambda d: d.__setitem__("summary", MARK),
    "assumptions.0": lambda d: d.__setitem__("assumptions", [MARK]),
    "sources.0.title": lambda d: d["sources"][0].__setitem__("title", MARK),
    "parties.1.name": lambda d: d["parties"][1].__setitem__("name", MARK),
    "documents.0.title": lambda d: d["documents"][0].__setitem__("title", MARK),
    "documents.0.points.0.summary": lambda d: d["documents"][0]["points"][0].__setitem__(
        "summary", MARK
    ),
    "deadlines.0.summary": lambda d: d["deadlines"][0].__setitem__("summary", MARK),
    "deadlines.0.consequence.summary": lambda d: d["deadlines"][0]["consequence"].__setitem__(
        "summary", MARK
    ),
    "rules.0.summary": lambda d: d["rules"][0].__setitem__("summary", MARK),
    "branches.0.summary": lambda d: d["branches"][0].__setitem__("summary", MARK),
    "expect.0.summary": lambda d: d["expect"][0].__setitem__("summary", MARK),
}

ESCAPES = {
    "nul": ("\\0", 0x00),
    "x01": ("\\x01", 0x01),
    "osc52": ("\\e]52;c;SGVsbG8=\\a", 0x1B),
    "clear": ("\\e[2J\\e[H", 0x1B),
    "c1-csi": ("\\x9b31m", 0x9B),
    "surrogate": ("A\\ud800B", 0xD800),
}

def said(code: int) -> str:
    """How the loader's message starts for an escape of ``code``."""
    if 0xD800 <= code <= 0xDFFF:
        return f"text that cannot be encoded as UTF-8: \\u{code:04x} is half of a surrogate"
    return f"the escape for U+{code:04X} (a control character) is not allowed"


COMMANDS: dict[str, list[str]] = {
    "validate": ["validate"],
    "run": ["run", "-s"],
    "run-json": ["run", "-f", "json", "-s"],
    "run-markdown": ["run", "-f", "markdown", "-s"],
    "run-save": ["run", "--save", "saved.json", "-s"],
    "show": ["show", "-s"],
    "diagram": ["diagram", "-s"],
    "diagram-svg": ["diagram", "-f", "svg", "-o", "d.svg", "-s"],
    "report": ["report", "-o", "r.html", "-s"],
    "step": ["step", "-s"],
}


def write(root: Path, field: str, escape: str) -> tuple[Path, int, int]:
    """mini.yaml as JSON with ``escape`` (YAML escapes) in ``field``; the file and the
    line and column of the string."""
    data = mini_data()
    FIELDS[field](data)
    text = json.dumps(data, indent=1)
    line = text[: text.index(MARK)].count("\n") + 1
    column = text.index(MARK) - text.rfind("\n", 0, text.index(MARK))  # the quote's column
    path = root / f"{field}.yaml"
    path.write_text(text.replace(MARK, escape), encoding="utf-8")
    return path, line, column - 1


@pytest.mark.parametrize("name", ESCAPES)
@pytest.mark.parametrize("field", FIELDS)
def test_every_text_field_refuses_every_escape(tmp_path: Path, field: str, name: str) -> None:
    escape, code = ESCAPES[name]
    path, line, column = write(tmp_path, field, escape)
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(path))
    (problem,) = info.value.problems
    assert (problem.location.line, problem.location.column) == (line, column)
    assert problem.location.path == tuple(int(p) if p.isdigit() else p for p in field.split("."))
    assert problem.message.startswith(said(code))


THROUGH = [("title", "osc52"), ("title", "surrogate"), ("parties.1.name", "clear"),
           ("expect.0.summary", "nul")]  # fmt: skip
"""(field, escape) pairs sent through every command."""


@pytest.fixture(scope="module")
def results(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[tuple[str, str, str], tuple[Result, str]]:
    root = tmp_path_factory.mktemp("control")
    cases: list[list[str]] = []
    keys: list[tuple[str, str, str]] = []
    where: list[str] = []
    for field, name in THROUGH:
        for command, argv in COMMANDS.items():
            d = root / f"{field}-{name}-{command}"
            d.mkdir()
            path, line, column = write(d, field, ESCAPES[name][0])
            cases.append([*argv, str(path)])
            keys.append((field, name, command))
            where.append(f"{path}:{line}:{column} ({field})")
    found = run_cli(cases, cwd=root)
    return {k: (r, w) for k, r, w in zip(keys, found, where, strict=True)}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("field", "name"), THROUGH)
def test_an_escaped_control_character_is_refused_by_every_command(
    field: str,
    name: str,
    command: str,
    results: dict[tuple[str, str, str], tuple[Result, str]],
) -> None:
    result, where = results[(field, name, command)]
    assert_clean(result, 2, bound=2000)
    code = ESCAPES[name][1]
    assert f"{where}: {said(code)}" in result.output, str(result)
    directory = Path(result.argv[-1]).parent
    assert sorted(p.name for p in directory.iterdir()) == [f"{field}.yaml"], "wrote a file"


# -- what the user types -----------------------------------------------------------------

OSC52 = "\x1b]52;c;SGVsbG8=\x07"
CLEAR = "\x1b[2J\x1b[H"


@pytest.fixture(scope="module")
def typed(tmp_path_factory: pytest.TempPathFactory) -> list[Result]:
    root = tmp_path_factory.mktemp("typed")
    named = root / f"talks{CLEAR}.yaml"
    named.write_text(MINI.read_text("utf-8"), encoding="utf-8")
    mini = str(MINI)
    cases = [
        ["validate", str(named)],  # OK  <the path>
        ["validate", str(root / f"missing{OSC52}.yaml")],
        ["run", "-s", str(root / f"missing{OSC52}.yaml")],
        ["run", "-s", mini, OSC52],  # click: unexpected extra argument
        ["run", f"--{CLEAR}"],  # click: no such option
        [f"r{CLEAR}un"],  # click: no such command
        ["run", "-s", mini, "--branch", OSC52],
        ["why", f"east{OSC52} signs framework", "-s", mini, "--at", "2025-12-01"],
        ["why", f"east signs framework{CLEAR}", "-s", mini, "--at", "2025-12-01"],
        ["play", "--as", CLEAR, "-s", mini],
        ["run", "-s", mini, "--until", OSC52],
        ["diagram", "-s", mini, "--document", CLEAR],
        ["report", "-s", mini, "-o", f"r{OSC52}.pdf"],
        ["resume", str(root / f"nothing{CLEAR}.json")],
        ["run", "-s", mini, "--save", str(root / f"no-such-dir{CLEAR}" / "s.json")],
    ]
    return run_cli(cases, cwd=root)


def test_typed_text_reaches_the_terminal_visible(typed: list[Result]) -> None:
    for result in typed:
        assert_clean(result, 0 if result.argv[0] == "validate" and "talks" in result.argv[1] else 2)
    assert "\u241b[2J\u241b[H" in typed[0].stdout  # ESC printed as its control picture


def test_visible_keeps_the_width() -> None:
    for text in (OSC52, CLEAR, "a\x00b", "\x7f\x9b\u202e\ud800"):
        assert len(visible(text)) == len(text)
    assert visible("tab\tand\nnewline") == "tab\tand\nnewline"
