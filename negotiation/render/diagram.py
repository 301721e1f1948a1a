"""Lifecycle diagrams with the path a run took: Mermaid, Graphviz DOT, and SVG.

One panel per document: its lifecycle's states and moves (from the ``LifecycleSpec``;
a ``*`` source is drawn from every non-absorbing state, and moves between the same two
states share one edge), the states the document visited marked, the moves it made
drawn bold and numbered in the order it made them, and the state it ended in outlined.

The SVG is drawn by ``lifecycle_svg`` (no Graphviz needed) on a deterministic layout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from negotiation.model.events import DOCUMENT_TRIGGERS
from negotiation.model.lifecycles import LifecycleSpec
from negotiation.model.trace import TraceEntry
from negotiation.render import lifecycle_svg
from negotiation.render.escape import dot_text, mermaid_label
from negotiation.render.lifecycle_svg import Panel, TransitionEdge
from negotiation.runtime.engine import Engine

Step = tuple[str, str, str | None, dt.date]
"""One move a document made: (from state, to state, trigger if known, day)."""


def paths_from_entries(entries: Iterable[TraceEntry]) -> dict[str, list[Step]]:
    """Every document's moves in a run, from the trace's ``document X`` changes."""
    out: dict[str, list[Step]] = {}
    for e in entries:
        trigger = DOCUMENT_TRIGGERS.get(e.event_kind or "")
        for c in e.changes:
            head, _, doc = c.what.partition(" ")
            if head == "document" and doc and " " not in doc and c.before and c.after:
                out.setdefault(doc, []).append((c.before, c.after, trigger, e.date))
    return out


def _edges(spec: LifecycleSpec, steps: list[Step]) -> tuple[TransitionEdge, ...]:
    grouped: dict[tuple[str, str], list[str]] = {}
    for t in spec.transitions:
        for s in spec.sources(t):
            triggers = grouped.setdefault((s, t.dest), [])
            if t.trigger not in triggers:
                triggers.append(t.trigger)
    taken: dict[tuple[str, str], list[int]] = {}
    for n, (a, b, trigger, _) in enumerate(steps, 1):
        taken.setdefault((a, b), []).append(n)
        made = grouped.get((a, b), [])
        if trigger in made:  # the move actually made is named first
            made.remove(trigger)
            made.insert(0, trigger)
    return tuple(
        TransitionEdge(s, d, tuple(ts), tuple(taken.get((s, d), ())))
        for (s, d), ts in grouped.items()
    )


def panels(engine: Engine, paths: dict[str, list[Step]], documents: list[str]) -> list[Panel]:
    """One panel per document, in the order given."""
    out = []
    for doc_id in documents:
        doc = engine.documents[doc_id]
        spec = engine.lifecycles[doc.lifecycle].spec
        steps = paths.get(doc_id, [])
        first = doc.initial_state or spec.initial
        visited = [first] + [b for _, b, _, _ in steps]
        out.append(
            Panel(
                document=doc_id,
                title=doc.title,
                spec=spec,
                edges=_edges(spec, steps),
                visited=tuple(dict.fromkeys(visited)),
                current=visited[-1],
            )
        )
    return out


# -- Mermaid and DOT -------------------------------------------------------------------------


def mermaid(panel_list: list[Panel], title: str) -> str:
    """A Mermaid flowchart: one subgraph per document; taken moves bold and numbered."""
    lines = [f"%% lifecycles and the path taken: {mermaid_label(title)}", "flowchart TD"]
    links: list[int] = []
    count = 0
    visited: list[str] = []
    current: list[str] = []
    for p in panel_list:
        head = f"{mermaid_label(p.document)}: {mermaid_label(p.title)}"
        lines.append(f'  subgraph {p.document}["{head}"]')
        lines.append("    direction TB")
        for s in p.spec.states:
            name = mermaid_label(s)
            shape = f'(["{name}"])' if s in p.spec.absorbing else f'("{name}")'
            lines.append(f"    {p.document}__{s}{shape}")
        for e in p.edges:
            arrow = "==>" if e.steps else "-->"
            lines.append(
                f'    {p.document}__{e.source} {arrow}|"{mermaid_label(e.label)}"| '
                f"{p.document}__{e.dest}"
            )
            if e.steps:
                links.append(count)
            count += 1
        lines.append("  end")
        visited += [f"{p.document}__{s}" for s in p.visited if s != p.current]
        current.append(f"{p.document}__{p.current}")
    lines.append("  classDef visited fill:#dbeafe,stroke:#1d4ed8,stroke-width:2px")
    lines.append("  classDef current fill:#1d4ed8,stroke:#1e3a8a,color:#ffffff,stroke-width:3px")
    if visited:
        lines.append(f"  class {','.join(visited)} visited")
    if current:
        lines.append(f"  class {','.join(current)} current")
    if links:
        lines.append(f"  linkStyle {','.join(map(str, links))} stroke:#c2410c,stroke-width:3px")
    return "\n".join(lines) + "\n"


def dot(panel_list: list[Panel], title: str) -> str:
    """Graphviz DOT: one cluster per document; taken moves bold and numbered."""
    lines = [
        "digraph lifecycles {",
        f'  label="{dot_text(title)}: lifecycles and the path taken";',
        "  labelloc=t; rankdir=TB; fontname=Helvetica;",
        '  node [shape=box, style="rounded,filled", fillcolor=white, fontname=Helvetica];',
        "  edge [color=gray55, fontname=Helvetica, fontsize=10];",
    ]
    for p in panel_list:
        lines.append(f"  subgraph cluster_{p.document} {{")
        lines.append(f'    label="{dot_text(p.document)}: {dot_text(p.title)}";')
        for s in p.spec.states:
            attrs = []
            if s == p.current:
                attrs.append('fillcolor="#1d4ed8", fontcolor=white, penwidth=3')
            elif s in p.visited:
                attrs.append('fillcolor="#dbeafe", color="#1d4ed8", penwidth=2')
            if s in p.spec.absorbing:
                attrs.append("peripheries=2")
            extra = f", {', '.join(attrs)}" if attrs else ""
            lines.append(f'    {p.document}__{s} [label="{dot_text(s)}"{extra}];')
        for e in p.edges:
            style = ', color="#c2410c", penwidth=3, fontcolor="#c2410c"' if e.steps else ""
            a, b = f"{p.document}__{e.source}", f"{p.document}__{e.dest}"
            lines.append(f'    {a} -> {b} [label="{dot_text(e.label)}"{style}];')
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- SVG ---------------------------------------------------------------------------------------


def svg(panel_list: list[Panel], title: str) -> str:
    """A standalone SVG of the panels, stacked; valid XML, no external resources."""
    return lifecycle_svg.draw(panel_list, title)
