"""JSON output: stable (sorted keys, no timestamps), so equal inputs give equal bytes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any, TextIO

from negotiation.model.scenario import Scenario
from negotiation.model.state import State
from negotiation.model.trace import Trace
from negotiation.render import views
from negotiation.render.escape import json_text


def dumps(data: Any) -> str:
    """The one JSON encoding of the CLI: sorted keys, two-space indent, UTF-8 text, with
    control characters and lone surrogates as ``\\uXXXX`` escapes (``escape.json_text``)."""
    return json_text(json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False))


def write(data: Any, file: TextIO) -> None:
    file.write(dumps(data) + "\n")


def line(data: Any) -> str:
    """One JSON Lines record: the same encoding as ``dumps``, on one line."""
    return json_text(json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


def trace_lines(trace: Trace, scenario: Scenario) -> Iterator[str]:
    """A run as JSON Lines: each trace entry as in ``trace_doc``, then one last record of
    ``kind`` ``"result"``: the scenario, branch, expectations, violations and ``ok``."""
    for entry in trace.entries:
        yield line(entry.model_dump(mode="json"))
    yield line(
        {
            "kind": "result",
            "scenario": scenario.id,
            "branch": views.branch_label(trace.branch),
            "expectations": [e.model_dump(mode="json") for e in trace.expectations],
            "violations": [v.model_dump(mode="json") for v in trace.violations],
            "ok": trace.ok,
        }
    )


def write_lines(lines: Iterator[str], file: TextIO) -> None:
    """Each record on its own line, flushed as it is written (for a reader downstream)."""
    for record in lines:
        file.write(record + "\n")
        file.flush()


def trace_doc(trace: Trace, scenario: Scenario) -> dict[str, Any]:
    """The full trace plus the scenario's identity and whether every expectation held."""
    doc: dict[str, Any] = trace.model_dump(mode="json")
    doc.update(
        {
            "scenario": scenario.id,
            "title": scenario.title,
            "illustrative": scenario.illustrative,
            "branch": views.branch_label(trace.branch),
            "ok": trace.ok,
        }
    )
    return doc


def state_doc(scenario: Scenario, state: State, at: dt.date, branch: str | None) -> dict[str, Any]:
    return {
        "scenario": scenario.id,
        "branch": views.branch_label(branch),
        "at": at.isoformat(),
        "state": views.snapshot(scenario, state),
    }


def assumptions_doc(scenario: Scenario, assumptions: list[tuple[str, str]]) -> dict[str, Any]:
    return {"scenario": scenario.id, "assumptions": views.assumption_rows(assumptions)}


def why_doc(move: str, at: dt.date, reasons: list[str]) -> dict[str, Any]:
    return {"move": move, "date": at.isoformat(), "allowed": not reasons, "reasons": reasons}


def diff_doc(
    scenario: Scenario,
    a: str,
    b: str,
    rows_a: list[views.Row],
    rows_b: list[views.Row],
    dates: list[tuple[str, list[views.Row]]],
) -> dict[str, Any]:
    return {
        "scenario": scenario.id,
        "a": a,
        "b": b,
        "timelines": {"a": rows_a, "b": rows_b},
        "dates": [{"date": day, "differences": diffs} for day, diffs in dates],
    }
