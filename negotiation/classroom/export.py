"""The classroom's results as data: each group's outcome, what it agreed (``agreement``:
``teach.debrief``) and its history, as JSON and CSV, and a group's report (the HTML
report of ``negotiation report``, drawn from the group's own path: ``Group.frames``).

A CSV cell that a spreadsheet would read as a formula (it starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) is written with a leading ``'``; a number
(such as a negative count of days) is written as it is.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from typing import Any

from negotiation.classroom.room import Classroom, Entry
from negotiation.render import report
from negotiation.render.escape import json_text, xml_text
from negotiation.teach.debrief import debrief


def outcome(entry: Entry) -> dict[str, Any]:
    """Where a group stands: status, day, moves, documents' states, deadlines."""
    g = entry.group
    kinds = [a.kind for a in g.actions if a.seat in g.seats]
    return {
        "group": entry.id,
        "name": entry.name,
        "scenario": entry.row.scenario,
        "seats": list(g.seats),
        "status": g.status,
        "day": g.day.isoformat(),
        "moves": kinds.count("move"),
        "passes": kinds.count("pass"),
        "documents": {d: s.state for d, s in g.state.documents.items()},
        "deadlines": {
            d: {"status": s.status.value, "due": s.due.isoformat() if s.due else None}
            for d, s in g.state.deadlines.items()
        },
    }


def agreement(entry: Entry) -> dict[str, Any]:
    """The group's debrief: the main document's agreement day and state, the days from
    it to each deadline's due date (positive: before), and each interested party's
    utility of the agreed package (None: no package) and BATNA on the group's state."""
    d = debrief(entry.group)
    return {
        "document": d.document,
        "day": d.agreed_on.isoformat() if d.agreed_on else None,
        "state": d.agreed_state,
        "days_before_due": {m.deadline: m.margin for m in d.deadlines},
        "parties": {
            s.party: {"utility": s.utility, "batna": s.batna, "batna_case": s.because}
            for s in d.standings
        },
    }


def history(entry: Entry) -> dict[str, Any]:
    """A group's accepted actions (what replays it) and its log as it happened."""
    return {
        "actions": [{"seat": a.seat, "kind": a.kind, "text": a.text} for a in entry.group.actions],
        "log": [
            {
                "day": line.day.isoformat(),
                "kind": line.kind,
                "seat": line.seat,
                "text": line.text,
                "reasons": list(line.reasons),
            }
            for line in entry.group.log
        ],
    }


def to_json(room: Classroom) -> str:
    groups = [{**outcome(x), "agreement": agreement(x), **history(x)} for x in room.groups.values()]
    return json_text(json.dumps({"scenario": room.scenario, "groups": groups}, indent=2)) + "\n"


def _cell(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a number is no formula
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(room: Classroom) -> str:
    """One row per group: its outcome, a column per document and per deadline, then the
    agreement day, the days from it to each due date, each party's utility and BATNA."""
    results = [outcome(x) for x in room.groups.values()]
    agreed = [agreement(x) for x in room.groups.values()]
    parties = list(dict.fromkeys(p for a in agreed for p in a["parties"]))
    docs = list(dict.fromkeys(k for r in results for k in r["documents"]))
    deadlines = list(dict.fromkeys(k for r in results for k in r["deadlines"]))
    head = ["group", "name", "seats", "status", "day", "moves", "passes"]
    head += [f"document {d}" for d in docs]
    head += [f"deadline {d}" for d in deadlines] + [f"due {d}" for d in deadlines]
    head += ["agreement document", "agreement day"]
    head += [f"days before due {d}" for d in deadlines]
    head += [f"{k} {p}" for p in parties for k in ("utility", "batna")]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(head)
    for r, a in zip(results, agreed, strict=True):
        row = [r["group"], r["name"], " ".join(r["seats"]), r["status"], r["day"]]
        row += [r["moves"], r["passes"]]
        row += [r["documents"].get(d, "") for d in docs]
        missing: dict[str, Any] = {}
        row += [r["deadlines"].get(d, missing).get("status", "") for d in deadlines]
        row += [r["deadlines"].get(d, missing).get("due", "") for d in deadlines]
        row += [a["document"], a["day"]]
        row += [a["days_before_due"].get(d) for d in deadlines]
        row += [a["parties"].get(p, missing).get(k) for p in parties for k in ("utility", "batna")]
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()


def group_report(entry: Entry) -> str:
    """The group's report as one self-contained HTML page: its timeline, positions,
    deadlines and trace as the group played them. The scenario's expectations are about
    its script, not the group's path: the page leaves them out."""
    g = entry.group
    data = report.ReportData.build(g.engine, g.frames(), None, g.day)
    page = report.html(replace(data, expectations=()))
    who = (
        f'</h1>\n<p class="meta">Group {xml_text(entry.name)} (#{entry.id}); students played '
        f"{xml_text(', '.join(g.seats))}; {xml_text(g.status)} on {g.day}</p>"
    )
    return page.replace("</h1>", who, 1)
