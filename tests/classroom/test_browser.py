"""A class in a real browser: Selenium drives Debian's chromium through chromedriver
(``.ci/run`` installs both; Selenium Manager never downloads anything, both paths are
given). Without them the test is skipped, unless ``CI=true``: then it fails.

The instructor creates two groups, three students join by their links and move (one
move is refused, with its reason shown), the clock advances, a deadline fires, and the
debrief shows both groups. In a second class, on the strategies scenario, a student
predicts, offers a package from the page's list, and the employer's declared strategy
answers on the same day. Every page fits 1024
px, and table cells (the role sheet's too) wrap between words, never inside one. With
``NEGOTIATION_SCREENSHOTS=1`` the tests save the instructor, student and debrief pages
to docs/img/ (otherwise they write nothing to the checkout).
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.classroom.serving import start, stop
from tests.conftest import ROOT

WIDTH = 1024
SHOTS = ROOT / "docs" / "img"
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    f"--window-size={WIDTH},900",
)


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what}; .ci/run installs Debian's chromium and chromium-driver")
    pytest.skip(f"{what} (apt-get install chromium chromium-driver)")


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Any]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        _missing("chromium or chromedriver is not installed")
    try:
        from selenium import webdriver  # noqa: PLC0415
        from selenium.webdriver.chrome.service import Service  # noqa: PLC0415
    except ImportError:
        _missing("selenium is not installed (pip install -e '.[dev]')")
    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager: never a download
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    service = Service(executable_path=driver_path, log_output=os.devnull)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def fits(driver: Any) -> None:
    """The page needs no horizontal scrolling at 1024 px."""
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{driver.current_url}: {width} px wide"


BROKEN_WORDS = """
const broken = [];
for (const cell of document.querySelectorAll("th, td")) {
  const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    if (node.parentElement.closest("code, .link")) continue;
    for (const word of node.data.matchAll(/[^\\s-]+/g)) {
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      if (range.getClientRects().length > 1) broken.push(word[0]);
    }
  }
}
return broken;
"""
"""The words of table cells the browser broke across lines (codes and links may
break anywhere; a hyphen is a place to break)."""


def whole_words(driver: Any) -> None:
    """Table headers and cells wrap between words, never inside one."""
    broken = driver.execute_script(BROKEN_WORDS)
    assert not broken, f"{driver.current_url}: words broken across lines: {broken}"


def shoot(driver: Any, name: str) -> None:
    """A screenshot of the whole page at 1024 px, when asked for."""
    if os.environ.get("NEGOTIATION_SCREENSHOTS") != "1":
        return
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(WIDTH, min(int(height) + 140, 3000))
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"classroom-{name}.png"))
    driver.set_window_size(WIDTH, 900)


def click(driver: Any, css: str) -> None:
    """Click what submits a form or follows a link, and wait for the next page.

    The old page is marked with a script variable; the next page has none. This
    does not hold a reference to an element of the old page, whose staleness
    Chromium reports in more than one way.
    """
    from selenium.common.exceptions import WebDriverException  # noqa: PLC0415
    from selenium.webdriver.common.by import By  # noqa: PLC0415
    from selenium.webdriver.support.ui import WebDriverWait  # noqa: PLC0415

    driver.execute_script("window.__negotiationOldPage = true;")
    driver.find_element(By.CSS_SELECTOR, css).click()

    def loaded(d: Any) -> bool:
        try:
            return bool(
                d.execute_script(
                    "return window.__negotiationOldPage === undefined"
                    " && document.readyState === 'complete';"
                )
            )
        except WebDriverException:  # the page is between two documents
            return False

    WebDriverWait(driver, 20).until(loaded)


def test_a_class_in_the_browser(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By  # noqa: PLC0415
    from selenium.webdriver.support.ui import Select  # noqa: PLC0415

    proc, base, token = start(tmp_path / "class.sqlite")
    try:
        d = browser
        me = f"{base}/instructor/{token}"
        d.get(me)
        # the instructor creates two groups
        for name, parties in (("Table A", ("ukraine", "russia")), ("Table B", ("united_states",))):
            d.find_element(By.NAME, "name").send_keys(name)
            for party in parties:
                d.find_element(By.CSS_SELECTOR, f'#create input[value="{party}"]').click()
            click(d, "#create button")
        links = {
            gid: [
                a.get_attribute("href")
                for a in d.find_elements(By.CSS_SELECTOR, f"#group-{gid} a.link")
            ]
            for gid in (1, 2)
        }
        assert [len(v) for v in links.values()] == [2, 1]
        for gid in (1, 2):
            click(d, f'#group-{gid} button[value="start"]')
        fits(d)
        ukraine, russia = links[1]
        (us,) = links[2]
        # student 1 (Ukraine) joins, tries an illegal move, then makes a legal one
        d.get(ukraine)
        assert "You play Ukraine" in d.find_element(By.TAG_NAME, "h1").text
        d.find_element(By.ID, "move").send_keys("ukraine signs twenty_point_plan")
        click(d, '#type button[value="move"]')
        notice = d.find_element(By.ID, "notice").text
        assert "Refused: ukraine signs twenty_point_plan" in notice
        assert "sign needs it to be agreed_in_principle" in notice
        fits(d)
        whole_words(d)
        shoot(d, "student")
        Select(d.find_element(By.ID, "legal")).select_by_value(
            "ukraine comments on twenty_eight_point_plan"
        )
        click(d, '#choose button[value="move"]')
        assert "You have acted; waiting for russia" in d.find_element(By.ID, "turn").text
        # student 2 (Russia) passes: every seat of table A has acted, the clock moves
        d.get(russia)
        click(d, "#pass button")
        assert "2025-11-27" in d.find_element(By.TAG_NAME, "main").text
        # student 3 (the United States) sets the Thanksgiving deadline
        d.get(us)
        d.find_element(By.ID, "move").send_keys("united_states sets deadline thanksgiving_deadline")
        click(d, '#type button[value="move"]')
        # the instructor advances table B past the due date: the deadline fires
        d.get(me)
        click(d, '#group-2 button[value="advance"]')
        card = d.find_element(By.ID, "group-2").text
        assert "thanksgiving_deadline: missed" in card
        assert "deadline thanksgiving_deadline missed" in card
        fits(d)
        shoot(d, "instructor")
        # the debrief shows both groups side by side
        click(d, "#debrief-link")
        table = d.find_element(By.CSS_SELECTOR, "table.outcomes").text
        assert "Table A" in table and "Table B" in table
        assert "missed (due 2025-11-27)" in table
        fits(d)
        shoot(d, "debrief")
    finally:
        stop(proc, signal.SIGINT)


def test_a_strategy_counterpart_answers_a_student_in_the_browser(
    browser: Any, tmp_path: Path
) -> None:
    """The union is a student, the employer follows its declared strategy, predictions
    are on: the student predicts, offers, and the employer's strategy answers."""
    from selenium.webdriver.common.by import By  # noqa: PLC0415
    from selenium.webdriver.support.ui import Select  # noqa: PLC0415

    proc, base, token = start(tmp_path / "class.sqlite", "labour-contract-2026-strategies")
    try:
        d = browser
        me = f"{base}/instructor/{token}"
        d.get(me)
        d.find_element(By.NAME, "name").send_keys("Pay table")
        d.find_element(By.CSS_SELECTOR, '#create input[value="union"]').click()
        Select(d.find_element(By.NAME, "as-employer")).select_by_value("strategy")
        d.find_element(By.NAME, "predict").click()
        click(d, "#create button")
        card = d.find_element(By.ID, "group-1")
        assert "employer: its strategy" in card.text and "predictions on" in card.text
        assert len(card.find_elements(By.CSS_SELECTOR, ".qr svg")) == 1
        (link,) = [a.get_attribute("href") for a in card.find_elements(By.CSS_SELECTOR, "a.link")]
        click(d, '#group-1 button[value="start"]')
        fits(d)
        shoot(d, "instructor-strategies")
        d.get(link)
        assert "Predict first" in d.find_element(By.ID, "predict").text
        Select(d.find_element(By.ID, "prediction")).select_by_value("same")
        click(d, '#predict button[value="predict"]')
        # the packages, with the union's utility against its BATNA; one is a click
        packages = d.find_element(By.ID, "packages").text
        assert "Your BATNA 0.250" in packages and "offer rise 5 % 0.833 +0.583" in packages
        click(d, '#packages button[value="union counters pay_deal rise 5"]')
        log = d.find_element(By.CSS_SELECTOR, "ol.log").text
        # the employer's strategy answers at once, on the day of the offer
        assert "2026-01-01 union: union counters pay_deal rise 5" in log
        assert "2026-01-01 employer: employer counters pay_deal rise 0" in log
        assert "(its conceder strategy)" in log
        fits(d)
        whole_words(d)  # the role sheet's tables beside the packages ("weight", not "weig ht")
        shoot(d, "student-strategies")
        d.get(f"{link}/role")
        assert "Private: for" in d.find_element(By.TAG_NAME, "main").text
        fits(d)
        whole_words(d)
        d.get(f"{me}/debrief")
        assert "predictions right" in d.find_element(By.CSS_SELECTOR, "table.outcomes").text
        fits(d)
        shoot(d, "debrief-strategies")
    finally:
        stop(proc, signal.SIGINT)
