"""Plain data views of traces and states, shared by the text, markdown and JSON renderers.

Everything here is a pure function returning plain Python values (str, int, bool, None,
lists and dicts) in a stable order, so that each renderer only lays them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from negotiation.model.dates import FuzzyDate
from negotiation.model.deadlines import LIVE_STATUSES
from negotiation.model.scenario import Scenario
from negotiation.model.state import State
from negotiation.model.trace import Trace, TraceEntry

Row = dict[str, Any]

KIND_LABELS = {
    "event": "EVENT",
    "blocked": "BLOCKED",
    "deadline": "DEADLINE",
    "extension": "EXTENSION",
    "window": "WINDOW",
    "rule": "RULE",
    "skipped": "CLOCK",
    "beyond_horizon": "BEYOND",
}


def entry_label(e: TraceEntry) -> str:
    """An entry's kind as a label; an event skipped by its ``if``/``unless`` is SKIPPED,
    the clock moving on is CLOCK."""
    if e.kind == "skipped" and e.event_kind is not None:
        return "SKIPPED"
    return KIND_LABELS.get(e.kind, e.kind.upper())


def branch_label(branch: str | None) -> str:
    return branch if branch is not None else "base"


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def days_between(start: dt.date, end: dt.date | None) -> int | None:
    return (end - start).days if end is not None else None


# -- trace entries -----------------------------------------------------------------------


def entry_row(e: TraceEntry) -> Row:
    """One trace entry as a flat row."""
    return {
        "seq": e.seq,
        "date": e.date.isoformat(),
        "date_display": e.date_display,
        "kind": e.kind,
        "label": entry_label(e),
        "event_kind": e.event_kind,
        "ref": e.ref,
        "summary": e.summary,
        "by": list(e.by),
        "source": e.attribution.display() if e.attribution is not None else None,
        "claim_status": e.attribution.status.value if e.attribution is not None else None,
        "assumption": e.assumption,
        "changes": [c.display() for c in e.changes],
        "reasons": list(e.reasons),
        "fired": list(e.fired),
        "cause": e.cause,
    }


def timeline_rows(trace: Trace) -> list[Row]:
    return [entry_row(e) for e in trace.entries]


def imprecise(row: Row) -> bool:
    """Whether an entry's date is more than the day it is ordered on (a range, a month, or
    inferred): its ``date_display`` says how (``~2025-11-28..2025-12-12 (inferred)``)."""
    return bool(row["date_display"] != row["date"])


def not_yet_certain(rows: list[Row], day: dt.date) -> list[Row]:
    """The events applied on or before ``day`` that may not yet have happened by its
    close: their date is a range or a month that runs past it (an imprecise date is
    ordered at its earliest day, so the state at ``day`` counts them). Each row gains
    ``latest``, the last day its date covers."""
    out: list[Row] = []
    for row in rows:
        applied = row["kind"] == "event"  # not one blocked or skipped: the state has no trace
        if not applied or dt.date.fromisoformat(row["date"]) > day or not imprecise(row):
            continue
        try:
            _, last = FuzzyDate.displayed_span(row["date_display"])
        except ValueError:
            continue
        if last > day:
            out.append({**row, "latest": last.isoformat()})
    return out


def not_yet_line(row: Row) -> str:
    """One entry of ``not_yet_certain`` in words."""
    what = row["ref"] or row["summary"]
    return (
        f"{what}, dated {row['date_display']}: ordered at {row['date']}, possibly as late "
        f"as {row['latest']}"
    )


def not_yet_heading(day: dt.date) -> str:
    return f"May not yet have happened by the close of {day}"


def by_date(rows: list[Row]) -> dict[str, list[Row]]:
    """Rows grouped by ISO date, dates in order."""
    out: dict[str, list[Row]] = {}
    for r in sorted(rows, key=lambda r: (r["date"], r["seq"])):
        out.setdefault(r["date"], []).append(r)
    return out


# -- state -------------------------------------------------------------------------------


def deadline_rows(scenario: Scenario, state: State) -> list[Row]:
    """Every deadline rule at ``state``: status, dates and days left for live ones."""
    rows: list[Row] = []
    for spec in scenario.deadlines:
        ds = state.deadlines.get(spec.id)
        if ds is None:
            continue
        live = ds.status in LIVE_STATUSES
        rows.append(
            {
                "id": spec.id,
                "kind": spec.kind.value,
                "status": ds.status.value,
                "live": live,
                "due": iso(ds.due),
                "opens": iso(ds.opens),
                "days_left": days_between(state.date, ds.due) if live else None,
                "binding": ds.binding,
                "set_by": spec.set_by,
                "extensions": [
                    {
                        "on": iso(x.on),
                        "from": iso(x.from_due),
                        "to": iso(x.to_due),
                        "conditional": x.conditional,
                        "after_expiry": x.after_expiry,
                    }
                    for x in ds.extensions
                ],
                "resolved_on": iso(ds.resolved_on),
                "summary": spec.summary,
            }
        )
    return rows


def document_rows(scenario: Scenario, state: State) -> list[Row]:
    rows: list[Row] = []
    for doc in scenario.documents:
        ds = state.documents.get(doc.id)
        if ds is None:
            continue
        row: Row = {
            "id": doc.id,
            "title": doc.title,
            "state": ds.state,
            "version": ds.version,
            "points": dict(ds.points),
            "signed_by": list(ds.signed_by),
            "ratified_by": list(ds.ratified_by),
        }
        if ds.values:  # only once an offer was accepted: other rows stay as they were
            row["values"] = dict(ds.values)
        if ds.offer is not None:
            row["offer"] = {"by": ds.offer.by, "package": dict(ds.offer.package)}
            if ds.offer.to:  # a single text put to named parties
                row["offer"].update(to=list(ds.offer.to), accepted=list(ds.offer.accepted))
        if ds.texts:  # only once an event published or amended a point's text
            row["texts"] = dict(ds.texts)
        if doc.points_total is not None:
            row["points_known"] = ds.points_known
            row["points_total"] = doc.points_total
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Matrix:
    """Parties (rows) by documents and points (columns): each cell a stance."""

    parties: list[str]
    targets: list[str]
    cells: dict[str, dict[str, str]]


def positions_matrix(scenario: Scenario, state: State) -> Matrix:
    held = [key.split("|", 1) for key in state.positions]
    parties = [p.id for p in scenario.parties]
    parties += sorted({p for p, _ in held} - set(parties))
    targets: list[str] = []
    for doc in scenario.documents:
        targets.append(doc.id)
        targets += sorted({t for _, t in held if t.startswith(doc.id + ".")})
    cells = {p: {t: state.stance(p, t) for t in targets} for p in parties}
    return Matrix(parties, targets, cells)


def stance_condition_rows(state: State) -> list[Row]:
    """Each stance held on conditions, with the conditions (party, target order)."""
    rows = []
    for key, pos in sorted(state.positions.items()):
        if pos.conditions:
            party, target = key.split("|", 1)
            rows.append({"party": party, "target": target, "stance": pos.stance,
                         "conditions": list(pos.conditions)})
    return rows


def relation_rows(state: State) -> list[Row]:
    rows = []
    for key, since in sorted(state.relations.items()):
        source, kind, target = key.split("|")
        rows.append({"source": source, "relation": kind, "target": target, "since": iso(since)})
    return rows


def fact_rows(scenario: Scenario, state: State) -> list[Row]:
    ids = [f.id for f in scenario.facts]
    ids += sorted(set(state.facts) - set(ids))
    return [{"id": f, "holds": f in state.facts, "since": iso(state.facts.get(f))} for f in ids]


def snapshot(scenario: Scenario, state: State) -> Row:
    """The whole state as plain data."""
    matrix = positions_matrix(scenario, state)
    return {
        "date": state.date.isoformat(),
        "closed": state.closed,
        "documents": document_rows(scenario, state),
        "positions": {
            p: {t: s for t, s in row.items() if s != "unknown"} for p, row in matrix.cells.items()
        },
        "stance_conditions": stance_condition_rows(state),
        "relations": relation_rows(state),
        "facts": fact_rows(scenario, state),
        "deadlines": deadline_rows(scenario, state),
    }


def flatten(scenario: Scenario, state: State) -> dict[str, str]:
    """The state as ``what -> value`` lines, for comparing two states."""
    out: dict[str, str] = {}
    for d in document_rows(scenario, state):
        out[f"document {d['id']}"] = d["state"]
        for p, status in sorted(d["points"].items()):
            out[f"point {d['id']}.{p}"] = status
        for p, value in sorted(d.get("values", {}).items()):
            out[f"value {d['id']}.{p}"] = value
        if "offer" in d:
            offer = d["offer"]
            terms = ", ".join(f"{p} {v}" for p, v in offer["package"].items())
            out[f"offer on {d['id']}"] = f"{offer['by']}: {terms}"
            if "to" in offer:
                out[f"offer on {d['id']} accepted by"] = (
                    f"{', '.join(offer['accepted']) or 'nobody'} of {', '.join(offer['to'])}"
                )
        for p, text in sorted(d.get("texts", {}).items()):
            out[f"text {d['id']}.{p}"] = text
        if "points_total" in d:
            out[f"document {d['id']} points known"] = points_known_text(d)
        out[f"document {d['id']} signed by"] = ", ".join(d["signed_by"]) or "-"
        out[f"document {d['id']} ratified by"] = ", ".join(d["ratified_by"]) or "-"
    matrix = positions_matrix(scenario, state)
    for p in matrix.parties:
        for t in matrix.targets:
            out[f"position {p} on {t}"] = matrix.cells[p][t]
    for dl in deadline_rows(scenario, state):
        due = f" (due {dl['due']})" if dl["due"] else ""
        binding = "" if dl["binding"] else ", non-binding"
        out[f"deadline {dl['id']}"] = f"{dl['status']}{due}{binding}"
    relations = {
        f"relation {r['source']} {r['relation']} {r['target']}" for r in relation_rows(state)
    }
    for f in fact_rows(scenario, state):
        out[f"fact {f['id']}"] = "true" if f["holds"] else "false"
    for r in relations:
        out[r] = "yes"
    return out


def state_diff(scenario: Scenario, a: State, b: State) -> list[Row]:
    """Every line on which two states differ: ``{"what", "a", "b"}``."""
    fa, fb = flatten(scenario, a), flatten(scenario, b)
    default = {k: "no" for k in (fa.keys() | fb.keys()) if k.startswith("relation ")}
    rows = []
    for key in dict.fromkeys([*fa, *fb]):
        va = fa.get(key, default.get(key, "-"))
        vb = fb.get(key, default.get(key, "-"))
        if va != vb:
            rows.append({"what": key, "a": va, "b": vb})
    return rows


def expectation_rows(trace: Trace, scenario: Scenario | None = None) -> list[Row]:
    """The run's expectations; ``at_display`` is the day as the scenario wrote it (``~``
    inferred, a range or a month, checked at the close of its last day, ``at``)."""
    written = expectation_dates(scenario, trace.branch) if scenario is not None else {}
    return [
        {
            "at": x.at.isoformat(),
            "at_display": written.get((x.at, x.that, x.summary), x.at.isoformat()),
            "that": x.that,
            "ok": x.ok,
            "summary": x.summary,
            "reasons": list(x.reasons),
        }
        for x in trace.expectations
    ]


def expectation_dates(
    scenario: Scenario, branch: str | None
) -> dict[tuple[dt.date, str, str | None], str]:
    """How a run's expectations wrote their days, by what a result keeps of one (the
    day it was checked, the condition, the summary)."""
    return {
        (x.at.last_day, x.that, x.summary): x.at.display()
        for x in scenario.expect
        if x.branch == branch
    }


def reason_label(kind: str) -> str:
    """How an entry's reasons are introduced: an applied event's are notes (who attended
    a meeting, what was not checked), a blocked move's or a deadline's say why."""
    return "note" if kind == "event" else "why"


def violation_rows(trace: Trace) -> list[Row]:
    """Each invariant the run broke, at the first moment it broke it."""
    return [
        {
            "invariant": v.invariant,
            "date": v.date.isoformat(),
            "seq": v.seq,
            "condition": v.condition,
            "reasons": list(v.reasons),
        }
        for v in trace.violations
    ]


def invariant_summary(broken: int, declared: int) -> str:
    """One line on a run's declared invariants: how many broke, or that all held."""
    if broken:
        return f"{broken} of {declared} invariants broken"
    return f"all {declared} invariants held" if declared > 1 else "the invariant held"


def assumption_rows(assumptions: list[tuple[str, str]]) -> list[Row]:
    return [{"where": where, "assumption": what} for where, what in assumptions]


def points_known_text(row: Row) -> str:
    """``7 of 20 points known`` for a document row with a points_total."""
    return f"{row['points_known']} of {row['points_total']} points known"
