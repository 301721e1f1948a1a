"""Determinism: the same input gives byte-identical JSON across runs, across
``PYTHONHASHSEED`` values and across worker counts.

Covered: ``negotiation run --format json`` for every bundled scenario and branch (the
trace), ``explore`` and ``sample`` results (library and ``--format json``) for every
bundled scenario and the explorer's test scenarios, with 1 and 2 workers, and a saved
session's text.

Not compared, because they are measurements: ``elapsed`` and ``states_per_second``; and
``workers``, which records the worker count itself.

``python -m tests.test_determinism`` prints the probe (a JSON object of every output) that
the test runs in subprocesses under different hash seeds.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from negotiation.loader import bundled_names, load_scenario
from negotiation.persist import dumps, new_session
from negotiation.runtime.engine import Engine
from negotiation.search.explore import explore
from negotiation.search.sample import sample
from tests.conftest import PLANTED, ROOT, TALKS, invoke

EXPLORE_FILES = [Path(TALKS), Path(PLANTED)]
MEASUREMENTS = {"elapsed", "states_per_second", "workers"}
HASH_SEEDS = ["0", "1", "12345", "random"]
SAMPLE_RUNS = 12
WORKER_SCENARIOS = {"ukraine-2025-12", "labour-contract-2026", *map(str, EXPLORE_FILES)}
"""Where explore and sample also run with 2 workers (a process pool each time)."""
CLI_SCENARIOS = {"ukraine-2025-12", str(EXPLORE_FILES[1])}
"""Where explore and sample also go through the CLI (the library covers every scenario)."""


def _without_measurements(doc: Any) -> Any:
    if isinstance(doc, dict):
        return {k: _without_measurements(v) for k, v in doc.items() if k not in MEASUREMENTS}
    if isinstance(doc, list):
        return [_without_measurements(v) for v in doc]
    return doc


def _cli(*args: str) -> str:
    result = invoke(*args)
    assert result.exit_code in (0, 1), f"{args}: {result.output}"
    return result.stdout


def _cli_json(*args: str) -> str:
    return json.dumps(_without_measurements(json.loads(_cli(*args))))


def scenarios() -> list[str]:
    return [*bundled_names(), *(str(p) for p in EXPLORE_FILES)]


def probe(workers: tuple[int, ...] = (1, 2)) -> dict[str, str]:
    """Every output under test, by a readable key."""
    out: dict[str, str] = {}
    for name in scenarios():
        scenario = load_scenario(name)
        for branch in [None, *(b.id for b in scenario.branches)]:
            args = ["run", "-s", name, "--format", "json"]
            key = f"run {name} {branch or 'base'}"
            out[key] = _cli(*args, *(["--branch", branch] if branch else []))
        trace = Engine(scenario).run()
        out[f"session {name}"] = dumps(new_session("run", scenario, name, trace.final))
        for w in workers if name in WORKER_SCENARIOS else workers[:1]:
            found = explore(scenario, max_states=5_000, workers=w)
            out[f"explore {name} w{w}"] = json.dumps(
                _without_measurements(found.model_dump(mode="json"))
            )
            sampled = sample(scenario, runs=SAMPLE_RUNS, seed=7, workers=w)
            out[f"sample {name} w{w}"] = json.dumps(
                _without_measurements(sampled.model_dump(mode="json"))
            )
        if name not in CLI_SCENARIOS:
            continue
        out[f"explore-cli {name}"] = _cli_json("explore", "-s", name, "--format", "json")
        out[f"sample-cli {name}"] = _cli_json(
            "sample", "-s", name, "-n", str(SAMPLE_RUNS), "--seed", "7", "--format", "json"
        )
    return out


def _in_subprocess(hash_seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-m", "tests.test_determinism"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    result: dict[str, str] = json.loads(done.stdout)
    return result


@cache
def probes() -> dict[str, dict[str, str]]:
    """The probe in this process and in one subprocess per hash seed, concurrently."""
    with ThreadPoolExecutor(max_workers=len(HASH_SEEDS)) as pool:
        futures = {seed: pool.submit(_in_subprocess, seed) for seed in HASH_SEEDS}
        here = probe()
        return {
            "this process": here,
            **{f"PYTHONHASHSEED={s}": f.result() for s, f in futures.items()},
        }


def _first_difference(a: str, b: str) -> str:
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return f"at character {i}: {a[max(0, i - 60) : i + 60]!r} vs {b[max(0, i - 60) : i + 60]!r}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _pairs() -> Iterator[tuple[str, str]]:
    names = list(probes())
    for other in names[1:]:
        yield names[0], other


def test_probe_covers_every_bundled_scenario_branch_and_worker_count() -> None:
    keys = probes()["this process"]
    for name in bundled_names():
        scenario = load_scenario(name)
        assert f"run {name} base" in keys
        for b in scenario.branches:
            assert f"run {name} {b.id}" in keys
        assert {f"explore {name} w1", f"sample {name} w1"} <= set(keys)
    for name in WORKER_SCENARIOS:
        assert {f"explore {name} w2", f"sample {name} w2"} <= set(keys)
    assert len(keys) >= 50


@pytest.mark.parametrize("hash_seed", HASH_SEEDS)
def test_identical_across_hash_seeds(hash_seed: str) -> None:
    here, there = probes()["this process"], probes()[f"PYTHONHASHSEED={hash_seed}"]
    assert set(here) == set(there)
    different = [k for k in here if here[k] != there[k]]
    assert not different, "\n".join(
        f"{k}: {_digest(here[k])} vs {_digest(there[k])} {_first_difference(here[k], there[k])}"
        for k in different[:5]
    )


def test_identical_across_worker_counts() -> None:
    out = probes()["this process"]
    for key in [k for k in out if k.endswith(" w1") and k[:-1] + "2" in out]:
        two = key[:-1] + "2"
        assert out[key] == out[two], f"{key} vs {two}: {_first_difference(out[key], out[two])}"


def test_identical_across_runs_in_one_process() -> None:
    again = probe(workers=(1,))
    first = probes()["this process"]
    assert len(again) >= 40
    for key, text in again.items():
        assert text == first[key], f"{key}: {_first_difference(text, first[key])}"


def test_traces_are_real_json_traces() -> None:
    out = probes()["this process"]
    doc = json.loads(out["run ukraine-2025-12 base"])
    assert doc["scenario"] == "ukraine-2025-12"
    assert len(doc["entries"]) > 10


if __name__ == "__main__":
    json.dump(probe(), sys.stdout)
