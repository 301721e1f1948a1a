"""The Dask path of ``sample``: a LocalCluster on this machine gives exactly the
single-process result for the same seed. Skipped when the ``dask`` extra is absent."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from benchmarks.family import Family
from negotiation import Scenario
from negotiation.search.sample import Sampling, sample
from tests.conftest import invoke

dd = pytest.importorskip("dask.distributed")

# distributed warns when another process on the machine holds its default dashboard
# port, even with the dashboard off; that says nothing about this code
pytestmark = pytest.mark.filterwarnings("ignore:Port 8787 is already in use")

from negotiation.search.distributed import (  # noqa: E402
    count_chunk,
    run_chunk,
    run_sample,
    sample_on_client,
    sample_on_dask,
    scenario_key,
)


def _scenario() -> Scenario:
    data: dict[str, Any] = Family(1, 2).data()
    data["decisions"][0] = {
        "id": "opening",
        "at": data["decisions"][0]["at"],
        "alternatives": [
            {"id": "accept_all", "probability": 0.3, "events": [
                {"kind": "accept", "by": ["p0"], "document": "d0"},
                {"kind": "accept", "by": ["p1"], "document": "d0"},
            ]},
            {"id": "walk_out", "events": [{"kind": "reject", "by": ["p1"], "document": "d0"}]},
            {"id": "nothing", "events": []},
        ],
    }
    data["branches"] = [
        {"id": "early_withdrawal", "probability": 0.2, "add": [
            {"kind": "withdraw", "by": ["p0"], "document": "d0", "date": "2026-01-02"},
        ]},
    ]
    return Scenario.model_validate(data)


def _same(a: Sampling, b: Sampling) -> bool:
    skip = {"elapsed", "workers"}
    return a.model_dump(exclude=skip) == b.model_dump(exclude=skip)


@pytest.fixture(scope="module")
def client() -> Any:
    with (
        dd.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                        dashboard_address=None) as cluster,
        dd.Client(cluster) as c,
    ):
        yield c


def test_local_cluster_gives_the_single_process_result(client: Any) -> None:
    scenario = _scenario()
    single = sample(scenario, runs=150, seed=3)
    on_dask = sample_on_client(client, scenario, runs=150, seed=3)
    assert _same(single, on_dask)
    assert on_dask.workers == 2
    assert {t.label for t in on_dask.timelines} == {"base", "early_withdrawal"}


def test_chunking_does_not_change_the_result(client: Any) -> None:
    scenario = _scenario()
    a = sample_on_client(client, scenario, runs=60, seed=9, chunks=1)
    b = sample_on_client(client, scenario, runs=60, seed=9, chunks=7)
    assert _same(a, b)
    assert not _same(a, sample(scenario, runs=60, seed=10))


def test_one_chunk_is_the_same_runs_as_the_sampler() -> None:
    scenario = _scenario()
    key = scenario_key(scenario)
    assert key == scenario_key(Scenario.model_validate(scenario.model_dump()))
    whole = run_chunk(key, scenario, 4, 0, 20)
    assert whole[5:12] == run_chunk(key, scenario, 4, 5, 12)


def test_run_sample_without_dask_options_is_the_local_sampler() -> None:
    scenario = _scenario()
    assert _same(run_sample(scenario, 30, 1), sample(scenario, runs=30, seed=1))


def test_bad_arguments() -> None:
    scenario = _scenario()
    with pytest.raises(ValueError, match="exactly one"):
        sample_on_dask(scenario, 10, 1)
    with pytest.raises(ValueError, match="exactly one"):
        sample_on_dask(scenario, 10, 1, scheduler="tcp://127.0.0.1:1", local_workers=1)
    with pytest.raises(ValueError, match="at least 1"):
        sample_on_dask(scenario, 10, 1, local_workers=0)


def test_the_sample_command_runs_on_a_dask_scheduler(client: Any, tmp_path: Any) -> None:
    path = tmp_path / "forks.yaml"  # JSON is YAML
    path.write_text(json.dumps(_scenario().model_dump(mode="json", exclude_none=True)))
    args = ["sample", "-s", str(path), "--runs", "40", "--seed", "2", "-f", "json"]
    local = invoke(*args)
    remote = invoke(*args, "--scheduler", client.scheduler.address)
    assert local.exit_code == 0, local.output
    assert remote.exit_code == 0, remote.output
    skip = ("elapsed", "workers")
    a, b = json.loads(local.stdout), json.loads(remote.stdout)
    assert {k: v for k, v in a.items() if k not in skip} == {
        k: v for k, v in b.items() if k not in skip
    }
    both = invoke(*args, "--scheduler", "tcp://127.0.0.1:1", "--dask-local", "1")
    assert both.exit_code == 2


def test_a_task_sends_back_counts_not_runs() -> None:
    scenario = _scenario()
    key = scenario_key(scenario)
    counts = count_chunk(key, scenario, 4, 0, 300)
    assert counts == Counter(run_chunk(key, scenario, 4, 0, 300))
    assert sum(counts.values()) == 300
    assert len(counts) < 20  # the ways a run can end, not the runs


def test_progress_is_told_as_chunks_finish(client: Any) -> None:
    scenario = _scenario()
    heard: list[int] = []
    result = sample_on_client(client, scenario, runs=90, seed=5, chunks=6, progress=heard.append)
    assert heard == sorted(heard) and heard[-1] == 90 and len(heard) <= 6
    assert result.stopped is None and result.runs == 90


def test_a_stop_gives_the_runs_done_in_order(client: Any) -> None:
    """Stopped after the first chunks: the result is the local sampler's over the runs
    0 to n - 1 that were added up (n a whole number of chunks)."""
    scenario = _scenario()
    heard: list[int] = []
    # 4,000 runs take seconds; the client looks every 0.1 s, so it stops after the
    # first chunks it hears of, long before the last
    result = sample_on_client(
        client, scenario, runs=4000, seed=8, chunks=400, progress=heard.append,
        stop=lambda: bool(heard),
    )  # fmt: skip
    assert result.stopped == "interrupted"
    assert result.runs % 10 == 0 and result.runs < 4000
    if result.runs:
        local = sample(scenario, runs=result.runs, seed=8)
        skip = {"elapsed", "workers", "stopped"}
        assert result.model_dump(exclude=skip) == local.model_dump(exclude=skip)
    nothing = sample_on_client(client, scenario, runs=50, seed=8, stop=lambda: True)
    assert nothing.stopped == "interrupted" and nothing.runs == 0
    assert nothing.outcomes == [] and nothing.timelines == []
