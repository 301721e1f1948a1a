"""The pytest plugin, run in a subprocess on a throwaway project."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
GOOD = """\
id: good
title: Good
start: 2025-01-01
horizon: 2025-01-10
parties: [{id: east, name: East}]
documents: [{id: plan, title: Plan, requires_acceptance: [east]}]
timeline:
  - {date: 2025-01-02, kind: propose, by: east, document: plan}
expect:
  - {at: 2025-01-03, that: plan is proposed}
"""


def _pytest(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "negotiation.pytest_plugin",
            "-q",
            "-p",
            "no:cacheprovider",
            *args,
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p
            ),
        },
    )


def test_collects_only_scenario_files(tmp_path: Path) -> None:
    (tmp_path / "good.scenario.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "other.yaml").write_text("not: [a scenario\n", encoding="utf-8")
    bad = GOOD.replace("plan is proposed", "plan is signed").replace("id: good", "id: bad")
    (tmp_path / "bad.scenario.yml").write_text(bad, encoding="utf-8")
    (tmp_path / "bug.scenario.yaml").write_text(
        (HERE / "planted_bug.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    done = _pytest(tmp_path)
    out = done.stdout
    assert "other.yaml" not in out
    assert done.returncode == 1, out
    assert "4 passed" in out or "passed" in out
    assert "bad.scenario.yml" in out
    assert "at 2025-01-03" in out  # the date of the failing expectation
    assert "signed_only_with_acceptance violated on 2025-12-01 at step 9" in out


def test_ini_option_opts_a_directory_in(tmp_path: Path) -> None:
    (tmp_path / "scens").mkdir()
    (tmp_path / "scens" / "good.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nnegotiation_scenarios = scens\n", encoding="utf-8"
    )
    done = _pytest(tmp_path, "--collect-only")
    assert "good.yaml::base" in done.stdout, done.stdout + done.stderr
    assert "good.yaml::invariants" in done.stdout
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    assert "good.yaml" not in _pytest(tmp_path, "--collect-only").stdout


def test_docs_two_line_example_runs(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "exploring.md").read_text(encoding="utf-8")
    block = doc.split("Save this as `test_mine.py`", 1)[1].split("```python\n", 1)[1]
    code = block.split("```", 1)[0]
    assert "scenario_state_machine" in code
    (tmp_path / "test_mine.py").write_text(code, encoding="utf-8")
    (tmp_path / "mine.yaml").write_text(
        (HERE / "talks.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    done = _pytest(tmp_path, "test_mine.py")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
