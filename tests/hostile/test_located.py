"""Located errors, exit 2, never a traceback (issue 15, item 4): dates past the supported
calendar, file names that are not UTF-8, ``--results`` with non-numbers,
``--scheduler`` addresses that are not addresses, and streams that cannot encode what
is printed. (A lone surrogate written as a YAML escape: ``test_control.py``.)
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

from negotiation.model.dates import EARLIEST, LATEST
from negotiation.model.errors import NegotiationError
from negotiation.search.distributed import check_scheduler_address
from tests.conftest import ROOT
from tests.hostile.clirun import Result, run_cli, run_script
from tests.hostile.payloads import MINI, assert_clean

NO_HORIZON = """\
id: open_ended
title: Open-ended talks
start: 2025-01-01
parties:
  - {id: alpha, name: Alpha}
documents:
  - {id: plan, title: Plan, requires_acceptance: [alpha]}
deadlines:
  - {id: reply, summary: Alpha replies, set_by: alpha, due: 2025-03-01}
"""

# -- dates past the supported calendar ----------------------------------------------------

DATED: dict[str, list[str]] = {
    "run": ["run", "--until", "{day}"],
    "show": ["show", "--at", "{day}"],
    "why": ["why", "alpha signs plan", "--at", "{day}"],
    "report": ["report", "-o", "r-{day}.html", "--until", "{day}"],
    "diagram": ["diagram", "--until", "{day}"],
    "step": ["step", "--until", "{day}"],
    "play": ["play", "--as", "alpha", "--until", "{day}"],
}
BEYOND = [f"{LATEST.year + 1}-01-01", f"{EARLIEST.year - 1:04d}-12-31"]
EDGE = [LATEST.isoformat()]


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Result]:
    root = tmp_path_factory.mktemp("dated")
    scenario = root / "open.yaml"
    scenario.write_text(NO_HORIZON, encoding="utf-8")
    keys = [(c, d) for c in DATED for d in BEYOND + EDGE]
    cases = [[a.format(day=d) for a in DATED[c]] + ["-s", str(scenario)] for c, d in keys]
    keys += [("resume", d) for d in BEYOND]
    (saved,) = run_cli([["run", "-s", str(scenario), "--until", "2025-02-01", "--save", "s.json"]],
                       cwd=root)  # fmt: skip
    assert saved.code == 0, str(saved)
    cases += [["resume", "s.json", "--until", d] for d in BEYOND]
    return dict(zip(keys, run_cli(cases, cwd=root), strict=True))


@pytest.mark.parametrize("day", BEYOND)
@pytest.mark.parametrize("command", [*DATED, "resume"])
def test_a_day_past_the_calendar_is_a_usage_error(
    command: str, day: str, dated: dict[tuple[str, str], Result]
) -> None:
    result = dated[(command, day)]
    assert_clean(result, 2, bound=3000)
    assert "outside the supported calendar" in result.output, str(result)
    assert f"({EARLIEST} to {LATEST}" in result.output


@pytest.mark.parametrize("command", DATED)
def test_the_last_supported_day_works_on_a_scenario_without_a_horizon(
    command: str, dated: dict[tuple[str, str], Result]
) -> None:
    result = dated[(command, EDGE[0])]
    assert_clean(result, 0, bound=200_000)


# -- file names that are not UTF-8 ------------------------------------------------------

FE = os.fsdecode(b"talks-\xfe.yaml")
FF = os.fsdecode(b"save-\xff.json")


@cache
def _named(root: Path) -> list[Result]:
    (root / FE).write_bytes(MINI.read_bytes())
    (root / os.fsdecode(b"not-a-session-\xff.json")).write_text("keep me")
    cases = [
        ["run", "-s", FE, "--save", "s.json"],
        ["step", "-s", FE, "--save", "t.json"],
        ["run", "-s", str(MINI), "--save", FF],
        ["run", "-s", str(MINI), "--save", os.fsdecode(b"not-a-session-\xff.json")],
        ["validate", FE],
        ["run", "-s", FE],
        ["report", "-s", str(MINI), "-o", os.fsdecode(b"page-\xfd.html")],
    ]
    return run_cli(cases, cwd=root)


@pytest.fixture(scope="module")
def named(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Result]]:
    root = tmp_path_factory.mktemp("named")
    return root, _named(root)


def test_a_scenario_path_that_is_not_utf8_cannot_be_saved(
    named: tuple[Path, list[Result]],
) -> None:
    root, results = named
    for result in results[:2]:
        assert_clean(result, 2, bound=2000)
        assert "its path is not UTF-8 text; rename the scenario file" in result.output
    assert not (root / "s.json").exists() and not (root / "t.json").exists()


def test_a_save_name_that_is_not_utf8_is_a_file_name_like_any(
    named: tuple[Path, list[Result]],
) -> None:
    root, results = named
    saved, refused, valid, ran, report = results[2:]
    assert_clean(saved, 0)
    assert (root / FF).is_file()
    assert_clean(refused, 2, bound=2000)
    assert "is not a saved session; refusing to replace it" in refused.output
    assert (root / os.fsdecode(b"not-a-session-\xff.json")).read_text() == "keep me"
    assert_clean(valid, 0)
    assert "OK  talks-\ufffd.yaml" in valid.stdout  # the undecodable byte, visible
    assert_clean(ran, 0)
    assert_clean(report, 0)
    assert "wrote page-\ufffd.html" in report.stderr


def test_names_that_are_not_utf8_on_a_strict_stream(tmp_path: Path) -> None:
    """PYTHONIOENCODING=utf-8 makes the streams strict (no surrogateescape)."""
    (tmp_path / FE).write_bytes(MINI.read_bytes())
    env = {"PYTHONIOENCODING": "utf-8"}
    for argv in (["validate", FE], ["run", "-s", FE], ["run", "-s", FE, "--save", "x.json"]):
        result = run_script(argv, cwd=tmp_path, env=env)
        assert result.code in (0, 2), str(result)
        assert "Traceback" not in result.output, str(result)


# -- --results ----------------------------------------------------------------------------

RESULTS = {
    "infinity": '{"outcomes": {"signed": Infinity}}',
    "minus-infinity": '{"outcomes": {"signed": -Infinity}}',
    "nan": '{"outcomes": {"signed": NaN}}',
    "nan-in-a-list": '{"outcomes": [{"label": "signed", "count": 3, "low": NaN, "high": 1}]}',
    "overflow": '{"outcomes": {"signed": 1e999}}',
    "negative": '{"outcomes": {"signed": -1}}',
    "fraction": '{"outcomes": {"signed": 2.5}}',
    "huge": '{"outcomes": {"signed": 1e300}}',
    "digits": '{"outcomes": {"signed": ' + "9" * 5000 + "}}",
    "count-is-text": '{"outcomes": [{"label": "signed", "count": "3"}]}',
    "not-utf8": b'{"outcomes": {"sign\xe9d": 1}}',
}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Result]]:
    root = tmp_path_factory.mktemp("results")
    cases = []
    for name, content in RESULTS.items():
        path = root / f"{name}.json"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        cases.append(["report", "-s", str(MINI), "--results", str(path), "-o", f"{name}.md"])
    found = run_cli(cases, cwd=root)
    return {name: (root, r) for name, r in zip(RESULTS, found, strict=True)}


@pytest.mark.parametrize("name", RESULTS)
def test_results_that_are_not_counts_are_refused(
    name: str, results: dict[str, tuple[Path, Result]]
) -> None:
    root, result = results[name]
    assert_clean(result, 2, bound=3000)
    assert "--results" in result.output, str(result)
    assert not (root / f"{name}.md").exists()


# -- --scheduler ------------------------------------------------------------------------------

ADDRESSES = ["garbage", "", "tcp://[::1", "inproc://x", "tcp://host", "h:65536",
             "tcp://a b:1", "udp://h:1"]  # fmt: skip


@pytest.fixture(scope="module")
def schedulers() -> list[Result]:
    """Each address with a scenario that does not exist: the address is checked first,
    before the scenario is read or anything contacted."""
    cases = [["sample", "-s", "no-such.yaml", "-n", "5", "--scheduler", a] for a in ADDRESSES]
    return run_cli(cases)


@pytest.mark.parametrize("index", range(len(ADDRESSES)), ids=ADDRESSES)
def test_a_scheduler_address_is_checked_before_contacting_anything(
    index: int, schedulers: list[Result]
) -> None:
    result = schedulers[index]
    assert_clean(result, 2, bound=3000)
    assert "Invalid value for '--scheduler'" in result.output, str(result)
    assert "no-such.yaml" not in result.output


# -- streams that cannot encode the output ------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["run"],
        ["show"],
        ["validate", str(MINI), "scenarios/ukraine-2025-12.yaml"],
        ["diagram", "-f", "svg"],
        ["why", "ukraine signs twenty_point_plan", "--at", "2025-12-12"],
    ],
    ids=lambda a: "-".join(a[:3]).replace(str(ROOT), "<root>").replace("/", "_"),
)
def test_an_ascii_stream_gets_ascii_rules_and_escapes(argv: list[str]) -> None:
    result = run_script(argv, env={"PYTHONIOENCODING": "ascii"})
    assert_clean(result, 0, bound=500_000)
    assert result.stdout.isascii()
    assert "\u2500" not in result.stdout
    if argv == ["run"]:
        assert "-----" in result.stdout  # the deadline table's rule, in ASCII


def test_a_well_formed_address_passes_the_check() -> None:
    good = ["tcp://127.0.0.1:8786", "tls://sched.example.org:8786", "h:1", "tcp://[::1]:8786",
            "ws://h-1.example:443", "inproc://192.0.2.2/141/1"]  # fmt: skip
    for address in good:
        assert check_scheduler_address(address) == address
    for address in ADDRESSES:
        with pytest.raises(NegotiationError):
            check_scheduler_address(address)
