"""Behaviour pinned byte for byte: the JSON trace of every bundled scenario (base and
every branch) and of every docs example, and the explore and sample JSON of every
scenario with decision points, compared with the files under ``tests/data/golden/``.

Recorded before the engine and the compiled explorer became one runtime, and kept so
that any later change of semantics is a visible, reviewed change of these files. Timings
(``elapsed``, ``states_per_second``) are dropped. To record a deliberate change::

    NEGOTIATION_GOLDEN=write python -m pytest tests/test_golden.py

and review ``git diff tests/data/golden`` before committing it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from negotiation import loader
from tests.conftest import CHOICES, PLANTED, ROOT, TALKS, invoke

GOLDEN = ROOT / "tests" / "data" / "golden"
BLOCK = re.compile(r"^```yaml[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
TIMINGS = ("elapsed", "states_per_second")
DECISION_FILES = [
    ROOT / "scenarios" / "ukraine-2025-12-decisions.yaml",
    Path(TALKS),
    Path(PLANTED),
    Path(CHOICES),
]


def _cli(*args: str) -> str:
    result = invoke(*args)
    assert result.exit_code in (0, 1), f"{args}: exit {result.exit_code}\n{result.output}"
    return result.stdout


def _branches(path: Path) -> list[str]:
    return [b.id for b in loader.load_scenario(str(path)).branches]


def _without_timings(text: str) -> str:
    doc: Any = json.loads(text)
    for key in TIMINGS:
        doc.pop(key, None)
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _docs_examples(tmp: Path) -> list[tuple[str, Path]]:
    out = []
    for doc in sorted((ROOT / "docs").glob("*.md")):
        text = doc.read_text(encoding="utf-8")
        for match in BLOCK.finditer(text):
            found = re.search(r"^id:\s*(\S+)", match.group(1), re.MULTILINE)
            assert found, f"{doc.name}: an example without an id"
            path = tmp / f"{doc.stem}-{found.group(1)}.yaml"
            path.write_text(match.group(1), encoding="utf-8")
            out.append((f"docs-{doc.stem}-{found.group(1)}", path))
    return out


def _cases(tmp: Path) -> list[tuple[str, list[str]]]:
    """(golden file name, CLI arguments), in a fixed order."""
    files = [(p.stem, p) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
    files += _docs_examples(tmp)
    cases: list[tuple[str, list[str]]] = []
    for name, path in files:
        cases.append((f"run-{name}-base", ["run", "-s", str(path), "-f", "json"]))
        for branch in _branches(path):
            cases.append(
                (f"run-{name}-{branch}", ["run", "-s", str(path), "--branch", branch, "-f", "json"])
            )
    for path in DECISION_FILES:
        cases.append((f"explore-{path.stem}", ["explore", "-s", str(path), "-f", "json"]))
        cases.append(
            (
                f"sample-{path.stem}",
                ["sample", "-s", str(path), "--runs", "300", "--seed", "7", "-f", "json"],
            )
        )
    return cases


def _normalise_paths(text: str, tmp: Path) -> str:
    return text.replace(str(tmp), "<tmp>").replace(str(ROOT), "<root>")


def test_behaviour_is_byte_identical_to_the_recorded_files(tmp_path: Path) -> None:
    write = os.environ.get("NEGOTIATION_GOLDEN") == "write"
    cases = _cases(tmp_path)
    assert len(cases) > 40
    changed: list[str] = []
    seen: set[str] = set()
    for name, args in cases:
        assert name not in seen, name
        seen.add(name)
        got = _normalise_paths(_without_timings(_cli(*args)), tmp_path)
        target = GOLDEN / f"{name}.json"
        if write:
            GOLDEN.mkdir(parents=True, exist_ok=True)
            target.write_text(got, encoding="utf-8")
            continue
        assert target.exists(), f"no recorded file for {name}: record it (see the docstring)"
        if target.read_text(encoding="utf-8") != got:
            changed.append(name)
    if write:
        stale = sorted(p.name for p in GOLDEN.glob("*.json") if p.stem not in seen)
        for name in stale:
            (GOLDEN / name).unlink()
        pytest.skip(f"recorded {len(cases)} files")
    assert not changed, f"{len(changed)} outputs differ from the recorded ones: {changed[:10]}"
    recorded = {p.stem for p in GOLDEN.glob("*.json")}
    assert recorded == seen, f"recorded files without a case: {sorted(recorded - seen)}"
