"""Offers on the command line: ``run`` shows each move and what it changed, ``show``
the offer on the table and the options points were agreed on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import flat
from tests.conftest import invoke

SCENARIO = """\
id: offers_cli
title: Offers (invented for a test)
illustrative: true
start: 2026-03-02
horizon: 2026-03-31
parties: [{id: north, name: North}, {id: south, name: South}]
documents:
  - id: deal
    title: Deal
    points:
      - {id: price, options: {min: 90, max: 110, step: 5}}
      - {id: delivery, options: [weekly, monthly]}
timeline:
  - {kind: offer, date: 2026-03-02, by: north, document: deal, package: {price: 110}}
  - {kind: accept_offer, date: 2026-03-03, by: north, document: deal}
  - kind: counter
    date: 2026-03-05
    by: south
    document: deal
    package: {price: 95, delivery: weekly}
  - {kind: accept_offer, date: 2026-03-09, by: north, document: deal}
"""


@pytest.fixture
def path(tmp_path: Path) -> str:
    file = tmp_path / "offers.yaml"
    file.write_text(SCENARIO, encoding="utf-8")
    return str(file)


def test_run_shows_each_move_and_a_refused_one_with_its_reason(path: str) -> None:
    result = invoke("run", "-s", path)
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "north: offer on deal: price 110 by north offer on deal: - -> north: price 110" in text
    assert "BLOCKED north: accepts the offer on deal by north why: the offer pending on deal is " \
        "north's own: north cannot answer it" in text
    assert "value deal.price: - -> 95" in text


def test_show_gives_the_pending_offer_and_the_agreed_options(path: str) -> None:
    pending = flat(invoke("show", "-s", path, "--at", "2026-03-05").stdout)
    assert "offer pending by south:" in pending  # the table wraps the cell: short pieces
    agreed = flat(invoke("show", "-s", path, "--at", "2026-03-09").stdout)
    assert "price agreed on 95," in agreed and "offer pending" not in agreed
    data = json.loads(invoke("show", "-s", path, "--at", "2026-03-05", "-f", "json").stdout)
    (deal,) = data["state"]["documents"]
    assert deal["offer"] == {"by": "south", "package": {"price": "95", "delivery": "weekly"}}
    assert "values" not in deal
    data = json.loads(invoke("show", "-s", path, "--at", "2026-03-09", "-f", "json").stdout)
    (deal,) = data["state"]["documents"]
    assert deal["values"] == {"price": "95", "delivery": "weekly"} and "offer" not in deal


def test_why_reads_offer_moves_and_says_what_is_missing(path: str) -> None:
    refused = invoke("why", "north accepts the offer on deal", "--at", "2026-03-02", "-s", path)
    assert "BLOCKED" in refused.stdout
    assert "the offer pending on deal is north's own" in flat(refused.stdout)
    allowed = invoke("why", "south counters deal price 95, delivery weekly", "--at",
                     "2026-03-02", "-s", path)
    assert allowed.stdout.startswith("ALLOWED"), allowed.output
    wrong = invoke("why", "south counters deal price 101", "--at", "2026-03-02", "-s", path)
    assert wrong.exit_code == 2
    assert "'101' is not an option of deal.price (90, 95, 100, 105, 110)" in wrong.stderr
