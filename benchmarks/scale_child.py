"""One scale measurement in a fresh process: load a scenario file as a user does, run it.

Prints one JSON object: seconds to load and to run, events and trace entries, RSS after
the imports and the peak RSS of the process (VmHWM), in KiB. Run by ``run.py``, one
process per size, so that each peak is that size's own. With ``--validate`` it first
validates the file as ``negotiation validate`` does (``validate_s``).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def _status_kb(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def main(path: str, validate: bool = False) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from negotiation import Engine
    from negotiation.loader import load_scenario
    from negotiation.runtime import collect

    after_import = _status_kb("VmRSS")
    with collect.paused():  # as the CLI does: the process owns its collector
        validate_s = None
        if validate:
            from negotiation.cli.files import problems_of

            v0 = time.perf_counter()
            problems = problems_of(path)
            validate_s = time.perf_counter() - v0
            if problems:
                raise SystemExit(f"{path} is invalid: {problems[0]['text']}")
        t0 = time.perf_counter()
        scenario = load_scenario(path)
        t1 = time.perf_counter()
        trace = Engine(scenario).run()
        t2 = time.perf_counter()
    if not trace.entries:
        raise SystemExit("the run wrote no trace")
    import resource

    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({
        "events": len(scenario.timeline),
        "entries": len(trace.entries),
        "blocked": sum(1 for e in trace.entries if e.kind == "blocked"),
        "load_s": t1 - t0,
        "run_s": t2 - t1,
        "validate_s": validate_s,
        "rss_after_import_kb": after_import,
        "peak_kb": _status_kb("VmHWM") or maxrss,
    }))


if __name__ == "__main__":
    main(sys.argv[1], "--validate" in sys.argv[2:])
