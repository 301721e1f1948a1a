"""The pytest plugin: what it collects, what it says when it finds nothing, how it
reports failures, and that it costs nothing until it collects a scenario."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from negotiation.model.scenario import Scenario
from negotiation.pytest_plugin import SCENARIO_FIELDS, SNIFF_BYTES, sniff
from tests.conftest import PLANTED, ROOT

pytest_plugins = ["pytester"]
INNER = ("-p", "no:cacheprovider", "-W", "ignore::pytest.PytestAssertRewriteWarning")
"""Options of every inner run. It runs in this process, where ``negotiation`` is already
imported: run from outside the checkout, pytest then warns that it cannot rewrite the
plugin's package, and the warning's summary would read as a Python frame in the output."""

GOOD = """\
version: 1
id: good
title: Good
start: 2025-01-01
horizon: 2025-01-10
parties: [{id: east, name: East}]
documents: [{id: plan, title: Plan, requires_acceptance: [east]}]
timeline:
  - {date: 2025-01-02, kind: propose, by: east, document: plan}
expect:
  - {at: 2025-01-03, that: plan is proposed}
"""
BAD = GOOD.replace("id: good", "id: bad").replace("that: plan is proposed", "that: plan is signed")
# a rule loop that starts with an event on 2025-01-04, not at the start
LOOPS_LATER = """\
version: 1
id: storm
title: Storm
start: 2025-01-01
horizon: 2025-01-10
parties: [{id: east, name: East}]
facts: [{id: storm}, {id: calm, initially: true}]
rules:
  - id: unsettle
    when: fact storm and fact calm
    then: [{kind: clear_fact, fact: calm}]
    mode: each
  - id: settle
    when: fact storm and not fact calm
    then: [{kind: set_fact, fact: calm}]
    mode: each
timeline:
  - {date: 2025-01-04, kind: set_fact, by: east, fact: storm}
"""
COMPOSE = "services:\n  web: {image: nginx}\n"


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def no_traceback(result: pytest.RunResult) -> None:
    out = result.stdout.str()
    assert "Traceback" not in out
    assert ".py:" not in out  # no Python frame is shown


# -- what is collected ---------------------------------------------------------------------


def test_a_directory_of_plain_yaml_scenarios_runs_each_file(pytester: pytest.Pytester) -> None:
    write(
        pytester.path,
        {
            "myscenarios/good.yaml": GOOD,
            "myscenarios/deeper/bad.yml": BAD,
            "myscenarios/compose.yaml": COMPOSE,  # not a scenario: passed over
            "myscenarios/fragment.yaml": "parties: [{id: east, name: East}]\n",  # no version
        },
    )
    result = pytester.runpytest("myscenarios", *INNER)
    # good: base + invariants; bad: base fails, invariants passes
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*myscenarios/deeper/bad.yml:11:5 (expect.0): expectation failed at 2025-01-03 "
            "after step 1 (east: propose plan) (base timeline): plan is signed",
            "    plan is signed: no, plan is proposed",
        ]
    )
    assert "compose.yaml" not in result.stdout.str()
    assert "fragment.yaml" not in result.stdout.str()
    no_traceback(result)


def test_a_scenario_file_named_on_the_command_line_runs(pytester: pytest.Pytester) -> None:
    write(
        pytester.path, {"talks/good.yaml": GOOD, "what_if.yaml": GOOD.replace("version: 1\n", "")}
    )
    result = pytester.runpytest("talks/good.yaml", *INNER)
    result.assert_outcomes(passed=2)
    # named, a file needs scenario fields only, not 'version:'
    pytester.runpytest("what_if.yaml", *INNER).assert_outcomes(passed=2)


def test_one_test_per_timeline_and_the_invariants(pytester: pytest.Pytester) -> None:
    branch = (
        "branches:\n"
        "  - {id: later, add: [{date: 2025-01-05, kind: accept, by: east, document: plan}]}\n"
    )
    write(pytester.path, {"s/good.yaml": GOOD + branch})
    result = pytester.runpytest("s", "--collect-only", "-q", *INNER)
    result.stdout.fnmatch_lines(
        ["s/good.yaml::base", "s/good.yaml::later", "s/good.yaml::invariants"]
    )


def test_nothing_is_collected_where_the_project_did_not_point(pytester: pytest.Pytester) -> None:
    write(
        pytester.path,
        {
            "config/app.scenario.yaml": GOOD,  # a scenario, even: nobody pointed at it
            "config/other.scenario.yml": BAD,
            "tests/test_plain.py": "def test_plain():\n    assert True\n",
        },
    )
    for args in ((), ("tests",), ("tests/test_plain.py",)):
        result = pytester.runpytest(*args, *INNER)
        result.assert_outcomes(passed=1)
        assert "scenario" not in result.stdout.str(), args


def test_the_option_collects_scenarios_outside_the_paths_given(pytester: pytest.Pytester) -> None:
    write(
        pytester.path,
        {
            "scens/any_name.yml": GOOD.replace("version: 1\n", ""),  # opted in: no sniffing
            "scens/bad.yaml": BAD,
            "one/good.yaml": GOOD,
            "tests/test_plain.py": "def test_plain():\n    assert True\n",
        },
    )
    result = pytester.runpytest(
        "tests",
        "--negotiation-scenarios",
        "scens",
        "--negotiation-scenarios",
        "one/good.yaml",
        "-p",
        "no:cacheprovider",
    )
    result.assert_outcomes(passed=6, failed=1)  # plain 1, any_name 2, bad 1+1, one/good 2


def test_the_ini_option_opts_a_directory_in(pytester: pytest.Pytester) -> None:
    write(pytester.path, {"scens/good.yaml": GOOD.replace("version: 1\n", "")})
    pytester.makeini("[pytest]\nnegotiation_scenarios = scens\n")
    result = pytester.runpytest("--collect-only", "-q", *INNER)
    result.stdout.fnmatch_lines(["scens/good.yaml::base", "scens/good.yaml::invariants"])
    pytester.makeini("[pytest]\n")
    result = pytester.runpytest("--collect-only", "-q", *INNER)
    assert "good.yaml" not in result.stdout.str()


# -- what it says when it finds nothing ----------------------------------------------------


def test_it_says_so_where_it_was_pointed_and_found_nothing(pytester: pytest.Pytester) -> None:
    write(
        pytester.path,
        {
            "plain/settings.yaml": "a: 1\n",
            "plain/more/list.yml": "- 1\n",
            "empty/readme.txt": "nothing here\n",
            "compose.yaml": COMPOSE,
        },
    )
    pytester.makeini("[pytest]\nnegotiation_scenarios = missing\n")
    result = pytester.runpytest(
        "plain", "--negotiation-scenarios", "empty", *INNER
    )
    result.stdout.fnmatch_lines_random(
        [
            "negotiation: plain: none of its 2 YAML file(s) looks like a scenario*",
            "negotiation: empty: no .yaml or .yml file in it (given with --negotiation-scenarios)*",
            "negotiation: missing: no such directory (ini option negotiation_scenarios)*",
        ]
    )
    # a file named on the command line that is not a scenario: pytest finds no test in
    # it, and the plugin says why
    result = pytester.runpytest("compose.yaml", *INNER)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.stdout.str().count("negotiation: compose.yaml") == 1
    result.stdout.fnmatch_lines(
        [
            "negotiation: compose.yaml: not collected as a scenario: line 1: 'services' is "
            "not a scenario field (give it with --negotiation-scenarios to run it as one)"
        ]
    )


def test_a_directory_of_python_tests_with_other_yaml_gets_no_note(
    pytester: pytest.Pytester,
) -> None:
    write(
        pytester.path,
        {
            "tests/data/fixture.yaml": "a: 1\n",
            "tests/test_plain.py": "def test_plain():\n    assert True\n",
        },
    )
    result = pytester.runpytest("tests", *INNER)
    result.assert_outcomes(passed=1)
    assert "negotiation:" not in result.stdout.str()


def test_a_missing_option_path_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--negotiation-scenarios", "nowhere", *INNER)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--negotiation-scenarios nowhere: no such file or directory*"])


# -- failures are located messages ---------------------------------------------------------


def test_failures_are_located_messages_without_tracebacks(pytester: pytest.Pytester) -> None:
    loop_at_start = (ROOT / "tests" / "invalid" / "50-rule-loop-at-start.yaml").read_text(
        encoding="utf-8"
    )
    write(
        pytester.path,
        {
            "s/loop_at_start.yaml": "version: 1\n" + loop_at_start,
            "s/loops_later.yaml": LOOPS_LATER,
            "s/invalid.yaml": GOOD.replace("by: east", "by: esat"),
            "s/planted_bug.yaml": "version: 1\n"
            + Path(PLANTED).read_text(encoding="utf-8"),
        },
    )
    result = pytester.runpytest("s", *INNER)
    result.stdout.fnmatch_lines_random(
        [
            "s/loop_at_start.yaml:13:11 (rules.0.when): reactive rules stir_up, calm_down keep "
            "firing each other on the start date 2025-12-01 and never settle*",
            "s/loops_later.yaml:10:11 (rules.0.when): reactive rules unsettle, settle keep firing "
            "each other on 2025-01-04 and never settle* (base timeline)",
            "s/loops_later.yaml: stuck on 2025-01-04 (branch base): *rules did not settle*",
            "s/invalid.yaml:9:43 (timeline.0.by.0): unknown party or body 'esat'*",
            "s/planted_bug.yaml: invariant signed_only_with_acceptance violated on 2025-12-01 at "
            "step 9 (branch base)*",
        ]
    )
    result.assert_outcomes(passed=1, failed=5)  # planted_bug's base timeline passes
    no_traceback(result)


def test_a_declared_invariant_is_located_at_its_line(pytester: pytest.Pytester) -> None:
    text = GOOD + "invariants:\n  - id: never_proposed\n    never: plan is proposed\n"
    write(pytester.path, {"s/inv.yaml": text})
    result = pytester.runpytest("s", *INNER)
    result.stdout.fnmatch_lines(
        ["s/inv.yaml:13:5 (invariants.0): invariant never_proposed violated on 2025-01-02*"]
    )


# -- deciding what a YAML file is, cheaply ------------------------------------------------


def test_the_scenario_fields_are_the_models() -> None:
    assert set(Scenario.model_fields) == SCENARIO_FIELDS


@pytest.mark.parametrize(
    ("text", "fields", "versioned"),
    [
        (GOOD, True, True),
        ("\ufeff# a comment\n%YAML 1.2\n--- # start\nversion: 2  # newer\nid: x\n", True, True),
        ("version: '1'\n\"id\": x\n'title': t\n", True, True),
        (GOOD.replace("version: 1\n", ""), True, False),
        ("version: one\nid: x\n", True, False),
        ("version: 1\nkind: Deployment\n", False, False),
        ("- version: 1\n", False, False),
        ("{version: 1, id: x}\n", False, False),
        ("version: 1\n---\nversion: 1\n", False, False),
        ("just text\n", False, False),
        ("", False, False),
        ("# only a comment\n", False, False),
        ("version: 1\nid: x\n...\ngarbage: [\n", True, True),
        ("title: |\n  services: x\nversion: 1\n", True, True),
    ],
)
def test_sniff(tmp_path: Path, text: str, fields: bool, versioned: bool) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    verdict = sniff(path)
    assert (verdict.fields, verdict.versioned) == (fields, versioned), verdict


def test_sniff_reads_only_the_head_of_a_big_file(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    body = "".join(
        f"  - {{date: 2025-01-02, kind: propose, by: east, document: d{i}}}\n"
        for i in range(40_000)
    )
    path.write_text("version: 1\nid: big\ntimeline:\n" + body + "unknown_key: 1\n", "utf-8")
    assert path.stat().st_size > 20 * SNIFF_BYTES
    assert sniff(path).versioned  # the key past the head is not read
    (tmp_path / "binary.yaml").write_bytes(bytes(range(256)) * 4)
    assert not sniff(tmp_path / "binary.yaml").fields
    assert not sniff(tmp_path / "missing.yaml").fields


# -- the package is imported only when a scenario is collected ----------------------------

_PROBE = """\
import sys

def pytest_collection_finish(session):
    loaded = sorted(m for m in sys.modules if m.startswith("negotiation."))
    print("LOADED", ",".join(loaded))
"""


def _probe(root: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-s", "-q", *INNER, *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")},
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("LOADED")), None)
    assert line is not None, done.stdout + done.stderr
    return line


def test_the_package_is_imported_only_when_a_scenario_is_collected(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "conftest.py": _PROBE,
            "test_tiny.py": "def test_tiny():\n    assert True\n",
            "config/app.scenario.yaml": GOOD,
            "s/good.yaml": GOOD,
        },
    )
    assert _probe(tmp_path, "--co") == "LOADED negotiation.pytest_plugin"
    assert "negotiation.runtime.engine" in _probe(tmp_path, "--co", "s")
