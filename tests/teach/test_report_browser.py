"""The seed scenario's HTML report, opened in a real headless browser.

Debian's ``chromium`` package (``.ci/run`` installs it). Without it the test is skipped,
unless ``CI=true``: then a missing browser fails it. The browser gets no network and a
throwaway profile; the page must draw its timeline chart by itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import SEED, invoke
from tests.teach.png import colours

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
LANES = 7  # events, four documents, two deadlines


def browser() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    command = [browser(), *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("report") / "seed.html"
    result = invoke("report", "-s", SEED, "-o", str(target))
    assert result.exit_code == 0, result.output
    return target


def test_the_browser_draws_the_timeline_chart(report: Path, tmp_path: Path) -> None:
    done = chromium(tmp_path, "--dump-dom", report.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert dom.count('class="swimlane') == LANES
    # the page's own script measured every lane after layout: each has a size
    drawn = re.search(r'id="timeline-chart"[^>]*data-lanes-drawn="(\d+)"', dom)
    assert drawn is not None, "the measuring script did not run"
    assert int(drawn.group(1)) == LANES


def test_the_screenshot_is_not_blank(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    done = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,900", report.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    found = colours(shot.read_bytes())
    assert len(found) > 20, f"only {len(found)} colours: blank or barely drawn"
    assert bytes.fromhex("fde68a") in found or len(found) > 40  # a pending deadline's fill
