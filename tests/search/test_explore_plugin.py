"""The docs' two-line Hypothesis example, run by pytest in a subprocess on a throwaway
project (the plugin itself: tests/test_pytest_plugin.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, TALKS


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


def test_docs_two_line_example_runs(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "exploring.md").read_text(encoding="utf-8")
    block = doc.split("Save this as `test_mine.py`", 1)[1].split("```python\n", 1)[1]
    code = block.split("```", 1)[0]
    assert "scenario_state_machine" in code
    (tmp_path / "test_mine.py").write_text(code, encoding="utf-8")
    (tmp_path / "mine.yaml").write_text(
        Path(TALKS).read_text(encoding="utf-8"), encoding="utf-8"
    )
    done = _pytest(tmp_path, "test_mine.py")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
