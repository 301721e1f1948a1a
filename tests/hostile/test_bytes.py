"""Budgets in bytes, not only values (issue 15, item 1).

The loader bounds the text of a file with its aliases expanded (``MAX_TEXT_CHARS``: text
reached through an alias counts each time it is reached), so a 10 MB string aliased a
hundred times is refused at the alias that passes the bound, in a second, instead of
becoming a gigabyte report. Every writer (sessions, reports, diagrams, counterexamples,
stdout and stderr) is bounded by ``persist.MAX_OUTPUT_BYTES``: more is refused before
anything is written (exit 2, one message), and no partial file is left.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from negotiation import loader, persist
from negotiation.loader import load_text
from negotiation.model.errors import OutputError, ScenarioError
from negotiation.render.escape import TerminalStream
from tests.conftest import TALKS
from tests.hostile.clirun import Result, run_cli
from tests.hostile.payloads import MINI, assert_clean

# -- the loader's text budget ------------------------------------------------------------


def aliased(n: int, k: int, extra: str = "") -> str:
    """A scenario whose text is ``33 + n * (k + 1)`` characters, aliases expanded: keys
    and values (``id`` 2 + ``demo`` 4 + ``title`` 5 + ``Demo`` 4 + ``summary`` 7 +
    ``assumptions`` 11), an anchored string of ``n`` and ``k`` aliases to it."""
    return (
        f"id: demo\ntitle: Demo\nsummary: &s {'x' * n}\nassumptions:\n" + "  - *s\n" * k + extra
    )


def test_the_text_budget_counts_every_alias(monkeypatch: pytest.MonkeyPatch) -> None:
    total = 33 + 10 * 4
    monkeypatch.setattr(loader, "MAX_TEXT_CHARS", total)
    assert load_text(aliased(10, 3)).assumptions == ["x" * 10] * 3
    monkeypatch.setattr(loader, "MAX_TEXT_CHARS", total - 1)
    with pytest.raises(ScenarioError) as info:
        load_text(aliased(10, 3), "budget.yaml")
    (problem,) = info.value.problems
    assert (problem.location.file, problem.location.line, problem.location.column) == (
        "budget.yaml",
        7,
        5,
    )
    assert problem.message == (
        f"the text of the file, aliases expanded, is more than {total - 1:,} characters "
        "at alias *s; refusing to expand it"
    )


def test_the_located_path_counts_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file the fast path gives up on early (a duplicate key) is refused at the same
    alias by the located path."""
    monkeypatch.setattr(loader, "MAX_TEXT_CHARS", 10 + 33 + 10 * 4 - 1)  # 10: title: Twice
    with pytest.raises(ScenarioError) as info:
        load_text("title: Twice\n" + aliased(10, 3), "budget.yaml")
    (problem,) = info.value.problems
    assert problem.location.line == 8
    assert "aliases expanded, is more than 82 characters at alias *s" in problem.message


def test_a_collection_anchor_counts_its_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """A list's anchor counts the text inside it: 41 characters written (keys and
    values), 10 more through the alias."""
    text = "id: demo\ntitle: Demo\nnotes: &l [abcde, fghij]\nassumptions: *l\n"
    monkeypatch.setattr(loader, "MAX_TEXT_CHARS", 51)
    with pytest.raises(ScenarioError, match="unknown field 'notes'"):
        load_text(text)
    monkeypatch.setattr(loader, "MAX_TEXT_CHARS", 50)
    with pytest.raises(ScenarioError, match=r"^<string>:4:14: .* more than 50 characters at"):
        load_text(text)


def test_the_shipped_text_budget_is_the_file_size() -> None:
    """No file without aliases can pass it (a scalar's text is never longer than the
    bytes that write it), so it only ever refuses what aliases add."""
    assert loader.MAX_TEXT_CHARS == loader.MAX_FILE_BYTES


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Result]:
    """The issue's file: one 10 MB string aliased a hundred times (a gigabyte of text),
    through every command that reads a scenario."""
    root = tmp_path_factory.mktemp("bomb")
    path = root / "bomb.yaml"
    with path.open("w", encoding="utf-8") as f:
        f.write("id: demo\ntitle: Demo\nsummary: &big ")
        f.write("x" * (10 * 2**20))
        f.write("\nassumptions:\n" + "  - *big\n" * 100)
    commands = {
        "validate": ["validate", str(path)],
        "run": ["run", "-s", str(path)],
        "run-json": ["run", "-f", "json", "-s", str(path)],
        "run-save": ["run", "--save", "s.json", "-s", str(path)],
        "show": ["show", "-s", str(path)],
        "report": ["report", "-o", "r.html", "-s", str(path)],
        "diagram": ["diagram", "-o", "d.mmd", "-s", str(path)],
        "step": ["step", "-s", str(path)],
    }
    return dict(zip(commands, run_cli(list(commands.values()), cwd=root), strict=True))


@pytest.mark.parametrize(
    "command", ["validate", "run", "run-json", "run-save", "show", "report", "diagram", "step"]
)
def test_the_alias_bomb_of_the_issue_is_refused_fast(
    command: str, bomb: dict[str, Result]
) -> None:
    result = bomb[command]
    assert_clean(result, 2, bound=2000)
    assert "bomb.yaml:7:5: the text of the file, aliases expanded, is more than" in result.output
    assert result.seconds < 15, result.seconds  # the located path would take a minute
    root = Path(result.argv[-1]).parent
    assert sorted(p.name for p in root.iterdir()) == ["bomb.yaml"]


# -- the writers ---------------------------------------------------------------------------


def test_persist_writers_refuse_before_writing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(persist, "MAX_OUTPUT_BYTES", 10)
    persist.write_new(tmp_path / "ok.txt", "0123456789")
    persist.atomic_write(tmp_path / "ok.txt", "é" * 5)  # 10 bytes
    for write in (
        lambda: persist.write_new(tmp_path / "new.txt", "01234567890"),
        lambda: persist.atomic_write(tmp_path / "ok.txt", "é" * 5 + "x"),  # 11 bytes
        lambda: persist.write_new(tmp_path / "ok.txt", "x" * 11, force=True),
    ):
        with pytest.raises(OutputError, match="over the 0 MiB limit; nothing was written"):
            write()
    assert sorted(os.listdir(tmp_path)) == ["ok.txt"]  # no partial file, no temporary
    assert (tmp_path / "ok.txt").read_text("utf-8") == "é" * 5


def test_a_lone_surrogate_is_refused_before_writing(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="U\\+D800, a lone surrogate"):
        persist.write_new(tmp_path / "x.txt", "a\ud800")
    assert os.listdir(tmp_path) == []


def test_the_terminal_stream_counts_what_it_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(persist, "MAX_OUTPUT_BYTES", 12)
    inner = io.StringIO()
    stream = TerminalStream(inner, "stdout")
    stream.write("0123456")
    with pytest.raises(OutputError, match="the output to stdout would pass"):
        stream.write("abcdef")  # 13 in all: refused whole
    stream.write("é" * 2)  # 4 bytes: 11
    assert inner.getvalue() == "0123456éé"


LIMIT = 1000
"""The output bound in the CLI tests below (mini.yaml's outputs are 1.9 to 21 kB)."""


@pytest.fixture(scope="module")
def bounded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Result]]:
    root = tmp_path_factory.mktemp("bounded")
    (before,) = run_cli([["run", "-s", str(MINI), "--save", "kept.json"]], cwd=root)
    assert before.code == 0, str(before)
    commands = {
        "run": ["run", "-s", str(MINI)],
        "run-json": ["run", "-f", "json", "-s", str(MINI)],
        "run-markdown": ["run", "-f", "markdown", "-s", str(MINI)],
        "show": ["show", "-s", str(MINI)],
        "run-save": ["run", "-s", str(MINI), "--save", "new.json"],
        "run-save-over": ["run", "-s", str(MINI), "--save", "kept.json"],
        "report-html": ["report", "-s", str(MINI), "-o", "r.html"],
        "report-md": ["report", "-s", str(MINI), "-o", "r.md"],
        "diagram-svg": ["diagram", "-s", str(MINI), "-f", "svg", "-o", "d.svg"],
        "diagram-stdout": ["diagram", "-s", str(MINI), "-f", "svg"],
        "schema": ["schema"],
    }
    patches = {"negotiation.persist.MAX_OUTPUT_BYTES": LIMIT}
    found = run_cli(list(commands.values()), cwd=root, patches=patches)
    return root, dict(zip(commands, found, strict=True))


@pytest.mark.parametrize(
    "command",
    ["run", "run-json", "run-markdown", "show", "run-save", "run-save-over", "report-html",
     "report-md", "diagram-svg", "diagram-stdout", "schema"],
)  # fmt: skip
def test_every_writer_refuses_output_past_the_bound(
    command: str, bounded: tuple[Path, dict[str, Result]]
) -> None:
    root, results = bounded
    result = results[command]
    assert_clean(result, 2, bound=LIMIT)
    assert result.stdout == ""
    assert "limit" in result.stderr and "written" in result.stderr, result.stderr
    kept = root / "kept.json"
    assert sorted(p.name for p in root.iterdir()) == ["kept.json"]
    assert persist.loads(kept.read_bytes()).command == "run"  # the earlier save, whole


# -- no partial output: commands that write piece by piece hold stdout ---------------------


def test_a_held_stream_writes_all_or_nothing() -> None:
    inner = io.StringIO()
    stream = TerminalStream(inner, "stdout", limit=20)
    stream.hold()
    stream.write("0123456789\n")
    assert inner.getvalue() == ""  # held
    with pytest.raises(OutputError, match=r"pass the 20 bytes limit .*nothing was written"):
        stream.write("abcdefghij\n")  # 22 bytes in all
    stream.discard()
    assert inner.getvalue() == "" and stream.written == 0
    stream.hold()
    stream.write("0123456789\n")
    stream.write("é" * 4)  # 19 bytes
    stream.release()
    assert inner.getvalue() == "0123456789\néééé"
    assert not stream.holding


def test_the_bound_is_a_parameter_of_the_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(persist, "MAX_OUTPUT_BYTES", 5)
    stream = TerminalStream(io.StringIO(), "stdout", limit=100)
    assert stream.bound == 100
    stream.write("0123456789")  # past the module's bound, within the stream's
    assert TerminalStream(io.StringIO(), "stdout").bound == 5


PIECEWISE = {
    "run-jsonl": ["run", "-s", str(MINI), "-f", "jsonl"],
    "explore": ["explore", "-s", TALKS],
    "sample": ["sample", "-s", TALKS, "--runs", "200"],
    "validate": ["validate", *[str(MINI)] * 20],
}
"""Commands that wrote their output line by line (jsonl records, the text of a search, a
line per file): with the bound at 60% of their output they printed the first lines and
then failed."""


@pytest.mark.parametrize("command", sorted(PIECEWISE))
def test_piecewise_output_is_written_whole_or_not_at_all(command: str) -> None:
    argv = PIECEWISE[command]
    (full,) = run_cli([argv])
    assert full.code == 0 and full.stdout, str(full)
    limit = len(full.stdout.encode()) * 6 // 10
    (cut,) = run_cli([argv], patches={"negotiation.persist.MAX_OUTPUT_BYTES": limit})
    assert_clean(cut, 2, bound=limit)
    assert cut.stdout == "", cut.stdout[:200]
    assert f"would pass the {limit:,} bytes limit" in cut.stderr
    assert "nothing was written" in cut.stderr
