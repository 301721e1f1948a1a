"""The classroom's HTML pages: instructor, debrief, student seat, and errors.

Pure functions from the classroom's values to HTML text. Every string a user or a
scenario supplies goes through ``render.escape.xml_text``; the pages load no asset from
the network (the CSS is inline, the one script is ``/classroom.js``, served by the
package) and fit a 1024 px projector (the layout is at most 1000 px wide and scales up
on wider screens).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from negotiation.analysis.space import option_values
from negotiation.behaviour.strategies import MoveKind
from negotiation.classroom.export import outcome
from negotiation.classroom.room import Classroom, Entry
from negotiation.model.documents import option_text
from negotiation.model.scenario import Scenario
from negotiation.render.escape import xml_text as e
from negotiation.render.roles import role_page, role_sheet
from negotiation.render.views import deadline_rows, document_rows, positions_matrix
from negotiation.teach.bargaining import PAGE, table_menus
from negotiation.teach.choices import SeatChoice
from negotiation.teach.counterparts import strategic_parties
from negotiation.teach.debrief import Debrief, debrief
from negotiation.teach.group import Group, Line, Prediction

CSS = """
*{box-sizing:border-box}
body{font:15px/1.4 system-ui,sans-serif;margin:0;color:#1f2937;background:#f8fafc}
main{max-width:1000px;margin:0 auto;padding:12px 16px}
h1{font-size:1.45em;margin:.3em 0}h2{font-size:1.15em;margin:1em 0 .3em}
h3{font-size:1em;margin:.6em 0 .2em}
table{border-collapse:collapse;width:100%;margin:.3em 0;table-layout:auto}
th,td{border:1px solid #cbd5e1;padding:3px 6px;text-align:left;vertical-align:top;
overflow-wrap:break-word;word-break:normal}
th{background:#e2e8f0}
.card{background:#fff;border:1px solid #cbd5e1;border-radius:6px;padding:8px 12px;margin:10px 0}
.cols{display:flex;gap:12px;flex-wrap:wrap}.cols>*{flex:1 1 300px;min-width:0}
.notice{border-left:5px solid #2563eb;background:#eff6ff;padding:6px 10px;margin:8px 0}
.refused{border-color:#dc2626;background:#fef2f2}.allowed{border-color:#16a34a;background:#f0fdf4}
.muted{color:#64748b}.turn{font-weight:bold;color:#15803d}
.log{max-height:22em;overflow-y:auto;font-size:.93em}
.log li{margin:2px 0}.k-clock{color:#b45309}.k-skipped{color:#b91c1c}.k-move{color:#1d4ed8}
.k-control,.k-pass{color:#64748b}
form.inline{display:inline}button{font:inherit;padding:3px 10px;margin:2px 0;cursor:pointer}
select,input[type=text]{font:inherit;max-width:100%}select{width:100%}
input[type=text]{width:100%}code{overflow-wrap:anywhere}
.link{font-family:monospace;font-size:.9em;overflow-wrap:anywhere}
.qr svg{display:block}table.parties td{vertical-align:middle}
table.menu button{width:100%;text-align:left;margin:0}table.menu td{vertical-align:middle}
table.menu td+td,table.menu th+th{white-space:nowrap;width:1%}
@media (min-width:1400px){body{font-size:19px}main{max-width:1300px}}
"""


@lru_cache(maxsize=2048)
def qr_svg(url: str) -> str:
    """A join link as a QR code, inline SVG (``segno``, of the classroom extra; empty
    without it). The SVG holds only the code's path: no text of the link."""
    try:
        import segno  # noqa: PLC0415 - optional: the page works without it
    except ImportError:  # pragma: no cover - the classroom extra has it
        return ""
    svg = segno.make(url, error="m").svg_inline(scale=3, dark="#111827", light="#ffffff")
    return f'<span class="qr" role="img" aria-label="QR code of the join link">{svg}</span>'


@dataclass(frozen=True)
class Notice:
    """What to say at the top of a page after a POST: a title and reasons."""

    title: str
    reasons: tuple[str, ...] = ()
    kind: str = ""  # "refused", "allowed" or ""


def layout(title: str, body: str, poll: str | None = None, version: int = 0) -> str:
    attrs = f' data-poll="{e(poll)}" data-version="{version}"' if poll else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{CSS}</style>"
        '<script src="/classroom.js" defer></script></head>'
        f"<body{attrs}><main>{body}</main></body></html>\n"
    )


def _notice(notice: Notice | None) -> str:
    if notice is None:
        return ""
    items = "".join(f"<li>{e(r)}</li>" for r in notice.reasons)
    listed = f"<ul>{items}</ul>" if items else ""
    return f'<div class="notice {notice.kind}" id="notice"><b>{e(notice.title)}</b>{listed}</div>'


def _hidden(csrf: str) -> str:
    return f'<input type="hidden" name="csrf" value="{e(csrf)}">'


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "") -> str:
    """A table; the cells are HTML already (escape before)."""
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><tr>{th}</tr>{body}</table>'


_KEEP = 1024
_KEPT: dict[tuple[str, ...], str] = {}
"""HTML kept by what it shows of which group after how many actions (a group's actions
are appended, never changed, so that count names its state): the seats of a group
reload their pages after each of its actions, and share its state and history. Keys
and values are strings (no state is held, for the garbage collector's sake); at most
``_KEEP``, the oldest dropped first."""


def _kept(key: tuple[str, ...], make: Callable[[], str]) -> str:
    found = _KEPT.get(key)
    if found is not None:
        return found
    text = make()
    if len(_KEPT) >= _KEEP:
        del _KEPT[next(iter(_KEPT))]
    _KEPT[key] = text
    return text


def _log(lines: Sequence[Line], last: int | None = None) -> str:
    shown = lines[-last:] if last else lines
    start = len(lines) - len(shown) + 1  # the numbers are the history's
    items = []
    for line in shown:
        who = f"<b>{e(line.seat)}</b>: " if line.seat else ""
        why = "".join(f"<br><span class='muted'>· {e(r)}</span>" for r in line.reasons)
        items.append(
            f'<li class="k-{line.kind}"><span class="muted">{line.day}</span> {who}'
            f"{e(line.text)}{why}</li>"
        )
    return f'<ol class="log" start="{start}">{"".join(items)}</ol>'


def _status(group: Group) -> str:
    waiting = ", ".join(group.waiting_for) or "nobody"
    turn = f" · waiting for {e(waiting)}" if group.status == "running" else ""
    return f"<b>{group.day}</b> · {e(group.status)}{turn}"


def _point(point: str, status: str, values: dict[str, str]) -> str:
    value = values.get(point)
    return f"{point}: {status}" + (f" at {value}" if value is not None else "")


def _on_the_table(offer: dict[str, object] | None) -> str:
    """The offer pending on a document, for the state's table (HTML; nothing if none)."""
    if not offer:
        return ""
    package = offer.get("package")
    terms = ", ".join(f"{k} {v}" for k, v in package.items()) if isinstance(package, dict) else ""
    return f"<br><b>on the table</b>: {e(str(offer.get('by')))} offers {e(terms)}"


def _tables(scenario: Scenario, group: Group) -> str:
    """The documents and deadlines as they stand."""
    docs = _table(
        ["document", "state", "points", "signed by"],
        (
            [
                f"{e(r['title'])} <span class='muted'>({e(r['id'])})</span>",
                e(r["state"]),
                e(", ".join(_point(k, v, r.get("values", {})) for k, v in r["points"].items()))
                + _on_the_table(r.get("offer")),
                e(", ".join(r["signed_by"])),
            ]
            for r in document_rows(scenario, group.state)
        ),
    )
    deadlines = _table(
        ["deadline", "status", "due", "days left"],
        (
            [e(r["id"]), e(r["status"]), e(r["due"] or "-"), e(str(r["days_left"] or "-"))]
            for r in deadline_rows(scenario, group.state)
        ),
    )
    return f"<h3>Documents</h3>{docs}<h3>Deadlines</h3>{deadlines}"


def _positions(scenario: Scenario, group: Group, me: str | None) -> str:
    """Each party's stances, ``me`` in bold."""
    m = positions_matrix(scenario, group.state)
    rows = [
        [f"<b>{e(p)}</b>" if p == me else e(p), *(e(m.cells[p][t]) for t in m.targets)]
        for p in m.parties
    ]
    return _table(["party", *(e(t) for t in m.targets)], rows)


# -- the instructor -------------------------------------------------------------------------


def instructor_page(room: Classroom, base: str, csrf: str, notice: Notice | None = None) -> str:
    sc = room.engine.scenario
    me = f"/instructor/{room.instructor}"
    kinds = {x.party: x.kind.value for x in sc.strategies}
    usable = set(strategic_parties(room.engine))
    rows = []
    for p in sc.parties:
        box = f'<label><input type="checkbox" name="party" value="{e(p.id)}"> a student</label>'
        other = "follows the script"
        if p.id in usable:
            other = (
                f'<select name="as-{e(p.id)}" aria-label="{e(p.id)} if no student plays it">'
                '<option value="script">follows the script</option>'
                f'<option value="strategy">follows its strategy ({e(kinds[p.id])})</option>'
                "</select>"
            )
        rows.append([f"{e(p.name)} <span class='muted'>({e(p.id)})</span>", box, other])
    parties = _table(["party", "played by", "else"], rows, "parties")
    create = (
        f'<form method="post" action="{me}/groups" class="card" id="create">{_hidden(csrf)}'
        "<h2>New group</h2><label>Name <input type='text' name='name' maxlength='80'></label>"
        f"<p>Who plays each party: a student, or else the scenario's script or the party's "
        f"declared strategy (an assumption: it answers the students' offers).</p>{parties}"
        '<p><label><input type="checkbox" name="predict" value="on"> Predictions: each '
        "student predicts before the clock moves</label></p>"
        "<button type='submit'>Create group</button></form>"
    )
    cards = "".join(_group_card(room, entry, base, csrf) for entry in room.groups.values())
    links = (
        f'<p><a href="{me}/debrief" id="debrief-link">Debrief</a> · '
        f'<a href="{me}/export.csv">Export CSV</a> · <a href="{me}/export.json">Export JSON</a></p>'
    )
    body = (
        f"<h1>Classroom: {e(sc.title)}</h1>{links}{_notice(notice)}{create}"
        f"<h2>Groups ({len(room.groups)})</h2>{cards or '<p>No group yet.</p>'}"
    )
    return layout(f"Instructor: {sc.title}", body, f"{me}/version", room.version)


def _group_card(room: Classroom, entry: Entry, base: str, csrf: str) -> str:
    g = entry.group
    action = f"/instructor/{room.instructor}/groups/{entry.id}"
    buttons = "".join(
        f'<button name="do" value="{do}">{label}</button> '
        for do, label in (
            ("start", "Start"),
            ("pause", "Pause"),
            ("advance", "Advance clock"),
            ("end", "End"),
        )
    )
    controls = (
        f'<form method="post" action="{action}" class="inline">{_hidden(csrf)}{buttons}</form>'
    )
    seats = _table(
        ["seat", "join link", "scan", "done today"],
        (
            [
                e(party),
                f'<a class="link" href="/seat/{e(token)}">{e(base)}seat/{e(token)}</a>'
                f' · <a href="/seat/{e(token)}/role">role sheet</a>',
                qr_svg(f"{base}seat/{token}"),
                "yes" if party in g.done else "",
            ]
            for party, token in entry.row.tokens.items()
        ),
        "seats",
    )
    others = [
        f"{e(p)}: {'its strategy' if p in entry.row.strategic else 'the script'}"
        for p in (x.id for x in g.engine.scenario.parties)
        if p not in g.seats
    ]
    played = f"<p class='muted'>Other parties: {', '.join(others) or 'none'}"
    played += " · predictions on</p>" if g.predict else "</p>"
    docs = ", ".join(f"{e(d)}: <b>{e(s.state)}</b>" for d, s in g.state.documents.items())
    lines = ", ".join(
        f"{e(d)}: <b>{e(s.status.value)}</b> (due {s.due or '-'})"
        for d, s in g.state.deadlines.items()
    )
    return (
        f'<section class="card" id="group-{entry.id}"><h3>{e(entry.name)} '
        f"<span class='muted'>#{entry.id}</span></h3><p>{_status(g)}</p>{played}{controls}{seats}"
        f"<p>{docs}</p><p>{lines}</p>{_log(g.log, 6)}</section>"
    )


def debrief_page(room: Classroom) -> str:
    entries = list(room.groups.values())
    results = [outcome(x) for x in entries]
    head = ["", *(f"{e(x.name)} <span class='muted'>#{x.id}</span>" for x in entries)]
    rows: list[list[str]] = [
        ["students", *(e(", ".join(r["seats"])) for r in results)],
        ["status", *(e(r["status"]) for r in results)],
        ["day reached", *(e(r["day"]) for r in results)],
        ["moves / passes", *(f"{r['moves']} / {r['passes']}" for r in results)],
    ]
    if any(x.group.predictions for x in entries):
        rows.append(["predictions right", *(_score(x.group) for x in entries)])
    docs = list(dict.fromkeys(k for r in results for k in r["documents"]))
    rows += [[e(d), *(e(r["documents"].get(d, "-")) for r in results)] for d in docs]
    deadlines = list(dict.fromkeys(k for r in results for k in r["deadlines"]))
    rows += [[e(d), *(e(_deadline(r["deadlines"].get(d))) for r in results)] for d in deadlines]
    me = f"/instructor/{room.instructor}"
    rows += _debrief_rows([debrief(x.group) for x in entries])
    rows.append(
        [
            "report",
            *(f'<a href="{me}/groups/{x.id}/report.html" download>download</a>' for x in entries),
        ]
    )
    table = _table(head, rows, "outcomes")
    histories = "".join(
        f'<section class="card"><h3>{e(x.name)} #{x.id}: history</h3>'
        f"{_predictions(x.group)}{_log(x.group.log)}</section>"
        for x in entries
    )
    body = (
        f"<h1>Debrief: {e(room.engine.scenario.title)}</h1>"
        f'<p><a href="{me}">Back to the groups</a> · <a href="{me}/export.csv">CSV</a> · '
        f'<a href="{me}/export.json">JSON</a></p>'
        f"<h2>Outcomes side by side</h2>{table}<h2>Each group's history</h2>{histories}"
    )
    return layout("Debrief", body, f"{me}/version", room.version)


def _debrief_rows(found: Sequence[Debrief]) -> list[list[str]]:
    """The agreement day of each group's main document, against each deadline's due
    date, and each party's utility against its BATNA (see ``teach.debrief``)."""
    docs = {d.document for d in found if d.document}
    if not docs:
        return []
    rows = [["main document", *(e(d.document or "-") for d in found)]]
    rows.append(["agreement day", *(e(d.agreement) for d in found)])
    deadlines = list(dict.fromkeys(m.deadline for d in found for m in d.deadlines))
    for name in deadlines:
        cells = [next((m.against for m in d.deadlines if m.deadline == name), "-") for d in found]
        rows.append([f"agreed vs {e(name)}", *(e(c) for c in cells)])
    parties = list(dict.fromkeys(s.party for d in found for s in d.standings))
    for party in parties:
        cells = [next((s.words for s in d.standings if s.party == party), "-") for d in found]
        rows.append([f"{e(party)}: utility vs BATNA", *(e(c) for c in cells)])
    others = list(dict.fromkeys(o.document for d in found for o in d.others))
    for doc in others:
        mine = [next((o for o in d.others if o.document == doc), None) for d in found]
        rows.append([f"{e(doc)}: agreement day", *(e(o.agreement if o else "-") for o in mine)])
        who = list(dict.fromkeys(s.party for o in mine if o for s in o.standings))
        for party in who:
            cells = [
                next((s.words for s in o.standings if s.party == party), "-") if o else "-"
                for o in mine
            ]
            rows.append([f"{e(doc)}: {e(party)}: utility vs BATNA", *(e(c) for c in cells)])
    return rows


def _score(g: Group) -> str:
    """Each seat's predictions right, of those scored (each seat is asked its own)."""
    if not g.predict:
        return "-"
    out = []
    for seat in g.seats:
        scored = [p for p in g.predictions if p.seat == seat and p.right is not None]
        out.append(f"{e(seat)} {sum(1 for p in scored if p.right)} of {len(scored)}")
    return "<br>".join(out)


def _predictions(g: Group) -> str:
    """A group's predictions against what happened (nothing when it made none)."""
    if not g.predictions:
        return ""
    rows = [
        [
            str(p.day),
            e(p.seat),
            f"{e(p.question.about)} (was {e(p.question.current)})",
            e(p.answer),
            e(p.actual or "not yet"),
            "" if p.right is None else ("right" if p.right else "wrong"),
        ]
        for p in g.predictions
    ]
    head = ["day", "seat", "about", "predicted", "happened", ""]
    return f"<h4>Predictions vs what happened</h4>{_table(head, rows, 'predictions')}"


def _deadline(d: dict[str, str | None] | None) -> str:
    if d is None:
        return "-"
    return f"{d['status']} (due {d['due'] or '-'})"


# -- the student ----------------------------------------------------------------------------


def seat_page(
    room: Classroom,
    entry: Entry,
    party: str,
    token: str,
    csrf: str,
    notice: Notice | None = None,
    page: int = 0,
) -> str:
    """A student's page; ``page``: which page of offers the package lists show."""
    g = entry.group
    sc = g.engine.scenario
    me = f"/seat/{token}"
    who = next(p for p in sc.parties if p.id == party)
    kept = (room.instructor, str(entry.id), str(len(g.actions)))  # this group, this state
    if party in g.waiting_for:
        turn = '<p class="turn" id="turn">Your turn: make one move or pass.</p>'
    elif g.status == "running":
        others = e(", ".join(g.waiting_for))
        turn = f'<p class="muted" id="turn">You have acted; waiting for {others}.</p>'
    else:
        turn = f'<p class="muted" id="turn">The group is {e(g.status)}.</p>'
    body = (
        f"<h1>You play {e(who.name)} <span class='muted'>({e(party)})</span></h1>"
        f"<p>{e(entry.name)} · {e(sc.title)} · {_status(g)}</p>{turn}{_notice(notice)}"
        f"{_predict(g, party, me, csrf)}"
        f'<div class="cols"><div>{_packages(g, party, me, csrf, page)}{_moves(g, party, me, csrf)}'
        f"{_my_predictions(g, party)}"
        f"<h2>Timeline so far</h2>{_kept((*kept, 'log'), lambda: _log(g.log))}</div>"
        f'<div><h2>Your role sheet</h2><p><a href="{me}/role" id="role-link">Printable '
        f"role sheet</a></p>{role_sheet(sc, party)}</div></div>"
        f"<h2>Where things stand</h2>{_kept((*kept, 'state'), lambda: _tables(sc, g))}"
        f"<h3>Positions</h3>{_kept((*kept, party), lambda: _positions(sc, g, party))}"
    )
    return layout(f"{who.name}: {entry.name}", body, f"{me}/version", len(g.actions))


@lru_cache(maxsize=1024)
def _options(choices: tuple[SeatChoice, ...], titles: tuple[tuple[str, str], ...]) -> str:
    """The legal moves as a select's options, grouped by document (kept: groups in one
    state have the same moves)."""
    named = dict(titles)
    groups: dict[str, list[str]] = {}
    for c in choices:
        groups.setdefault(c.about, []).append(c.label)
    return "".join(
        f'<optgroup label="{e(named.get(about, about or "other"))}">'
        + "".join(f'<option value="{e(m)}">{e(m)}</option>' for m in moves)
        + "</optgroup>"
        for about, moves in groups.items()
    )


def _offer_hint(g: Group, party: str) -> str:
    """How to type an offer, from the first document whose points have options (nothing
    if none has)."""
    for doc in g.engine.scenario.documents:
        points = [p for p in (doc.points if doc.points != "unknown" else []) if p.options]
        if points:
            first = option_values(points[0])[0]
            example = f"{party} offers {doc.id} {points[0].id} {option_text(first)}"
            return (
                f"<p class='muted'>Offers: <code>{e(example)}</code> (one option per point, "
                f"points separated by commas); <code>{e(party)} counters {e(doc.id)} ...</code>"
                f"; <code>{e(party)} accepts the offer on {e(doc.id)}</code>.</p>"
            )
    return ""


def _predict(g: Group, party: str, me: str, csrf: str) -> str:
    """The question the seat answers before it moves (nothing when none)."""
    q = g.must_predict(party)
    if q is None:
        return ""
    options = '<option value="same">same (it will not change)</option>' + "".join(
        f'<option value="{e(c)}">{e(c)}</option>' for c in q.choices
    )
    return (
        f'<form method="post" action="{me}/act" id="predict" class="card notice">'
        f"{_hidden(csrf)}<h2>Predict first</h2><p>Before the clock moves on: what will "
        f"<b>{e(q.about)}</b> be at the next stop? It is <b>{e(q.current)}</b> now.</p>"
        f'<select name="move" id="prediction" aria-label="your prediction">{options}</select>'
        '<button name="do" value="predict">Predict</button></form>'
    )


def _verdict(p: Prediction) -> str:
    if p.actual is None:
        return "to be seen"
    return f"it was {p.actual}: {'right' if p.right else 'wrong'}"


def _my_predictions(g: Group, party: str) -> str:
    mine = [p for p in g.predictions if p.seat == party]
    if not mine:
        return ""
    items = "".join(
        f"<li><span class='muted'>{p.day}</span> {e(p.question.about)}:"
        f" you said {e(p.answer)}; {e(_verdict(p))}</li>"
        for p in mine
    )
    right = sum(1 for p in mine if p.right)
    scored = sum(1 for p in mine if p.actual is not None)
    return f"<h2>Your predictions ({right} of {scored} right)</h2><ul>{items}</ul>"


def _packages(g: Group, party: str, me: str, csrf: str, page: int) -> str:
    """The seat's offers as packages, with its utility against its BATNA, and its
    responses to the offer on the table: ``teach.bargaining``'s menu of each document
    the scenario declares a strategy of the seat's party for (nothing for others; the
    list only on the seat's turn). Each entry posts its move like a typed one."""
    if party not in g.waiting_for:
        return ""
    out = []
    for t in table_menus(g.engine, g.state, party, g.choice_cache):
        m = t.menu
        number = min(max(page, 0), m.pages - 1)
        rows, refused = [], ""
        offers = m.page(number)
        first = t.words(offers[0]) if offers else None
        reasons = g.why(party, first) if first else ()
        if reasons:  # an offer is refused now (say why once, list none)
            refused = f"<p class='muted'>No offer now: {e('; '.join(reasons))}</p>"
            offers = ()
        for c in (*m.responses, *offers):
            words = t.words(c)
            if words is None or (c.move.kind is not MoveKind.offer and g.why(party, words)):
                continue
            rows.append(
                [
                    f'<button name="move" value="{e(words)}">{e(c.words)}</button>',
                    f"{c.utility:.3f}",
                    f"{c.utility - m.batna:+.3f}",
                ]
            )
        more = len(m.offers) - (number + 1) * PAGE
        links = []
        if number:
            links.append(f'<a href="{me}?page={number - 1}#packages">previous</a>')
        if more > 0:
            links.append(f'<a href="{me}?page={number + 1}#packages" class="more">'
                         f"{more} more offers</a>")  # fmt: skip
        table = f"on the table: {e(m.table)}" if m.table else "nothing on the table"
        out.append(
            f'<form method="post" action="{me}/act" class="packages" '
            f'data-document="{e(t.document)}">{_hidden(csrf)}'
            f'<input type="hidden" name="do" value="move">'
            f"<h3>{e(t.document)}: {table}</h3>"
            f"<p class='muted'>Your BATNA {m.batna:.3f}; offers best for you first (page "
            f"{number + 1} of {m.pages}).</p>{refused}"
            + _table(["move", "your utility", "vs BATNA"], rows, "menu")
            + f"<p>{' · '.join(links)}</p></form>"
        )
    if not out:
        return ""
    return f'<section id="packages"><h2>Your packages</h2>{"".join(out)}</section>'


def _moves(g: Group, party: str, me: str, csrf: str) -> str:
    """The seat's legal moves to choose from (on its turn only: they are computed for
    the state, which the other seats' moves change meanwhile), a move to type and
    check, and a pass."""
    act = f"{me}/act"
    choose = "<p class='muted' id='choose'>Your legal moves show on your turn.</p>"
    if party in g.waiting_for:
        titles = tuple((d.id, d.title) for d in g.engine.scenario.documents)
        options = _options(g.choices(party), titles)
        choose = (
            f'<form method="post" action="{act}" id="choose">{_hidden(csrf)}'
            f'<select name="move" id="legal" size="8">{options}</select>'
            '<button name="do" value="move">Make this move</button> '
            '<button name="do" value="why">Why?</button></form>'
        )
    return (
        f"<h2>Your moves</h2>{choose}"
        f'<form method="post" action="{act}" id="type">{_hidden(csrf)}'
        "<label>Or type any move (it is checked, and refused with the reasons if illegal):"
        f'<input type="text" name="move" id="move" maxlength="300" '
        f'placeholder="{e(party)} signs DOCUMENT"></label>{_offer_hint(g, party)}'
        '<button name="do" value="move">Make this move</button> '
        '<button name="do" value="why">Why (not)?</button></form>'
        f'<form method="post" action="{act}" id="pass">{_hidden(csrf)}'
        '<button name="do" value="pass">Pass this turn</button></form>'
    )


def seat_role_page(entry: Entry, party: str, token: str) -> str:
    """The seat's role sheet as a printable page."""
    return role_page(entry.group.engine.scenario, party, f"/seat/{token}")


def error_page(status: int, message: str) -> str:
    return layout(f"{status}", f"<h1>{status}</h1><p>{e(message)}</p>")
