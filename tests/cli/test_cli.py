"""Every command through typer's CliRunner: a happy path and a wrong input each."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import ROOT, invoke

HERE = ROOT / "tests" / "cli"
MINI = str(HERE / "mini.yaml")
FAILING = str(HERE / "failing.yaml")
INVALID = str(HERE / "invalid.yaml")
MALFORMED = str(HERE / "malformed.yaml")


def flat(text: str) -> str:
    """Text without rich's panel borders and line wrapping."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def assert_user_error(result: Result, fragment: str) -> None:
    """Exit 2, the message on stderr, and no traceback anywhere."""
    assert result.exit_code == 2, result.output
    assert flat(fragment) in flat(result.stderr)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


# -- run ---------------------------------------------------------------------------------


def test_run_text_timeline() -> None:
    result = invoke("run", "-s", MINI)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Mini framework talks (mini)  [illustrative]" in out
    assert "2025-11 (month)" in out  # the date with its precision
    assert "source: report, via notes [claimed]" in out  # source and claim status
    assert "document framework: drafted -> proposed" in out  # what changed
    assert "deadline acceptance missed" in out
    assert "deadline acceptance due: 2025-11-27 -> 2025-12-12" in out  # extended
    assert "conditionally extended on 2025-12-10" in out
    assert "window implementation anchored on 2025-12-12" in out
    assert "Deadlines at 2025-12-31" in out
    assert "2026-01-11   11" in out  # a deadline still pending at the horizon: days left
    assert "all 3 expectations met" in out
    assert all(len(line) <= 100 for line in out.splitlines())
    assert all(line == line.rstrip() for line in out.splitlines())
    assert "\x1b[" not in out  # no colour when not a terminal


def test_run_branch_and_until() -> None:
    result = invoke("run", "-s", MINI, "--branch", "walkout")
    assert result.exit_code == 0, result.output
    assert "relation mediator supports west ends" in result.stdout
    until = invoke("run", "-s", MINI, "--until", "2025-11-30", "--format", "json")
    data = json.loads(until.stdout)
    assert data["horizon"] == "2025-11-30"
    assert any(e["kind"] == "beyond_horizon" for e in data["entries"])


def test_run_json_is_the_full_trace_and_byte_identical() -> None:
    first = invoke("run", "-s", MINI, "--format", "json")
    second = invoke("run", "-s", MINI, "--format", "json")
    assert first.exit_code == 0
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert data["scenario"] == "mini"
    assert data["branch"] == "base"
    assert data["ok"] is True
    assert {"entries", "final", "expectations", "start", "horizon"} <= data.keys()
    assert first.stdout == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_run_markdown() -> None:
    result = invoke("run", "-s", MINI, "-f", "markdown")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Mini framework talks\n")
    assert "| date | kind | what | who | source | changes |" in result.stdout
    assert "## Expectations" in result.stdout


def test_run_exits_1_when_an_expectation_fails() -> None:
    result = invoke("run", "-s", FAILING)
    assert result.exit_code == 1
    assert "FAILED 2025-03-20  deadline reply is met" in result.stdout
    assert "1 of 2 expectations failed" in result.stdout
    as_json = invoke("run", "-s", FAILING, "--format", "json")
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout)["ok"] is False


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--branch", "nope"], "unknown branch 'nope'"),
        (["--until", "2025-12-1"], "expected a date as YYYY-MM-DD"),
        (["--until", "2025-02-30"], "not a real calendar date"),
        (["--until", "2020-01-01"], "before the scenario starts"),
    ],
)
def test_run_bad_input(args: list[str], fragment: str) -> None:
    assert_user_error(invoke("run", "-s", MINI, *args), fragment)


def test_unreadable_and_malformed_scenarios_are_user_errors() -> None:
    assert_user_error(invoke("run", "-s", str(HERE / "missing.yaml")), "missing.yaml")
    assert_user_error(invoke("run", "-s", MALFORMED), "malformed.yaml")
    assert_user_error(invoke("run", "-s", INVALID), "unknown party 'sout'")


def test_error_text_is_not_rich_markup() -> None:
    result = invoke("why", "east [bold]signs[/bold] framework", "--at", "2025-12-01", "-s", MINI)
    assert_user_error(result, "[bold]signs[/bold]")


# -- show ----------------------------------------------------------------------------------


def test_show_state_at_a_date() -> None:
    result = invoke("show", "-s", MINI, "--at", "2025-12-09")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "state at the close of 2025-12-09, branch base" in out
    assert "framework       agreed_in_principle" in out
    assert "guarantees bracketed" in out
    assert "east       accepts" in out  # positions matrix
    assert "mediator supports west" in out
    assert "talks_open: true (since 2025-11-01)" in out
    assert "talks            deadline   pending   2025-12-15   6" in out


def test_run_shows_meeting_attendance_as_notes() -> None:
    result = invoke("run")
    assert result.exit_code == 0
    assert "note: absent: russia" in result.stdout
    assert "note: attended: ukraine, united_states, blackrock" in result.stdout
    assert "why: absent" not in result.stdout


def test_show_labels_versions_in_words() -> None:
    result = invoke(
        "show", "-s", "labour-contract-2026", "--at", "2026-06-30", env={"COLUMNS": "240"}
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    head = next(line for line in lines if line.startswith("document "))
    assert head.split()[:3] == ["document", "version", "state"]
    row = next(line for line in lines if line.startswith("new_contract "))
    assert row.split()[:3] == ["new_contract", "3", "in_force"]
    assert " v3" not in result.stdout


def test_show_json_and_branch() -> None:
    result = invoke("show", "-s", MINI, "--at", "2025-12-03", "-b", "walkout", "-f", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["branch"] == "walkout"
    state = data["state"]
    assert state["positions"]["west"] == {"framework": "rejects"}
    assert {
        "source": "mediator",
        "relation": "supports",
        "target": "west",
        "since": None,
    } not in state["relations"]
    deadlines = {d["id"]: d for d in state["deadlines"]}
    assert deadlines["acceptance"]["status"] == "enforced"


def test_show_assumptions() -> None:
    result = invoke("show", "-s", MINI, "--assumptions")
    assert result.exit_code == 0
    assert "the window length is invented for the test" in result.stdout
    data = json.loads(invoke("show", "-s", MINI, "--assumptions", "-f", "json").stdout)
    assert data["assumptions"] == [
        {
            "where": "deadline implementation",
            "assumption": "the window length is invented for the test",
        }
    ]


def test_show_bad_input() -> None:
    assert_user_error(invoke("show", "-s", MINI, "--at", "tomorrow"), "YYYY-MM-DD")
    assert_user_error(invoke("show", "-s", MINI, "--at", "2025-01-01"), "before the scenario")
    assert_user_error(invoke("show", "-s", MINI, "--format", "yaml"), "yaml")


# -- why -------------------------------------------------------------------------------------


def test_why_blocked_lists_every_reason() -> None:
    result = invoke("why", "west signs framework", "--at", "2025-12-01", "-s", MINI)
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("BLOCKED: west signs framework on 2025-12-01 (branch base)")
    assert "sign needs it to be agreed_in_principle" in out
    assert "east has not accepted framework" in out
    assert "west has not accepted framework" in out


def test_why_allowed_as_json() -> None:
    result = invoke(
        "why", "East and West sign framework", "--at", "2025-12-09", "-s", MINI, "--format", "json"
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "move": "east and west sign framework",
        "date": "2025-12-09",
        "allowed": True,
        "reasons": [],
    }


def test_why_bad_move() -> None:
    result = invoke("why", "west signs framwork", "--at", "2025-12-01", "-s", MINI)
    assert_user_error(result, "unknown document 'framwork'; did you mean 'framework'?")
    assert "column 12" in result.stderr
    assert_user_error(invoke("why", "west signs framework", "-s", MINI), "--at")


# -- diff ------------------------------------------------------------------------------------


def test_diff_text() -> None:
    result = invoke("diff", "base", "walkout", "-s", MINI)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "diff base vs walkout" in out
    assert "EVENT west: reject framework" in out
    assert "2025-11-20: same state" in out
    assert "relation mediator supports west   yes" in out


def test_diff_json() -> None:
    result = invoke("diff", "base", "walkout", "-s", MINI, "-f", "json")
    data = json.loads(result.stdout)
    by_date = {d["date"]: d["differences"] for d in data["dates"]}
    assert by_date["2025-11-20"] == []
    assert {"what": "relation mediator supports west", "a": "yes", "b": "no"} in by_date[
        "2025-12-02"
    ]


def test_diff_bad_branch() -> None:
    assert_user_error(invoke("diff", "base", "walkot", "-s", MINI), "did you mean 'walkout'")


# -- validate, list, schema -----------------------------------------------------------------


def test_validate_ok() -> None:
    result = invoke("validate", MINI, FAILING)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"OK  {MINI}", f"OK  {FAILING}"]


def test_validate_reports_every_located_problem() -> None:
    result = invoke("validate", MINI, INVALID, MALFORMED)
    assert result.exit_code == 2
    out = result.stdout
    assert f"INVALID  {INVALID} (3 problems)" in out
    assert "unknown party 'sout'" in out
    assert "did you mean 'accord'?" in out
    assert "acepts" in out
    assert f"INVALID  {MALFORMED}" in out
    data = json.loads(invoke("validate", INVALID, "--format", "json").stdout)
    assert data[0]["ok"] is False
    assert all(p["file"] == INVALID for p in data[0]["problems"])
    assert ["deadlines", 0, "set_by"] in [p["path"] for p in data[0]["problems"]]


def test_validate_reports_problems_of_every_kind_in_one_pass() -> None:
    """Wrong values and unknown names together, in file order: the refused items do not
    hide the names further down (and what they would explain is not reported)."""
    path = str(ROOT / "tests" / "invalid" / "60-several-problems-in-one-pass.yaml")
    result = invoke("validate", path, "--format", "json")
    assert result.exit_code == 2, result.output
    problems = json.loads(result.stdout)[0]["problems"]
    assert [(p["line"], p["column"], ".".join(map(str, p["path"]))) for p in problems] == [
        (7, 8, "start"),
        (10, 28, "parties.1.colour"),
        (11, 36, "parties.2.kind"),
        (13, 60, "timeline.0.document"),
        (15, 40, "timeline.2.by.0"),
        (19, 36, "expect.0.that"),
        (20, 10, "expect.1.at"),
    ]
    assert all(p["file"] == path for p in problems)
    assert not any("'gamma'" in p["message"] for p in problems)  # its entry is refused
    text = invoke("validate", path).stdout
    assert f"INVALID  {path} (7 problems)" in text
    assert f"{path}:15:40 (timeline.2.by.0): unknown party or body 'delta'" in text


NEW_CHECKS = ["50-rule-loop-at-start", "51-branch-probabilities-past-one",
              "52-expectation-after-horizon", "53-text-not-utf8-encodable"]


@pytest.mark.parametrize("name", NEW_CHECKS)
def test_validate_catches_what_run_and_sample_would_refuse(name: str) -> None:
    path = str(ROOT / "tests" / "invalid" / f"{name}.yaml")
    header = Path(path).read_text(encoding="utf-8").splitlines()[0]
    where, text = header.removeprefix("# expect: ").split(": ", 1)
    line, column = (int(x) for x in where.split(":"))
    result = invoke("validate", path, "--format", "json")
    assert result.exit_code == 2, result.output
    problems = json.loads(result.stdout)[0]["problems"]
    assert [(p["line"], p["column"]) for p in problems if text in p["message"]] == [
        (line, column)
    ], problems
    # run refuses it too: at load time, or (a rule loop) when the engine starts
    assert_user_error(invoke("run", "-s", path), "did not settle" if "loop" in name else text)


def test_validate_needs_a_path() -> None:
    result = invoke("validate")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_list_and_schema() -> None:
    listed = invoke("list", "--format", "json")
    assert listed.exit_code == 0
    rows = json.loads(listed.stdout)
    assert all({"name", "id", "title", "illustrative", "horizon"} <= r.keys() for r in rows)
    assert invoke("list").exit_code == 0
    schema = invoke("schema")
    assert schema.exit_code == 0
    data = json.loads(schema.stdout)
    assert "timeline" in data["properties"]
    assert data["$id"].startswith("urn:negotiation:scenario-schema:")
    assert_user_error(invoke("list", "--format", "xml"), "xml")


def test_schema_write_puts_the_file_where_the_scenarios_are(tmp_path: Path) -> None:
    printed = invoke("schema").stdout
    result = invoke("schema", "--write", str(tmp_path))
    assert result.exit_code == 0, result.output
    target = tmp_path / "scenario.schema.json"
    assert target.read_text(encoding="utf-8") == printed
    assert "# yaml-language-server: $schema=scenario.schema.json" in result.stderr
    assert result.stdout == ""


def test_schema_write_defaults_to_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke("schema", "--write").exit_code == 0
    assert json.loads((tmp_path / "scenario.schema.json").read_text(encoding="utf-8"))["$id"]


def test_schema_write_never_replaces_a_file_without_force(tmp_path: Path) -> None:
    target = tmp_path / "scenario.schema.json"
    target.write_text("my own notes\n", encoding="utf-8")
    assert_user_error(invoke("schema", "--write", str(tmp_path)), "use --force")
    assert target.read_text(encoding="utf-8") == "my own notes\n"
    assert invoke("schema", "--write", str(tmp_path), "--force").exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(invoke("schema").stdout)


def test_schema_write_bad_folder(tmp_path: Path) -> None:
    assert_user_error(invoke("schema", "--write", str(tmp_path / "nope")), "does not exist")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert_user_error(invoke("schema", "--write", str(tmp_path / "file")), "is not a folder")
    assert_user_error(invoke("schema", str(tmp_path)), "go with --write")
    assert not (tmp_path / "scenario.schema.json").exists()

