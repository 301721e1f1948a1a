"""explore, sample and check on the command line."""

from __future__ import annotations

import gc
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks.family import Family
from negotiation import cli
from negotiation.runtime.legal import legal_moves
from tests.conftest import PLANTED, TALKS, invoke


def test_explore_prints_outcomes_and_exits_0() -> None:
    result = invoke("explore", "-s", TALKS)
    assert result.exit_code == 0, result.output
    assert "Outcomes (" in result.output
    assert "plan signed, accept_deadline met" in result.output
    assert "no violation found" in result.output


def test_the_outcome_header_counts_the_rows_it_prints() -> None:
    for scenario in (TALKS, "ukraine-2025-12-decisions"):
        result = invoke("explore", "-s", scenario)
        assert result.exit_code == 0, result.output
        out = result.output
        found = re.search(r"Outcomes \(([\d,]+) distinct, over ([\d,]+) end states\)", out)
        assert found, out
        table = out.split("  count  outcome\n", 1)[1].split("\n\n", 1)[0].splitlines()
        counts = [int(line.split()[0].replace(",", "")) for line in table]
        assert len(counts) == int(found.group(1).replace(",", ""))
        assert sum(counts) == int(found.group(2).replace(",", ""))


def test_explore_violation_writes_counterexample_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "cx.yaml"
    result = invoke("explore", "-s", PLANTED, "--counterexample-out", str(target))
    assert result.exit_code == 1
    assert "VIOLATED built-in invariant signed_only_with_acceptance" in result.output
    assert "deadline ultimatum expired" in result.output
    assert target.exists()
    assert invoke("run", "-s", str(target)).exit_code == 1
    result = invoke("explore", "-s", PLANTED, "--counterexample-out", str(target))
    assert result.exit_code == 2
    assert "--force" in result.output
    forced = invoke("explore", "-s", PLANTED, "--counterexample-out", str(target), "--force")
    assert forced.exit_code == 1


def test_explore_json_and_bounds() -> None:
    result = invoke(
        "explore", "-s", TALKS, "--format", "json", "--max-states", "40", "--workers", "2"
    )
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert doc["stopped"] == "max_states"
    assert doc["states"] == 40


@pytest.mark.parametrize(
    "args",
    [
        ["explore", "-s", "no/such/file.yaml"],
        ["explore", "-s", TALKS, "--workers", "0"],
        ["explore", "-s", TALKS, "--format", "xml"],
        ["sample", "-s", TALKS, "--runs", "0"],
        ["sample", "-s", TALKS, "--seed", "abc"],
        ["check", "-s", TALKS, "--examples", "0"],
        ["check", "-s", "no_such_scenario"],
        ["explore", "-s", TALKS, "--max-memory", "0"],
        ["sample", "-s", TALKS, "--max-memory", "lots"],
        ["sample", "-s", TALKS, "--dask-local", "2", "--max-seconds", "3"],
        ["sample", "-s", TALKS, "--scheduler", "tcp://127.0.0.1:1", "--max-memory", "900"],
    ],
)
def test_wrong_input_exits_2_without_traceback(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2


def test_sample_text_and_json() -> None:
    result = invoke("sample", "-s", TALKS, "--runs", "60", "--seed", "4")
    assert result.exit_code == 0, result.output
    assert "60 runs, seed 4" in result.output
    assert "Assumptions behind these numbers" in result.output
    result = invoke(
        "sample", "-s", TALKS, "--runs", "60", "--seed", "4", "-f", "json", "--workers", "2"
    )
    doc = json.loads(result.output)
    assert doc["seed"] == 4
    assert sum(o["count"] for o in doc["outcomes"]) == 60


def test_check_reports_both_and_exits_1_on_a_violation() -> None:
    result = invoke("check", "-s", TALKS, "--examples", "10")
    assert result.exit_code == 0, result.output
    assert "Hypothesis (10 examples" in result.output
    result = invoke("check", "-s", PLANTED, "--examples", "60", "-f", "json")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["explorer"]["violations"][0]["invariant"] == "signed_only_with_acceptance"
    assert doc["hypothesis"]["ok"] is False
    assert "statistics" not in doc["hypothesis"]  # on request only


def test_check_steps_cover_the_script_and_statistics_on_request() -> None:
    # talks.yaml is 15 steps deep along its script: 3 * 15 + 10 steps per example
    result = invoke("check", "-s", TALKS, "--examples", "5", "--statistics")
    assert result.exit_code == 0, result.output
    assert "Hypothesis (5 examples of up to 55 steps" in result.output
    assert "(the script is 15 steps deep)" in result.output
    assert "examples that reached the end of the script:" in result.output
    result = invoke("check", "-s", TALKS, "--examples", "5", "--steps", "7", "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["hypothesis"]["steps"] == 7
    result = invoke(
        "check", "-s", TALKS, "--examples", "5", "--statistics", "--shrink", "-f", "json"
    )
    doc = json.loads(result.output)["hypothesis"]
    assert doc["shrink"] is True
    stats = doc["statistics"]
    assert stats["depth"] == 15 and stats["steps_per_example"] == 55
    assert stats["examples"] >= 5
    assert stats["script_steps"] + stats["free_moves"] <= stats["steps"]


@pytest.fixture(scope="module")
def family(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Family(3, 4): minutes of work with two workers (JSON is YAML)."""
    path = tmp_path_factory.mktemp("bounds") / "family.yaml"
    path.write_text(json.dumps(Family(3, 4).data()), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("command", ["explore", "sample"])
def test_max_seconds_holds_with_two_workers(command: str, family: str) -> None:
    # explore: no state bound, so only time stops it (two workers now reach the default
    # 100,000 states in about 2 s)
    more = ["--runs", "10000000"] if command == "sample" else ["--max-states", "100000000"]
    started = time.perf_counter()
    result = invoke(command, "-s", family, "-w", "2", "--max-seconds", "2", *more)
    took = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert took < 4, f"{command} took {took:.1f} s"
    if command == "explore":
        assert "; partial: stopped by time" in result.output
    else:
        assert "; partial: stopped by time after " in result.output
        assert " of 10,000,000 runs" in result.output


@pytest.mark.parametrize("command", ["explore", "sample"])
def test_max_memory_holds_with_two_workers(command: str, family: str) -> None:
    """This process alone (the test runner) holds more than 50 MiB."""
    # explore: no state bound, so only time stops it (two workers now reach the default
    # 100,000 states in about 2 s)
    more = ["--runs", "10000000"] if command == "sample" else ["--max-states", "100000000"]
    result = invoke(command, "-s", family, "-w", "2", "--max-memory", "50", "-f", "json", *more)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["stopped"] == "memory"


def test_a_complete_sampling_has_no_stopped_field() -> None:
    """Its JSON is as it was before bounds (the golden files pin it)."""
    result = invoke("sample", "-s", TALKS, "--runs", "20", "-f", "json", "-w", "2")
    assert result.exit_code == 0, result.output
    assert "stopped" not in json.loads(result.output)


def test_check_runs_hypothesis_with_the_collector_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # the command pauses the cyclic collector (runtime.collect); Hypothesis's examples
    # leave cyclic garbage, which piled up at 11 MB a second while it stayed paused
    enabled: list[bool] = []

    def spy(*args: Any, **kwargs: Any) -> Any:  # the free moves of Hypothesis's examples
        enabled.append(gc.isenabled())
        return legal_moves(*args, **kwargs)

    monkeypatch.setattr("negotiation.testing.legal_moves", spy)
    monkeypatch.setattr("sys.argv", ["negotiation", "check", "-s", TALKS, "--examples", "5"])
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code == 0
    assert "Hypothesis (5 examples" in capsys.readouterr().out
    assert enabled
    assert all(enabled)
    assert gc.isenabled()
