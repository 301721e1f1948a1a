"""What users of any command line expect: --version, shell completion, an environment
variable for the scenario, help text that reads well, and one style for every error."""

from __future__ import annotations

import inspect
import re
import sys
from importlib import metadata
from pathlib import Path

import pytest

from negotiation import loader
from negotiation.cli import COMMANDS, command, plain_help
from tests.conftest import ROOT, invoke

HERE = ROOT / "tests" / "cli"
MINI = str(HERE / "mini.yaml")
CLI = ROOT / "negotiation" / "cli"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# -- --version ---------------------------------------------------------------------------------


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"negotiation {metadata.version('negotiation')}\n"


# -- completion --------------------------------------------------------------------------------


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # typer's switch for naming the shell instead of detecting it from the parent process
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = invoke("--show-completion", shell)
    assert result.exit_code == 0, result.output
    script = result.stdout
    assert "negotiation" in script
    assert "_NEGOTIATION_COMPLETE" in script  # the script calls back into the command
    assert f"complete_{shell}" in script


def test_help_offers_completion() -> None:
    out = ANSI.sub("", invoke("--help").stdout)
    assert "--install-completion" in out and "--show-completion" in out
    assert "--version" in out


def _complete(line: str, env: dict[str, str] | None = None) -> list[str]:
    """What bash is offered for the last word of ``line`` (empty: complete file names)."""
    words = line.split(" ")
    result = invoke(
        env={
            "_NEGOTIATION_COMPLETE": "complete_bash",
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(words) - 1),
            **(env or {}),
        }
    )
    assert result.exit_code == 0, result.output
    return result.stdout.split()


def test_completion_offers_bundled_scenario_names() -> None:
    expected = [n for n in loader.bundled_names() if n.startswith("ukraine-2025-12-")]
    assert len(expected) >= 2
    assert _complete("negotiation run -s ukraine-2025-12-") == expected
    labour = [n for n in loader.bundled_names() if n.startswith("lab")]
    assert labour == [
        "labour-contract-2026",
        "labour-contract-2026-grant",
        "labour-contract-2026-interests",
        "labour-contract-2026-strategies",
    ]
    assert _complete("negotiation explore --scenario lab") == labour
    assert _complete("negotiation run -s ./") == []  # a path: the shell completes files


def test_completion_offers_branch_party_and_document_names() -> None:
    assert _complete(f"negotiation run -s {MINI} --branch ") == ["base", "walkout"]
    assert _complete(f"negotiation show -s {MINI} -b w") == ["walkout"]
    assert _complete(f"negotiation diff -s {MINI} ") == ["base", "walkout"]
    assert _complete(f"negotiation play -s {MINI} --as ") == ["mediator", "east", "west"]
    env = {"NEGOTIATION_SCENARIO": MINI}
    assert _complete("negotiation diagram --document ", env) == ["framework", "counter_draft"]


def test_completion_of_a_broken_scenario_offers_nothing() -> None:
    assert _complete(f"negotiation run -s {HERE / 'malformed.yaml'} --branch ") == []


# -- NEGOTIATION_SCENARIO ------------------------------------------------------------------------


def test_every_scenario_option_reads_the_environment() -> None:
    with_scenario = set()
    for name in COMMANDS:
        for param in command(name).params:
            if param.name == "scenario":
                with_scenario.add(name)
                assert param.envvar == "NEGOTIATION_SCENARIO", name
    assert with_scenario == set(COMMANDS) - {"validate", "list", "schema", "resume"}


def test_the_environment_sets_the_default_scenario(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEGOTIATION_SCENARIO", MINI)
    result = invoke("run")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Mini framework talks (mini)")
    other = invoke("run", "-s", "labour-contract-2026")  # the option still wins
    assert other.exit_code == 0
    assert "(mini)" not in other.stdout
    assert "NEGOTIATION_SCENARIO" in ANSI.sub("", invoke("run", "--help").stdout)


def test_a_bad_scenario_from_the_environment_is_a_user_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEGOTIATION_SCENARIO", "no-such-scenario")
    result = invoke("show")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no-such-scenario: unknown scenario")


# -- help text ---------------------------------------------------------------------------------


def _help(name: str) -> str:
    result = invoke(name, "--help", env={"COLUMNS": "3000"})
    assert result.exit_code == 0, result.output
    return ANSI.sub("", result.stdout)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_help_is_reflowed(name: str) -> None:
    """On a wide terminal each paragraph of a command's docstring is one line: the
    docstring's own line breaks never reach the help."""
    module, function = COMMANDS[name]
    doc = inspect.getdoc(getattr(sys.modules[f"negotiation.cli.{module}"], function))
    assert doc
    lines = [" ".join(line.split()) for line in _help(name).splitlines()]
    for paragraph in doc.split("\n\n"):
        assert " ".join(paragraph.split()) in lines, paragraph


def test_help_shows_brackets_literally() -> None:
    out = _help("sample")
    assert "(needs negotiation[dask])" in out
    assert "(needs negotiation)" not in out


def test_plain_help() -> None:
    assert plain_help("One\n    two.\n\n    Three [dask]\n    four.") == (
        "One two.\n\nThree \\[dask] four."
    )
    assert plain_help(None) is None


# -- one error style ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "first", "usage"),
    [
        (  # a usage error typer finds
            ["run", "-s", MINI, "--until", "2025-1"],
            "error: Invalid value for '--until': expected a date as YYYY-MM-DD, got '2025-1'",
            "negotiation run",
        ),
        (["run", "--nope"], "error: No such option: --nope", "negotiation run"),
        (["runn"], "error: No such command 'runn'. Did you mean 'run'?", "negotiation"),
        (["why", "-s", MINI], "error: Missing argument 'MOVE'.", "negotiation why"),
        (  # one of ours that is a usage error
            ["run", "-s", MINI, "--branch", "nope"],
            "error: Invalid value for '--branch': unknown branch 'nope'",
            "negotiation run",
        ),
    ],
)
def test_usage_errors_look_like_ours(args: list[str], first: str, usage: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(first), lines
    assert lines[1].startswith(f"Usage: {usage} ")
    assert lines[2] == f"Try '{usage} --help' for help."
    assert not re.search(r"[╭╮╰╯│]", result.stderr)  # no box
    assert result.stdout == ""


def test_our_errors_have_the_same_first_line(tmp_path: Path) -> None:
    bad = invoke("run", "-s", str(HERE / "missing.yaml"))
    assert bad.exit_code == 2
    assert bad.stderr.startswith("error: ") and "missing.yaml" in bad.stderr
    target = tmp_path / "out.html"
    target.write_text("keep", encoding="utf-8")
    exists = invoke("report", "-s", MINI, "-o", str(target))
    assert exists.exit_code == 2
    assert exists.stderr == f"error: {target} exists; use --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == "keep"


def test_our_errors_go_through_one_function() -> None:
    for path in CLI.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""["']error: """, text), f"{path.name} writes its own error"
        assert "Panel" not in text


def test_check_asks_for_the_check_extra_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "negotiation.testing", None)  # hypothesis missing
    result = invoke("check", "-s", MINI)
    assert result.exit_code == 2
    assert result.stderr == (
        "error: `negotiation check` needs hypothesis: pip install 'negotiation[check]'\n"
    )
