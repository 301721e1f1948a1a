"""The search over offer moves: decision alternatives that answer an offer are explored
(serially and by workers alike), and invariants read the agreed options."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from negotiation.loader import load_text
from negotiation.search.explore import explore
from tests.conftest import invoke

SCENARIO = """\
id: offer_decision
title: Answers to an offer (invented for a test)
illustrative: true
start: 2026-03-02
horizon: 2026-03-31
parties: [{id: north, name: North}, {id: south, name: South}]
documents:
  - id: deal
    title: Deal
    points:
      - {id: price, options: {min: 90, max: 110, step: 5}}
timeline:
  - {id: opening, kind: offer, date: 2026-03-02, by: north, document: deal, package: {price: 110}}
decisions:
  - id: answer
    at: 2026-03-05
    assumption: invented for a test
    alternatives:
      - {id: take, events: [{kind: accept_offer, by: south, document: deal}]}
      - {id: counter, events: [{kind: counter, by: south, document: deal, package: {price: 95}}]}
      - {id: leave, events: [{kind: walk_away, by: south, document: deal}]}
  - id: reply
    when: an offer is pending on deal and date is after 2026-03-05
    assumption: invented for a test
    alternatives:
      - {id: take, events: [{kind: accept_offer, by: north, document: deal}]}
      - {id: refuse, events: [{kind: reject_offer, by: north, document: deal}]}
invariants:
  - {id: never_110, never: deal.price is agreed on 110}
  - {id: never_95, never: deal.price is agreed on 95}
  - {id: never_walked, never: south rejects deal}
  - {id: never_90, never: deal.price is agreed on 90}
"""


def _explore(tmp_path: Path, *args: str) -> dict[str, Any]:
    path = tmp_path / "offers.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    result = invoke("explore", "-s", str(path), "-f", "json", *args)
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.parametrize("workers", ["1", "2"])
def test_every_answer_is_explored_and_invariants_read_the_agreed_option(
    tmp_path: Path, workers: str
) -> None:
    data = _explore(tmp_path, "--workers", workers)
    assert data["terminal"] == 4  # taken at 110; countered, then taken or refused; left
    broken = {v["invariant"] for v in data["violations"]}
    assert broken == {"never_110", "never_95", "never_walked"}  # 90 is never offered


def test_outcomes_name_the_agreed_options_in_both_searches(tmp_path: Path) -> None:
    scenario = load_text(SCENARIO, "offers.yaml")
    compiled = {o.label: o.count for o in explore(scenario).outcomes}
    engine_driven = {o.label: o.count for o in explore(scenario, compiled=False).outcomes}
    assert compiled == engine_driven == {
        "deal.price agreed on 110": 1,
        "deal.price agreed on 95": 1,
        "open at the horizon": 2,  # countered then refused; walked away
    }
    data = _explore(tmp_path)
    assert {o["label"] for o in data["outcomes"]} == set(compiled)


SINGLE_TEXT = """\
id: single_text_decision
title: Answers to a mediator's single text (invented for a test)
illustrative: true
start: 2026-03-02
horizon: 2026-03-31
parties: [{id: north, name: North}, {id: south, name: South}, {id: east, name: East},
          {id: chair, name: Chair}]
documents:
  - id: deal
    title: Deal
    points:
      - {id: price, options: {min: 90, max: 110, step: 5}}
timeline:
  - {id: draft, kind: offer, date: 2026-03-02, by: chair, document: deal, package: {price: 100}, to: [north, south, east]}
  - {id: north_yes, kind: accept_offer, date: 2026-03-03, by: north, document: deal}
decisions:
  - id: south_answers
    at: 2026-03-05
    assumption: invented for a test
    alternatives:
      - {id: yes, events: [{kind: accept_offer, by: south, document: deal}]}
      - {id: no, events: [{kind: reject_offer, by: south, document: deal}]}
  - id: east_answers
    at: 2026-03-06
    assumption: invented for a test
    alternatives:
      - {id: yes, events: [{kind: accept_offer, by: east, document: deal}]}
      - {id: no, events: [{kind: reject_offer, by: east, document: deal}]}
invariants:
  - {id: never_100, never: deal.price is agreed on 100}
"""  # noqa: E501


@pytest.mark.parametrize("compiled", [True, False])
def test_a_single_text_is_agreed_only_on_the_path_where_every_party_accepts(
    compiled: bool,
) -> None:
    scenario = load_text(SINGLE_TEXT, "single.yaml")
    found = {o.label: o.count for o in explore(scenario, compiled=compiled).outcomes}
    # four paths: only yes-yes agrees; the others leave the text on the table, open
    assert found == {"deal.price agreed on 100": 1, "open at the horizon": 3}
