"""Markdown output as plain strings (no rich): a run as a report one can paste anywhere."""

from __future__ import annotations

from negotiation.model.scenario import Scenario
from negotiation.model.trace import Trace
from negotiation.render import views
from negotiation.render.escape import code_span, markdown_text


def cell(text: str | None) -> str:
    """Text shown as written in one table cell (``escape.markdown_text``): no HTML, no
    Markdown syntax, pipes escaped, newlines as ``<br>``."""
    if not text:
        return ""
    return markdown_text(text, newline="<br>")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines


def timeline(trace: Trace, scenario: Scenario) -> str:
    """A run as markdown: a header, the timeline table, deadlines and expectations."""
    lines = [f"# {markdown_text(scenario.title)}", ""]
    lines.append(
        f"- scenario: {code_span(scenario.id)}"
        + (" (illustrative)" if scenario.illustrative else "")
    )
    lines.append(f"- branch: {code_span(views.branch_label(trace.branch))}")
    lines.append(f"- from {trace.start} to {trace.horizon or trace.final.date}")
    lines += ["", "## Timeline", ""]
    rows = []
    for r in views.timeline_rows(trace):
        label = views.reason_label(r["kind"])
        details = [*r["changes"], *(f"{label}: {x}" for x in r["reasons"])]
        if r["fired"]:
            details.append("then: " + ", ".join(r["fired"]))
        if r["assumption"]:
            details.append("assumption: " + r["assumption"])
        rows.append(
            [
                r["date_display"],
                r["label"].lower(),
                r["summary"],
                ", ".join(r["by"]),
                r["source"] or "",
                "\n".join(details),
            ]
        )
    lines += _table(["date", "kind", "what", "who", "source", "changes"], rows)
    deadline_rows = views.deadline_rows(scenario, trace.final)
    if deadline_rows:
        lines += ["", f"## Deadlines at {trace.final.date}", ""]
        lines += _table(
            ["deadline", "kind", "status", "due", "days left", "extensions"],
            [
                [
                    d["id"],
                    d["kind"],
                    d["status"],
                    d["due"] or "-",
                    "" if d["days_left"] is None else str(d["days_left"]),
                    "; ".join(f"{x['from']} -> {x['to']}" for x in d["extensions"]),
                ]
                for d in deadline_rows
            ],
        )
    expectations = views.expectation_rows(trace, scenario)
    if expectations:
        lines += ["", "## Expectations", ""]
        for x in expectations:
            mark = "met" if x["ok"] else "**FAILED**"
            lines.append(f"- {mark} {cell(x['at_display'])}: {code_span(x['that'])}")
            lines += [f"  - why: {cell(reason)}" for reason in x["reasons"]]
    if scenario.invariants:
        broken = views.violation_rows(trace)
        lines += ["", "## Invariants", ""]
        for v in broken:
            lines.append(
                f"- **BROKEN** {cell(v['invariant'])} on {v['date']} (entry {v['seq']}): "
                f"`{v['condition']}`"
            )
            lines += [f"  - why: {cell(reason)}" for reason in v["reasons"]]
        if not broken:
            lines.append(f"- {views.invariant_summary(0, len(scenario.invariants))}")
    return "\n".join(lines) + "\n"
