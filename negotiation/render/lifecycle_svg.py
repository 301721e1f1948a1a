"""Lifecycle panels drawn as SVG by our own code, on a deterministic layout.

Layout of one panel:

* *exits* (absorbing states entered from three or more states, such as ``rejected`` or
  ``lapsed``) stand in a column on the right, each level with the states it is entered
  from; their many incoming moves are labelled once, beside them;
* every other state stands in a row by its longest-path depth from the initial state
  (back edges, found by a depth-first search in declaration order, are left out of
  the depth), ordered within a row by one barycentre pass over the row above (ties by
  declaration order);
* moves to the next row go straight down; moves that skip rows bend to the left; moves
  back up bend to the right; a move that stays in its state is a small loop.

Equal inputs give equal bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from negotiation.model.lifecycles import LifecycleSpec
from negotiation.render.escape import xml_text


@dataclass(frozen=True)
class TransitionEdge:
    source: str
    dest: str
    triggers: tuple[str, ...]
    steps: tuple[int, ...] = ()  # the 1-based order in which the run took it

    @property
    def label(self) -> str:
        text = " / ".join(self.triggers)
        if self.steps:
            text = ",".join(str(s) for s in self.steps) + ": " + text
        return text


@dataclass(frozen=True)
class Panel:
    document: str
    title: str
    spec: LifecycleSpec
    edges: tuple[TransitionEdge, ...]
    visited: tuple[str, ...]
    current: str


NODE_W, NODE_H, COL, ROW, PAD, HEAD = 150, 30, 180, 70, 24, 44
TAKEN, PLAIN, VISITED, CURRENT = "#c2410c", "#9aa0a6", "#dbeafe", "#1d4ed8"
EXIT_SOURCES = 3

Point = tuple[float, float]


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _curve(*xy: float) -> str:
    """A cubic Bezier path: start point, two control points, end point."""
    n = [_num(v) for v in xy]
    return f"M {n[0]} {n[1]} C {n[2]} {n[3]} {n[4]} {n[5]} {n[6]} {n[7]}"


def exits(spec: LifecycleSpec, edges: tuple[TransitionEdge, ...]) -> list[str]:
    """Absorbing states entered from ``EXIT_SOURCES`` or more other states."""
    return [
        s
        for s in spec.states
        if s in spec.absorbing
        and len({e.source for e in edges if e.dest == s and e.source != s}) >= EXIT_SOURCES
    ]


def _back_edges(spec: LifecycleSpec, succ: dict[str, list[str]]) -> set[tuple[str, str]]:
    """Edges that close a cycle, by depth-first search from the initial state (then from
    every state not yet seen), successors in declaration order."""
    back: set[tuple[str, str]] = set()
    seen: set[str] = set()
    for root in [spec.initial] + [s for s in spec.states if s != spec.initial]:
        if root in seen or root not in succ:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        on_path: list[str] = []
        seen.add(root)
        while stack:
            node, i = stack.pop()
            if i == 0:
                on_path.append(node)
            if i == len(succ[node]):
                on_path.pop()
                continue
            stack.append((node, i + 1))
            nxt = succ[node][i]
            if nxt in on_path:
                back.add((node, nxt))
            elif nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, 0))
    return back


def layers(
    spec: LifecycleSpec, edges: tuple[TransitionEdge, ...], skip: set[str]
) -> list[list[str]]:
    """The rows of the states not in ``skip`` (see the module docstring)."""
    states = [s for s in spec.states if s not in skip]
    inner = [e for e in edges if e.source != e.dest and e.source in states and e.dest in states]
    succ: dict[str, list[str]] = {s: [] for s in states}
    for e in inner:
        succ[e.source].append(e.dest)
    back = _back_edges(spec, succ)
    depth = dict.fromkeys(states, 0)
    for _ in states:  # relaxation: at most |states| rounds on a DAG
        for e in inner:
            if (e.source, e.dest) not in back:
                depth[e.dest] = max(depth[e.dest], depth[e.source] + 1)
    rows: list[list[str]] = [[] for _ in range(max(depth.values(), default=0) + 1)]
    for s in states:
        rows[depth[s]].append(s)
    order = {s: i for i, s in enumerate(spec.states)}
    for r in range(1, len(rows)):
        above = {s: i for i, s in enumerate(rows[r - 1])}

        def centre(s: str, above: dict[str, int] = above) -> tuple[float, int]:
            xs = [above[e.source] for e in inner if e.dest == s and e.source in above]
            return (sum(xs) / len(xs) if xs else float(len(above)), order[s])

        rows[r].sort(key=centre)
    return rows


def place(p: Panel, top: float) -> tuple[dict[str, Point], list[str], float, float]:
    """Node centres, the exit states, and the panel's width and height."""
    side = exits(p.spec, p.edges)
    rows = layers(p.spec, p.edges, set(side))
    widest = max((len(r) for r in rows), default=1)
    mx = PAD + 110 + (widest - 1) * COL / 2 + NODE_W / 2
    pos: dict[str, Point] = {}
    for r, row in enumerate(rows):
        for i, s in enumerate(row):
            pos[s] = (mx + (i - (len(row) - 1) / 2) * COL, top + HEAD + r * ROW + NODE_H / 2)
    sx = mx + (widest - 1) * COL / 2 + NODE_W + 150
    wanted = []
    for s in side:
        ys = [pos[e.source][1] for e in p.edges if e.dest == s and e.source in pos]
        wanted.append((sum(ys) / len(ys) if ys else top + HEAD, s))
    floor = top + HEAD + NODE_H / 2
    for y, s in sorted(wanted):
        floor = max(y, floor)
        pos[s] = (sx, floor)
        floor += NODE_H + 16
    bottom = max(y for _, y in pos.values()) + NODE_H / 2
    width = (sx + NODE_W / 2 + 40) if side else (mx + (widest - 1) * COL / 2 + NODE_W + 120)
    return pos, side, width, bottom - top + PAD


def _edge(e: TransitionEdge, pos: dict[str, Point], side: list[str]) -> list[str]:
    (x1, y1), (x2, y2) = pos[e.source], pos[e.dest]
    cls = "taken" if e.steps else "move"
    hw, hh = NODE_W / 2, NODE_H / 2
    span = abs(y2 - y1) / ROW
    label: Point | None
    if e.source == e.dest:
        d = _curve(x1 + hw, y1 - 6, x1 + hw + 34, y1 - 26, x1 + hw + 34, y1 + 26, x1 + hw, y1 + 6)
        label = (x1 + hw + 40, y1 + 4)
    elif e.dest in side:
        d = _curve(x1 + hw, y1, x1 + hw + 70, y1, x2 - hw - 70, y2, x2 - hw, y2)
        label = (x2 - hw - 52, y2 - 12) if e.steps else None
    elif y2 > y1 and span < 1.5:
        d = _curve(x1, y1 + hh, x1, y1 + hh + 20, x2, y2 - hh - 20, x2, y2 - hh)
        label = ((x1 + x2) / 2, (y1 + y2) / 2 + 4)
    elif y2 > y1:  # skips rows: bend to the left
        bend = min(x1, x2) - hw - 24 - 16 * span
        d = _curve(x1 - hw, y1, bend, y1, bend, y2, x2 - hw, y2)
        label = (bend + 2, (y1 + y2) / 2 + 4)
    else:  # back up (or along a row): bend to the right
        bend = max(x1, x2) + hw + 24 + 14 * span
        d = _curve(x1 + hw, y1, bend, y1, bend, y2, x2 + hw, y2)
        label = (bend - 2, (y1 + y2) / 2 + 4)
    out = [f'<path d="{d}" class="{cls}" marker-end="url(#arrow-{cls})">'
           f"<title>{xml_text(e.label)}</title></path>"]  # fmt: skip
    if label is not None:
        w = 5.6 * len(e.label) + 8
        out.append(
            f'<rect x="{_num(label[0] - w / 2)}" y="{_num(label[1] - 10)}" width="{_num(w)}" '
            f'height="13" class="label-bg"/><text x="{_num(label[0])}" y="{_num(label[1])}" '
            f'class="{cls}-label">{xml_text(e.label)}</text>'
        )
    return out


def panel(p: Panel, top: float) -> tuple[list[str], float, float]:
    """One panel's SVG elements, its width and its height."""
    pos, side, width, height = place(p, top)
    parts = [
        f'<g class="panel" data-document="{xml_text(p.document)}">',
        f'<text x="{PAD}" y="{_num(top + 20)}" class="title">{xml_text(p.document)}: '
        f"{xml_text(p.title)} (lifecycle {xml_text(p.spec.id)})</text>",
    ]
    for e in sorted(p.edges, key=lambda e: bool(e.steps)):  # taken moves on top
        parts += _edge(e, pos, side)
    for s in side:
        triggers = sorted({t for e in p.edges if e.dest == s for t in e.triggers})
        x, y = pos[s]
        parts.append(
            f'<text x="{_num(x + NODE_W / 2 + 6)}" y="{_num(y + 4)}" class="exit-label">'
            f"{xml_text(' / '.join(triggers))}</text>"
        )
    for s in p.spec.states:
        x, y = pos[s]
        cls = "current" if s == p.current else "visited" if s in p.visited else "state"
        rx = 15 if s in p.spec.absorbing else 5
        parts.append(
            f'<rect x="{_num(x - NODE_W / 2)}" y="{_num(y - NODE_H / 2)}" width="{NODE_W}" '
            f'height="{NODE_H}" rx="{rx}" class="{cls}"><title>{xml_text(s)}</title></rect>'
            f'<text x="{_num(x)}" y="{_num(y + 4)}" class="{cls}-text">{xml_text(s)}</text>'
        )
    parts.append("</g>")
    return parts, width, height


STYLE = f"""
text {{ font-family: Helvetica, Arial, sans-serif; font-size: 11px; text-anchor: middle; }}
text.title {{ font-size: 14px; font-weight: bold; text-anchor: start; }}
text.note {{ font-size: 11px; fill: #374151; text-anchor: start; }}
text.exit-label {{ font-size: 10px; fill: #6b7280; text-anchor: start; }}
rect.state {{ fill: #ffffff; stroke: #6b7280; stroke-width: 1; }}
rect.visited {{ fill: {VISITED}; stroke: {CURRENT}; stroke-width: 2; }}
rect.current {{ fill: {CURRENT}; stroke: #1e3a8a; stroke-width: 3; }}
text.current-text {{ fill: #ffffff; font-weight: bold; }}
path.move {{ fill: none; stroke: {PLAIN}; stroke-width: 1; }}
path.taken {{ fill: none; stroke: {TAKEN}; stroke-width: 3; }}
rect.label-bg {{ fill: #ffffff; opacity: 0.85; }}
text.move-label {{ fill: #6b7280; font-size: 9px; }}
text.taken-label {{ fill: {TAKEN}; font-size: 10px; font-weight: bold; }}
"""


def draw(panels: list[Panel], title: str) -> str:
    """A standalone SVG document of the panels, stacked top to bottom."""
    body: list[str] = []
    top, width = 58.0, 640.0
    for p in panels:
        parts, w, h = panel(p, top)
        body += parts
        top += h + 16
        width = max(width, w)
    markers = "".join(
        f'<marker id="arrow-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" '
        f'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        f'<path d="M 0 0 L 10 5 L 0 10 z" fill="{colour}"/></marker>'
        for name, colour in (("move", PLAIN), ("taken", TAKEN))
    )
    note = (
        "Bold numbered moves were made in the run (in that order); filled states were "
        "visited; the dark state is where each document ended."
    )
    sw, sh = _num(width), _num(top + 8)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{sw}" height="{sh}" '
        f'viewBox="0 0 {sw} {sh}" role="img">\n'
        f"<title>{xml_text(title)}: lifecycles and the path taken</title>\n"
        f"<defs>{markers}<style>{STYLE}</style></defs>\n"
        '<rect width="100%" height="100%" fill="#ffffff"/>\n'
        f'<text x="{PAD}" y="22" class="title">{xml_text(title)}</text>\n'
        f'<text x="{PAD}" y="40" class="note">{xml_text(note)}</text>\n'
        + "\n".join(body)
        + "\n</svg>\n"
    )
