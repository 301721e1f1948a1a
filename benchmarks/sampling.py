"""Timing of ``negotiation.search.sample`` with one and two local workers (and on Dask)."""

from __future__ import annotations

import importlib.util
import resource
import time
from typing import Any

from benchmarks.family import Family


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _same(a: Any, b: Any) -> bool:
    skip = {"elapsed", "workers"}
    return bool(a.model_dump(exclude=skip) == b.model_dump(exclude=skip))


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def parallel_capacity(seconds: float = 1.0) -> dict[str, float]:
    """The speedup a perfectly parallel pure-Python job gets from 2 local processes right
    now: the baseline for the parallel figures on a machine that other work may share
    (1.0 = only one core free, 2.0 = two)."""
    from concurrent.futures import ProcessPoolExecutor

    n = 200_000
    t0 = time.perf_counter()
    _spin(n)
    per = (time.perf_counter() - t0) / n
    n = max(10_000, int(seconds / per))
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_spin, [1000, 1000]))  # start both workers first
        t0 = time.perf_counter()
        list(pool.map(_spin, [n]))
        one = time.perf_counter() - t0
        t0 = time.perf_counter()
        list(pool.map(_spin, [n // 2, n - n // 2]))
        two = time.perf_counter() - t0
    return {"seconds_1w": one, "seconds_2w": two, "speedup_2w": one / two}


def sample_timing(
    fam: Family, runs: int, seed: int = 1, dask: bool = False, repeats: int = 3
) -> dict[str, Any]:
    from negotiation.search.sample import sample

    scenario = fam.scenario()
    out: dict[str, Any] = {"family": {"k": fam.k, "n": fam.n, "p": fam.p}, "runs": runs}
    results = {}
    # each side the best of three, interleaved (``repeats``): one run of each measured
    # the machine's drift from one second to the next as often as the workers
    for _ in range(repeats):
        for workers in (1, 2):
            c0 = _cpu()
            t0 = time.perf_counter()
            results[workers] = sample(scenario, runs=runs, seed=seed, workers=workers)
            took = time.perf_counter() - t0
            if took < out.get(f"seconds_{workers}w", float("inf")):
                out[f"seconds_{workers}w"] = took
                out[f"cpu_seconds_{workers}w"] = _cpu() - c0
    out["identical_1w_2w"] = _same(results[1], results[2])
    out["runs_per_s_1w"] = runs / out["seconds_1w"]
    if dask and importlib.util.find_spec("dask") is not None:
        from negotiation.search.distributed import sample_on_dask

        t0 = time.perf_counter()
        on_dask = sample_on_dask(scenario, runs, seed, local_workers=2)
        out["seconds_dask_local_2w"] = time.perf_counter() - t0
        out["identical_dask"] = _same(results[1], on_dask)
    return out
