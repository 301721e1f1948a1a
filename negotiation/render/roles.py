"""Role sheets: each party's private brief, generated from the scenario, as HTML (a
fragment for the student's page, and a printable page of its own).

A sheet says who the party is (its description, who speaks for it, its bodies), its
stances at the start, the deadlines it sets and the others it faces, its interests in
each document (each point's weight and what it prefers, its cost of delay) and its BATNA
(the default and each case). Interests, BATNAs and delays are the scenario's
assumptions, never facts, and the sheet labels them so. Every scenario string is
escaped (``escape.xml_text``).
"""

from __future__ import annotations

from negotiation.analysis.utility import describe_delay
from negotiation.model.interests import Interest, PointInterest
from negotiation.model.scenario import Scenario
from negotiation.render.escape import xml_text as e

PRINT_CSS = """
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#111827;background:#fff}
main{max-width:780px;margin:0 auto;padding:16px}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin:1.1em 0 .3em;
border-bottom:1px solid #cbd5e1}h3{font-size:1em;margin:.8em 0 .2em}
table{border-collapse:collapse;width:100%;margin:.3em 0}
th,td{border:1px solid #cbd5e1;padding:3px 6px;text-align:left;vertical-align:top;
overflow-wrap:break-word;word-break:normal}th{background:#f1f5f9}
.muted{color:#475569}.private{font-weight:bold;color:#b91c1c}
.assumption{border-left:4px solid #f59e0b;background:#fffbeb;padding:4px 8px;margin:6px 0}
@media print{@page{margin:16mm}body{font-size:11pt}main{max-width:none;padding:0}
.noprint{display:none}h2,h3{break-after:avoid}table,.assumption{break-inside:avoid}}
"""


def parties(scenario: Scenario) -> tuple[str, ...]:
    return tuple(p.id for p in scenario.parties)


def _preference(pi: PointInterest) -> str:
    if pi.values is not None:
        ranked = sorted(pi.values.items(), key=lambda kv: -kv[1])
        return ", ".join(f"{e(k)} ({v:g})" for k, v in ranked)
    if pi.linear is not None:
        lo, hi = pi.linear.worst, pi.linear.best
        more = "more is better" if hi > lo else "less is better"
        return f"{more}: {lo:g} is worth 0, {hi:g} is worth 1"
    steps = ", ".join(f"{x:g} → {v:g}" for x, v in pi.piecewise or [])
    return f"worth, by number: {e(steps)}"


def _interest(x: Interest) -> str:
    total = sum(pi.weight for pi in x.points.values()) or 1.0
    rows = "".join(
        f"<tr><td>{e(pid)}</td><td>{pi.weight / total:.0%}</td><td>{_preference(pi)}</td></tr>"
        for pid, pi in x.points.items()
    )
    out = [f"<h3>Your interests in {e(x.document)}</h3>"]
    if x.summary:
        out.append(f"<p>{e(x.summary)}</p>")
    out.append(
        "<table class='interests'><tr><th>point</th><th>weight</th><th>what you prefer "
        f"(0 worst, 1 best)</th></tr>{rows}</table>"
    )
    if x.delay is not None:
        out.append(f"<p>Delay costs you: {e(describe_delay(x.delay))}.</p>")
    batna = x.reservation
    cases = "".join(
        f"<li>while <code>{e(c.when)}</code>: {c.value:g}"
        + (f" <span class='muted'>({e(c.summary)})</span>" if c.summary else "")
        + "</li>"
        for c in batna.cases
    )
    out.append(
        f"<p class='batna'>Your BATNA (what you get with no agreement, on the same 0 to 1 "
        f"scale): <b>{batna.default:g}</b>" + (f"; but</p><ul>{cases}</ul>" if cases else "</p>")
    )
    out.append(f"<p class='assumption'>Assumption: {e(x.assumption)}</p>")
    return "".join(out)


def role_sheet(sc: Scenario, party: str) -> str:
    """The party's private brief as an HTML fragment (see the module docstring)."""
    p = next(x for x in sc.parties if x.id == party)
    out = [f"<p>{e(p.description)}</p>" if p.description else ""]
    if p.representatives:
        people = ", ".join(
            f"{r.name}" + (f" ({r.office})" if r.office else "") for r in p.representatives
        )
        out.append(f"<p>Speaking for you: {e(people)}</p>")
    if p.bodies:
        out.append(
            f"<p>Your bodies: {e(', '.join(f'{b.name} ({party}.{b.id})' for b in p.bodies))}</p>"
        )
    stances = [x for x in sc.positions if x.party == party]
    if stances:
        out.append("<h3>Your positions at the start</h3><ul>")
        out += [f"<li>{e(x.stance.value)} on {e(x.on)}</li>" for x in stances]
        out.append("</ul>")
    mine = [d for d in sc.deadlines if d.set_by == party]
    if mine:
        out.append("<h3>Deadlines you set</h3><ul>")
        out += [f"<li>{e(d.id)}: {e(d.summary or '')}</li>" for d in mine]
        out.append("</ul>")
    for x in (i for i in sc.interests if i.party == party):
        out.append(_interest(x))
    if len(out) == 1 and not out[0]:
        out.append("<p class='muted'>The scenario gives no brief for this party.</p>")
    return "".join(out)


def _instructions(sc: Scenario, party: str) -> str:
    valued = [x.document for x in sc.interests if x.party == party]
    aim = (
        f"Aim for an agreement on {e(', '.join(valued))} worth more to you than your "
        "BATNA; with none, you get your BATNA."
        if valued
        else "Decide what you want from the documents below before the first day."
    )
    return (
        "<h2>Instructions</h2><ul>"
        "<li>Keep this sheet to yourself: the other parties have their own.</li>"
        "<li>Each day you make one move (or pass) on your page; the clock moves on when "
        "every student of your group has acted. Ask <i>Why?</i> before a move to see "
        "whether the rules allow it.</li>"
        f"<li>{aim}</li></ul>"
    )


def role_page(sc: Scenario, party: str, back: str | None = None) -> str:
    """A printable page of the party's role sheet, with instructions (``back``: a link
    to show on screen, not on paper)."""
    p = next(x for x in sc.parties if x.id == party)
    others = [e(x.name) for x in sc.parties if x.id != party]
    link = f'<p class="noprint"><a href="{e(back)}">Back</a> · print this page</p>' if back else ""
    deadlines = [
        f"<li>{e(d.id)}" + (f": {e(d.summary)}" if d.summary else "") + "</li>"
        for d in sc.deadlines
        if d.set_by != party
    ]
    faced = f"<h3>Deadlines others set</h3><ul>{''.join(deadlines)}</ul>" if deadlines else ""
    body = (
        f"{link}<p class='private'>Private: for {e(p.name)} only</p>"
        f"<h1>Role sheet: {e(p.name)} <span class='muted'>({e(party)})</span></h1>"
        f"<p>{e(sc.title)}. The other parties: {', '.join(others) or 'none'}.</p>"
        f"{_instructions(sc, party)}<h2>Your brief</h2>{role_sheet(sc, party)}{faced}"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Role sheet: {e(p.name)}</title><style>{PRINT_CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


__all__ = ["PRINT_CSS", "parties", "role_page", "role_sheet"]
