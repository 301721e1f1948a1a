"""Ensembles on Dask: ``sample`` through ``dask.distributed`` when one machine is not enough.

Optional: ``pip install 'negotiation[dask]'``. Three ways to say where the runs go:

* ``scheduler="tcp://HOST:PORT"``: an existing Dask cluster (every worker needs this
  package installed, at the same version);
* ``local_workers=N``: a ``LocalCluster`` of ``N`` single-threaded worker processes on this
  machine, started and stopped around the call;
* ``client=``: a ``dask.distributed.Client`` the caller already holds (tests use one on
  a ``LocalCluster(processes=False)``).

The runs are the sampler's own (``negotiation.search.sample``): run ``i`` draws from
``run_random(seed, i)``, so which worker ran it changes nothing, and the result is
identical to ``sample(scenario, runs, seed)`` on one process (``workers`` and
``elapsed`` aside). The scenario is sent to the workers once (``scatter``); each worker
process (each thread, with ``processes=False``) builds the scenario's state space once
and keeps it for the following chunks.

Counts are reduced on the workers: a task returns how many of its runs ended each way
(``count_chunk``: a count per distinct (timeline, outcome, invariants broken), a few
dozen entries however many runs), never the runs, and the client adds them up as tasks
finish. The client's memory does not grow with the number of runs (measured on 100,000
runs of a small scenario on two workers: 96 MiB traced at the peak before, when every
run came back, 1.4 MiB after; its resident set grew by 184 MiB before, 2.6 MiB after).
A ``stop()`` (the command line's Ctrl-C) or the end of the work is seen within
``POLL`` seconds; a stopped sampling counts the chunks done in order, runs 0 to n - 1,
as the local sampler's partial result does, and ``progress(runs_done)`` is told as
chunks finish.
"""

from __future__ import annotations

import hashlib
import ipaddress
import itertools
import logging
import math
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from negotiation.model.errors import NegotiationError
from negotiation.model.scenario import Scenario
from negotiation.runtime.space import Space
from negotiation.search.sample import (
    Sampling,
    Stop,
    Walker,
    _SampledRun,
    run_random,
    sample,
    summarize,
)

CHUNKS_PER_WORKER = 4
"""Chunks per worker at least: enough to balance uneven runs, few enough to keep
overhead low."""

MAX_CHUNK = 2000
"""At most this many runs a chunk (about a second): progress is told and a stop is
honoured chunk by chunk."""

POLL = 0.1
"""Seconds between two looks at ``stop()`` while the client waits for chunks."""

CONNECT_TIMEOUT = "10s"
"""How long to wait for a scheduler given with ``scheduler=``."""

_CACHE = threading.local()

SCHEMES = ("tcp", "tls", "ws", "wss")
"""The network transports a scheduler address may name."""
_INPROC = re.compile(r"^inproc://[0-9A-Za-z.:-]+/[0-9]+/[0-9]+$")
"""Dask's in-process address (``inproc://IP/PID/N``): reachable only from the process
that made it (a test's scheduler), never from another."""

_HOST = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")  # fmt: skip
_ADDRESS = re.compile(r"^(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?(?P<host>\[[^\]]*\]|[^:/\[\]]*)"
                      r":(?P<port>[0-9]{1,5})$")  # fmt: skip


def check_scheduler_address(address: str) -> str:
    """``address`` if it is a Dask scheduler address (``tcp://HOST:PORT``, also ``tls``,
    ``ws``, ``wss``, or ``HOST:PORT`` for tcp; HOST a name, an IPv4 address or an IPv6
    address in brackets; PORT 1 to 65535; or Dask's own ``inproc://IP/PID/N`` of a
    scheduler in this process), else a ``NegotiationError`` saying what is expected.
    Only the syntax is checked: nothing is contacted."""
    shown = repr(address[:80])
    expected = "expected tcp://HOST:PORT (or tls://, ws://, wss://), e.g. tcp://127.0.0.1:8786"
    if _INPROC.match(address.strip()):
        return address.strip()
    m = _ADDRESS.match(address.strip())
    if m is None:
        raise NegotiationError(f"{shown} is not a Dask scheduler address: {expected}")
    scheme, host, port = m["scheme"], m["host"], int(m["port"])
    if scheme is not None and scheme.lower() not in SCHEMES:
        raise NegotiationError(
            f"{shown}: the transport {scheme!r} cannot reach a scheduler from here; {expected}"
        )
    if host.startswith("["):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise NegotiationError(f"{shown}: {host} is not an IPv6 address") from None
    elif not _HOST.match(host):
        raise NegotiationError(f"{shown}: {host!r} is not a host name or address; {expected}")
    if not 1 <= port <= 65535:
        raise NegotiationError(f"{shown}: port {port} is not from 1 to 65535")
    return address.strip()


def _require_dask() -> Any:
    try:
        import dask.distributed as dd  # noqa: PLC0415 - an optional dependency
    except ImportError as e:  # pragma: no cover - exercised only without the extra
        raise NegotiationError(
            "the Dask path needs the optional extra: pip install 'negotiation[dask]'"
        ) from e
    return dd


def scenario_key(scenario: Scenario) -> str:
    """A digest of the scenario: workers cache one state space per key."""
    return hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()[:32]


def _walker_for(key: str, scenario: Scenario) -> Walker:
    cached: dict[str, Walker] = getattr(_CACHE, "spaces", None) or {}
    if key not in cached:
        if len(cached) >= 4:
            cached.clear()
        cached[key] = Walker(scenario)
        _CACHE.spaces = cached
    return cached[key]


def run_chunk(key: str, scenario: Scenario, seed: int, start: int, stop: int) -> list[_SampledRun]:
    """Runs ``start`` to ``stop - 1`` of the ensemble."""
    walker = _walker_for(key, scenario)
    return [walker.walk(run_random(seed, i)) for i in range(start, stop)]


Counts = dict[_SampledRun, int]
"""How many runs ended each way: a run's (timeline, outcome, invariants broken) -> runs."""


def count_chunk(key: str, scenario: Scenario, seed: int, start: int, stop: int) -> Counts:
    """Runs ``start`` to ``stop - 1`` of the ensemble, counted (a Dask task: what it
    sends back is as small as the number of different ways a run can end)."""
    walker = _walker_for(key, scenario)
    return dict(Counter(walker.walk(run_random(seed, i)) for i in range(start, stop)))


def _runs_of(counts: Counts) -> Iterable[_SampledRun]:
    """Each counted run as many times as it was counted, one at a time (so ``summarize``
    counts them as it counts the local sampler's runs, never holding them all)."""
    return itertools.chain.from_iterable(itertools.repeat(r, n) for r, n in counts.items())


def _summarize(
    scenario: Scenario,
    counts: Counts,
    seed: int,
    workers: int,
    elapsed: float,
    stopped: Stop | None = None,
) -> Sampling:
    """What ``sample`` gives for the same runs (its own counting, shares and
    assumptions: ``summarize`` only iterates over the runs it is given)."""
    runs = sum(counts.values())
    results = _runs_of(counts)
    space = Space(scenario, None)
    return summarize(space, scenario, results, runs, seed, workers, elapsed, stopped)


def _bounds(runs: int, workers: int, chunks: int | None) -> list[tuple[int, int]]:
    count = chunks or min(runs, max(workers * CHUNKS_PER_WORKER, math.ceil(runs / MAX_CHUNK)))
    size = math.ceil(runs / count)
    return [(i, min(runs, i + size)) for i in range(0, runs, size)]


def sample_on_client(
    client: Any,
    scenario: Scenario,
    runs: int,
    seed: int,
    chunks: int | None = None,
    *,
    stop: Callable[[], bool] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Sampling:
    """``runs`` random runs of ``scenario`` through a ``dask.distributed.Client``: each
    task counts its chunk, the client adds the counts up (see the module docstring).
    ``stop()`` returning True ends it with the chunks done in order
    (``stopped="interrupted"``); ``progress`` hears the runs done as chunks finish."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    dd = _require_dask()
    started = time.perf_counter()
    workers = max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()))
    bounds = _bounds(runs, workers, chunks)
    key = scenario_key(scenario)
    # a key of its own (hash=False): with the content-hash key, a call right after one
    # on an equal scenario could see the earlier call's release of that key and lose it
    remote = client.scatter(scenario, broadcast=True, hash=False)
    futures = [client.submit(count_chunk, key, remote, seed, a, b, pure=False) for a, b in bounds]
    index = {f.key: i for i, f in enumerate(futures)}
    waiting = dd.as_completed(futures)
    del futures  # as_completed holds them until they are done; then they are released
    total: Counter[_SampledRun] = Counter()
    early: dict[int, Counts] = {}  # chunks done ahead of an earlier one still running
    ordered = done = 0
    stopped: Stop | None = None
    try:
        while not waiting.is_empty():
            if stop is not None and stop():
                stopped = "interrupted"
                break
            if not waiting.has_ready():
                time.sleep(POLL)
                continue
            for future in waiting.next_batch(block=False):
                i = index[future.key]
                early[i] = future.result()
                done += bounds[i][1] - bounds[i][0]
                future.release()
            while ordered in early:  # add up the chunks done in order (runs 0 to n - 1)
                total.update(early.pop(ordered))
                ordered += 1
            if progress is not None:
                progress(done)
    except KeyboardInterrupt:  # as the local sampler: a partial result
        stopped = "interrupted"
    if stopped is not None:  # the chunks still running or queued: cancelled, not awaited
        running = list(waiting.futures)
        waiting.clear()
        client.cancel(running)
    elapsed = time.perf_counter() - started
    return _summarize(scenario, dict(total), seed, workers, elapsed, stopped)


def sample_on_dask(
    scenario: Scenario,
    runs: int,
    seed: int,
    *,
    scheduler: str | None = None,
    local_workers: int | None = None,
    stop: Callable[[], bool] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Sampling:
    """Sample on the Dask scheduler at ``scheduler``, or on a local cluster of
    ``local_workers`` processes (exactly one of the two); ``stop`` and ``progress`` as
    ``sample_on_client`` takes them."""
    if (scheduler is None) == (local_workers is None):
        raise ValueError("give exactly one of scheduler or local_workers")
    if scheduler is not None:
        scheduler = check_scheduler_address(scheduler)
    dd = _require_dask()
    if scheduler is not None:
        try:
            client = dd.Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as e:
            raise NegotiationError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from e
        with client:
            return sample_on_client(client, scenario, runs, seed, stop=stop, progress=progress)
    assert local_workers is not None
    if local_workers < 1:
        raise ValueError("local_workers must be at least 1")
    quiet = logging.getLogger("distributed")
    level = quiet.level
    try:
        with (
            dd.LocalCluster(
                n_workers=local_workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            ) as cluster,
            dd.Client(cluster) as client,
        ):
            result = sample_on_client(client, scenario, runs, seed, stop=stop, progress=progress)
            # a worker's last heartbeat can race the scheduler's shutdown and log a
            # harmless error with a traceback: keep the teardown quiet
            quiet.setLevel(logging.CRITICAL)
    finally:
        quiet.setLevel(level)
    return result


def run_sample(
    scenario: Scenario,
    runs: int,
    seed: int,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    dask_local: int | None = None,
    max_seconds: float | None = None,
    max_memory: float | None = None,
    stop: Callable[[], bool] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Sampling:
    """What the ``sample`` command runs: local processes (``workers``, within the bounds
    ``max_seconds``, ``max_memory`` and ``stop``), or Dask when ``scheduler`` or
    ``dask_local`` is given (``stop`` and ``progress``, the runs done so far, as chunks
    finish; the other bounds are the local sampler's only)."""
    if scheduler is None and dask_local is None:
        return sample(
            scenario,
            runs=runs,
            seed=seed,
            workers=workers,
            max_seconds=max_seconds,
            max_memory=max_memory,
            stop=stop,
            progress=progress,
        )
    return sample_on_dask(
        scenario,
        runs,
        seed,
        scheduler=scheduler,
        local_workers=dask_local,
        stop=stop,
        progress=progress,
    )


__all__ = [
    "check_scheduler_address",
    "count_chunk",
    "run_chunk",
    "run_sample",
    "sample_on_client",
    "sample_on_dask",
    "scenario_key",
]
