"""``negotiation diagram``: lifecycles with the path taken, as Mermaid, DOT and our SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from negotiation.model.lifecycles import DEFAULT_DOCUMENT_LIFECYCLE
from negotiation.render import diagram
from negotiation.render.lifecycle_svg import exits, layers
from negotiation.runtime.engine import Engine
from negotiation.teach.script import recorded_frames
from tests.conftest import CHOICES, SEED, invoke

SVG = "{http://www.w3.org/2000/svg}"


def panels_of(engine: Engine) -> list[diagram.Panel]:
    frames = recorded_frames(engine)
    paths = diagram.paths_from_entries(e for f in frames for e in f.entries)
    return diagram.panels(engine, paths, [d.id for d in engine.scenario.documents])


def test_the_path_taken_is_read_from_the_trace(seed_engine: Engine) -> None:
    panels = {p.document: p for p in panels_of(seed_engine)}
    plan = panels["twenty_point_plan"]
    assert plan.visited == ("drafted", "proposed", "under_negotiation")
    assert plan.current == "under_negotiation"
    taken = {(e.source, e.dest): e for e in plan.edges if e.steps}
    assert set(taken) == {("drafted", "proposed"), ("proposed", "under_negotiation")}
    assert taken[("drafted", "proposed")].label == "1: derive / propose"  # the move made first
    assert taken[("proposed", "under_negotiation")].steps == (2,)
    assert panels["security_guarantees"].visited == ("drafted",)


def test_mermaid_highlights_the_path() -> None:
    result = invoke("diagram", "-s", SEED, "--document", "twenty_point_plan")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("%% lifecycles and the path taken")
    assert "flowchart TD" in out
    assert (
        'twenty_point_plan__drafted ==>|"1: derive / propose"| twenty_point_plan__proposed' in out
    )
    assert "class twenty_point_plan__under_negotiation current" in out
    assert "linkStyle 0,1 stroke:#c2410c" in out
    assert "security_guarantees" not in out


def test_dot_highlights_the_path() -> None:
    result = invoke("diagram", "-s", SEED, "-f", "dot")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("digraph lifecycles {") and out.rstrip().endswith("}")
    assert out.count("subgraph cluster_") == 4
    assert (
        "twenty_point_plan__proposed -> twenty_point_plan__under_negotiation "
        '[label="2: submit_comments / negotiate", color="#c2410c"'
    ) in out
    assert (
        'twenty_point_plan__under_negotiation [label="under_negotiation", fillcolor="#1d4ed8"'
        in out
    )


def test_svg_is_valid_xml_drawn_by_our_code(tmp_path: Path) -> None:
    target = tmp_path / "d.svg"
    result = invoke("diagram", "-s", SEED, "-f", "svg", "-o", str(target))
    assert result.exit_code == 0, result.output
    root = ET.parse(target).getroot()
    assert root.tag == f"{SVG}svg"
    panels = root.findall(f"{SVG}g[@class='panel']")
    assert [p.get("data-document") for p in panels] == [
        "twenty_eight_point_plan", "twenty_point_plan", "security_guarantees", "reconstruction",
    ]  # fmt: skip
    plan = panels[1]
    current = [r for r in plan.iter(f"{SVG}rect") if r.get("class") == "current"]
    assert [r.findtext(f"{SVG}title") for r in current] == ["under_negotiation"]
    taken = [p for p in plan.iter(f"{SVG}path") if p.get("class") == "taken"]
    assert len(taken) == 2
    text = target.read_text(encoding="utf-8")
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_svg_is_deterministic() -> None:
    a = invoke("diagram", "-s", CHOICES, "-f", "svg").stdout
    b = invoke("diagram", "-s", CHOICES, "-f", "svg").stdout
    assert a == b and a.startswith("<?xml")


def test_layout_rows_follow_longest_paths(seed_engine: Engine) -> None:
    plan = next(p for p in panels_of(seed_engine) if p.document == "twenty_point_plan")
    side = exits(DEFAULT_DOCUMENT_LIFECYCLE, plan.edges)
    assert side == ["rejected", "withdrawn", "superseded", "lapsed"]
    rows = layers(DEFAULT_DOCUMENT_LIFECYCLE, plan.edges, set(side))
    assert rows[0] == ["drafted"]
    depth = {s: i for i, row in enumerate(rows) for s in row}
    assert depth["drafted"] < depth["proposed"] < depth["agreed_in_principle"] < depth["signed"]
    assert depth["signed"] < depth["in_force"] < depth["terminated"]
    assert sorted(s for row in rows for s in row) == sorted(
        s for s in DEFAULT_DOCUMENT_LIFECYCLE.states if s not in side
    )


def test_never_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "d.mmd"
    target.write_text("keep me", encoding="utf-8")
    result = invoke("diagram", "-s", SEED, "-o", str(target))
    assert result.exit_code == 2
    assert "exists; use --force to overwrite it" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    result = invoke("diagram", "-s", SEED, "-o", str(target), "--force")
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("%% lifecycles")


def test_diagram_rejects_an_unknown_document() -> None:
    result = invoke("diagram", "-s", SEED, "--document", "twenty_point_plna")
    assert result.exit_code == 2
    assert "unknown document 'twenty_point_plna'" in result.stderr


def test_diagram_of_a_branch_and_past_the_horizon() -> None:
    result = invoke("diagram", "-s", CHOICES, "-d", "plan", "--until", "2025-12-01")
    assert result.exit_code == 0, result.output
    assert "class plan__agreed_in_principle current" in result.stdout
