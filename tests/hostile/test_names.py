"""No file contents in errors (issue 15, item 8), and names against paths (item 9).

A file the user did not name (a base reached through ``extends``, the scenario a saved
session names) is read sealed: until it is a mapping with ``version:``, no message
quotes anything of it. A bare name is the bundled scenario even when the working
directory holds a file or folder of that name: one note on stderr says so, and
``./NAME`` reads the local one.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from negotiation import persist
from negotiation.loader import DEFAULT_SCENARIO, load_scenario
from negotiation.model.errors import ScenarioError
from negotiation.runtime.engine import Engine
from tests.conftest import ROOT
from tests.hostile.clirun import Result, run_cli
from tests.hostile.payloads import MINI, assert_clean

SECRET = "s3cr3tT0ken"
"""Written in every private file; it must never be printed."""

PRIVATE: dict[str, str | bytes] = {
    "credentials-mapping": f"aws_access_key_id: AKIA{SECRET}\npassword_{SECRET}: hunter2\n",
    "mapping-wrong-types": f"id: {SECRET}\ntitle: [{SECRET}]\nparties: {SECRET}\n",
    "syntax-error": f'token: "{SECRET}\n  unterminated: [\n',
    "tab-error": f"key:\n\t{SECRET}: 1\n",
    "duplicate-keys": f"{SECRET}: 1\n{SECRET}: 2\n",
    "refused-tag": f"key: !!python/object/apply:{SECRET} [x]\n",
    "local-tag": f"key: !{SECRET} x\n",
    "undefined-alias": f"key: *{SECRET}\n",
    "recursive-alias": f"key: &{SECRET} [*{SECRET}]\n",
    "top-level-text": f"{SECRET} is the password\n",
    "top-level-list": f"- {SECRET}\n- other\n",
    "escaped-control": f'key: "{SECRET}\\x01"\n',
    "not-utf8": f"key: {SECRET}\n".encode() + b"\xe9\xff\n",
    "control-raw": f"key: {SECRET}\x01\n",
}

CHILD = "extends: {base}\nid: child\ntitle: Child\n"


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def crafted_session(root: Path, ref: Path) -> Path:
    """A well-formed session file (its checksum right) whose scenario is ``ref``."""
    scenario = load_scenario(str(MINI))
    state = Engine(scenario).initial_state()  # never reached: the scenario fails to load
    session = persist.new_session("run", scenario, str(ref), state)
    path = root / f"{ref.stem}.session.json"
    path.write_text(persist.dumps(session), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Result]:
    root = tmp_path_factory.mktemp("sealed")
    cases: list[list[str]] = []
    keys: list[tuple[str, str]] = []
    for name, content in PRIVATE.items():
        d = root / name
        d.mkdir()
        base = write(d / "private.yaml", content)
        (d / "link.yaml").symlink_to(base)  # a .yaml symlink to anything, as in the issue
        child = write(d / "child.yaml", CHILD.format(base="link.yaml"))
        session = crafted_session(d, base)
        for command, argv in {
            "validate": ["validate", str(child)],
            "run": ["run", "-s", str(child)],
            "report": ["report", "-s", str(child), "-o", str(d / "r.html")],
            "resume": ["resume", str(session)],
        }.items():
            cases.append(argv)
            keys.append((name, command))
    return dict(zip(keys, run_cli(cases, cwd=root), strict=True))


@pytest.mark.parametrize("command", ["validate", "run", "report", "resume"])
@pytest.mark.parametrize("name", PRIVATE)
def test_a_file_that_is_not_a_scenario_is_never_quoted(
    name: str, command: str, sealed: dict[tuple[str, str], Result]
) -> None:
    result = sealed[(name, command)]
    assert_clean(result, 2, bound=2500)
    assert SECRET not in result.output, str(result)
    assert "AKIA" not in result.output and "hunter2" not in result.output
    file = "private.yaml" if command == "resume" else "link.yaml"
    assert f"{file}:" in result.output, str(result)  # it says which file, and where


def test_what_is_wrong_is_said(sealed: dict[tuple[str, str], Result]) -> None:
    said = {name: sealed[(name, "validate")].output for name in PRIVATE}
    assert "link.yaml:1:1: not a scenario (this file was reached through 'extends' at" in (
        said["credentials-mapping"]
    )
    assert "it has no 'version:' field and 2 problems as a scenario" in said[
        "credentials-mapping"
    ]
    assert "its content is not shown" in said["mapping-wrong-types"]
    assert "not a scenario file: it is not valid YAML" in said["syntax-error"]
    assert "got text" in said["top-level-text"] and "got a list" in said["top-level-list"]
    assert "not UTF-8 text" in said["not-utf8"] and "0xe9" not in said["not-utf8"]
    assert "a character is not allowed in a YAML file" in said["control-raw"]
    resumed = sealed[("credentials-mapping", "resume")].output
    assert "this file was named by a saved session" in resumed


def test_a_base_with_version_is_a_scenario_and_is_quoted(tmp_path: Path) -> None:
    """The criterion is the file's own claim: a mapping with ``version:`` gets every
    located message, values included."""
    write(tmp_path / "base.yaml", f"version: 1\n{PRIVATE['credentials-mapping']}")
    child = write(tmp_path / "child.yaml", CHILD.format(base="base.yaml"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(child))
    assert f"unknown field 'password_{SECRET}'" in str(info.value)


def test_the_users_own_file_is_quoted(tmp_path: Path) -> None:
    own = write(tmp_path / "own.yaml", "id: demo\ntitle: Demo\nparties: [{id: a, nmae: A}]\n")
    with pytest.raises(ScenarioError, match="unknown field 'nmae'"):
        load_scenario(str(own))


# -- names and paths -------------------------------------------------------------------


@pytest.fixture(scope="module")
def names(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Result]:
    root = tmp_path_factory.mktemp("names")
    as_file, as_folder, plain = root / "file", root / "folder", root / "plain"
    for d in (as_file, as_folder, plain):
        d.mkdir()
    write(as_file / DEFAULT_SCENARIO, f"{SECRET}: [\n")  # not even YAML
    (as_folder / DEFAULT_SCENARIO).mkdir()
    write(plain / "talks", MINI.read_text("utf-8"))  # a bare name that is no bundled one
    cases = {
        "default": (as_file, ["show"]),
        "named": (as_file, ["run", "-s", DEFAULT_SCENARIO]),
        "validate": (as_file, ["validate", DEFAULT_SCENARIO]),
        "folder": (as_folder, ["show", "-s", DEFAULT_SCENARIO]),
        "dot-slash": (as_file, ["validate", f"./{DEFAULT_SCENARIO}"]),
        "dot-slash-folder": (as_folder, ["run", "-s", f"./{DEFAULT_SCENARIO}"]),
        "local-name": (plain, ["run", "-s", "talks"]),
        "empty": (plain, ["run", "-s", ""]),
    }
    found: dict[str, Result] = {}
    for name, (cwd, argv) in cases.items():
        (found[name],) = run_cli([argv], cwd=cwd)
    return found


NOTE = (
    f"note: '{DEFAULT_SCENARIO}' is the bundled scenario; the {{kind}} ./{DEFAULT_SCENARIO} "
    f"in this directory is not used (write ./{DEFAULT_SCENARIO} to use it)\n"
)


@pytest.mark.parametrize("name", ["default", "named", "validate"])
def test_a_bundled_name_wins_over_a_local_file_and_says_so(
    name: str, names: dict[str, Result]
) -> None:
    result = names[name]
    assert_clean(result, 0)
    assert result.stderr == NOTE.format(kind="file")
    assert "Talks on ending the war in Ukraine" in result.stdout or "OK" in result.stdout


def test_a_bundled_name_wins_over_a_local_folder(names: dict[str, Result]) -> None:
    result = names["folder"]
    assert_clean(result, 0)
    assert result.stderr == NOTE.format(kind="folder")


def test_a_path_reads_the_local_file(names: dict[str, Result]) -> None:
    result = names["dot-slash"]
    assert_clean(result, 2)
    assert "note:" not in result.output
    assert f"{DEFAULT_SCENARIO}:2:1: YAML syntax error" in result.output  # its own error
    folder = names["dot-slash-folder"]
    assert_clean(folder, 2)
    assert f"./{DEFAULT_SCENARIO} is a directory, not a scenario file" in folder.output


def test_a_bare_name_that_is_not_bundled_is_a_path(names: dict[str, Result]) -> None:
    result = names["local-name"]
    assert_clean(result, 0)
    assert result.stderr == ""
    assert "Mini framework talks" in result.stdout


def test_an_empty_scenario_name(names: dict[str, Result]) -> None:
    result = names["empty"]
    assert_clean(result, 2)
    assert "no scenario given" in result.output


def test_the_rule_is_documented() -> None:
    docs = (ROOT / "docs" / "writing-scenarios.md").read_text()
    assert "## Names and paths" in docs
    assert os.path.join(".", "NAME") in docs or "./NAME" in docs
