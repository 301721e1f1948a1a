"""Mediated single-text rounds on the command line: ``simulate``, ``sample --strategies``,
``explore --strategies`` and ``play --as P --bargain`` pick the protocol from the
scenario (a ``mediator`` strategy on the document); bad input exits 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from negotiation.teach.bargaining import tables
from tests.cli.test_cli import assert_user_error, flat
from tests.conftest import ROOT, engine_of, invoke

MEDIATED = "river-basin-2026-mediated"
AGREED = "agreed: upland_share 50 %, flood_fund 30 m, monitoring quarterly"


def _json(*args: str) -> dict[str, Any]:
    result = invoke(*args, "-s", MEDIATED, "-f", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_simulate_runs_mediated_rounds_and_says_so() -> None:
    result = invoke("simulate", "-s", MEDIATED)
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "mediated single-text rounds on water_compact from 2026-03-02" in text
    assert "basin_commission: mediator; time runs to dry_season" in text
    assert "lowmarsh accepts" in text and "upland rejects" in text
    assert ("Agreed on 2026-03-25 (round 23, 0.79 of the time to the deadline): upland_share "
            "50 %, flood_fund 30 m, monitoring quarterly. Utilities: upland 0.700, midvale "
            "0.475, lowmarsh 0.611.") in text


def test_simulate_json_lists_the_mediator_and_every_answer() -> None:
    data = _json("simulate")
    assert data["protocol"] == "mediated"
    assert [s["kind"] for s in data["strategies"]] == ["mediator", "boulware", "linear",
                                                        "conceder"]
    first = data["turns"][:4]
    assert [(t["party"], t["move"]) for t in first] == [
        ("basin_commission", "offer"), ("upland", "reject"), ("midvale", "reject"),
        ("lowmarsh", "reject"),
    ]
    assert set(first[0]["utilities"]) == {"upland", "midvale", "lowmarsh"}
    assert data["outcome"]["day"] == "2026-03-25" and data["outcome"]["round"] == 23


def test_simulate_trace_shows_the_answers_as_events_and_the_agreed_values() -> None:
    data = _json("simulate", "--trace")
    final = data["final"]["documents"]["water_compact"]
    assert final["values"] == {"upland_share": "50", "flood_fund": "30",
                               "monitoring": "quarterly"}
    assert data["final"]["deadlines"]["dry_season"]["status"] == "met"
    result = invoke("simulate", "-s", MEDIATED, "--trace")
    assert "accepted on water_compact: nobody -> lowmarsh" in flat(result.stdout)


def test_sample_and_explore_strategies_find_the_one_outcome() -> None:
    sampled = _json("sample", "--strategies", "--runs", "8", "--seed", "3")
    assert sampled["parties"] == ["upland", "midvale", "lowmarsh"]
    assert sampled["strategies"][0] == "basin_commission: mediator"
    assert [o["label"] for o in sampled["outcomes"]] == [AGREED]
    assert sampled["days"] == [{"days_to_due": -6, "count": 8}]
    assert any(a.startswith("mediator rule of basin_commission") for a in sampled["assumptions"])
    explored = _json("explore", "--strategies")
    assert explored["complete"] and [o["label"] for o in explored["outcomes"]] == [AGREED]


def test_a_tournament_tries_every_combination_of_the_parties_strategies() -> None:
    data = _json("sample", "--strategies", "--grid", "upland=boulware:0.3,conceder:4",
                 "--grid", "lowmarsh=hardliner,conceder:2", "-n", "2")  # fmt: skip
    assert data["parties"] == ["upland", "midvale", "lowmarsh"]
    rows = {(m["strategies"]["upland"], m["strategies"]["lowmarsh"]): m for m in data["matches"]}
    assert set(rows) == {("boulware e 0.3", "hardliner"), ("boulware e 0.3", "conceder e 2"),
                         ("conceder e 4", "hardliner"), ("conceder e 4", "conceder e 2")}
    assert all(m["strategies"]["midvale"] == "linear" for m in data["matches"])
    # the declared strategies again: the bundled compact; a hardliner Lowmarsh: no compact
    assert rows[("boulware e 0.3", "conceder e 2")]["mean_days_to_due"] == -6.0
    assert {r["agreement"]["share"] for k, r in rows.items() if k[1] == "hardliner"} == {0.0}
    text = flat(invoke("sample", "-s", MEDIATED, "--strategies", "--grid",
                       "lowmarsh=hardliner,conceder:2", "-n", "2").stdout)
    assert "upland midvale lowmarsh agreed 95% interval mean day upland midvale lowmarsh" in text


def test_play_answers_the_mediators_texts() -> None:
    result = invoke("play", "-s", MEDIATED, "--as", "midvale", "--bargain",
                    input="2\n2\n" + "1\n" * 40)  # fmt: skip
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "on the table: basin_commission's text: upland_share 50 %, flood_fund 30 m," in text
    assert "2. reject basin_commission's text (it may revise it) your utility 0.625" in text
    assert ("You (midvale): agreed upland_share 40 %, flood_fund 20 m, monitoring monthly on "
            "2026-03-29, your utility 0.708") in text
    assert "The declared strategies, on the same rounds: agreed upland_share 50 %" in text


def _broken(tmp_path: Path, old: str, new: str) -> str:
    text = (ROOT / "scenarios" / f"{MEDIATED}.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(path)


def test_bad_input_exits_2(tmp_path: Path) -> None:
    assert_user_error(invoke("simulate", "-s", MEDIATED, "--first", "upland"),
                      "--first does not apply")  # fmt: skip
    assert_user_error(invoke("sample", "-s", MEDIATED, "--strategies", "--grid",
                             "basin_commission=linear", "-n", "2"),
                      "'basin_commission' has no declared strategy on this document")  # fmt: skip
    # the mediator is played, not refused (its menu: tests/teach/test_bargain_play.py)
    mediating = invoke("play", "-s", MEDIATED, "--as", "basin_commission", "--bargain",
                       input="quit\n")
    assert mediating.exit_code == 0 and "mediating on water_compact" in mediating.stdout
    assert_user_error(invoke("play", "-s", MEDIATED, "--as", "basin_commission", "-d", "nope"),
                      "unknown document 'nope'")
    drafted = _broken(tmp_path, "    kind: mediator\n",
                      "    kind: mediator\n    draft: {upland_share: 33}\n")
    assert_user_error(invoke("simulate", "-s", drafted), "is not a package of it")
    misplaced = _broken(tmp_path, "    kind: linear\n",
                        "    kind: linear\n    draft: {upland_share: 30}\n")
    result = invoke("simulate", "-s", misplaced)
    assert result.exit_code == 2
    assert "'draft' belongs to the mediator kind" in flat(result.stderr)
    assert "broken.yaml" in result.stderr


SCRIPTED = """
  - {id: draft_1, kind: offer, date: 2026-03-04, by: [basin_commission], document: water_compact, to: [upland, midvale, lowmarsh], package: {upland_share: 35, flood_fund: 20, monitoring: quarterly}}
  - {id: yes_1, kind: accept_offer, date: 2026-03-05, by: [lowmarsh], document: water_compact}
  - {id: yes_2, kind: accept_offer, date: 2026-03-05, by: [upland], document: water_compact}
  - {id: no_1, kind: reject_offer, date: 2026-03-06, by: [upland], document: water_compact}
"""  # noqa: E501


def test_a_scripted_single_text_shows_who_has_accepted_it(tmp_path: Path) -> None:
    path = _broken(tmp_path, "\nbranches:\n", SCRIPTED + "\nbranches:\n")
    result = invoke("show", "-s", path, "--at", "2026-03-05")
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "(put to lowmarsh, midvale, upland; accepted by lowmarsh, upland)" in text
    later = flat(invoke("show", "-s", path, "--at", "2026-03-06").stdout)
    assert "(put to lowmarsh, midvale, upland; accepted by lowmarsh)" in later
    result = invoke("run", "-s", path, "-f", "json")
    final = json.loads(result.stdout)["final"]["documents"]["water_compact"]
    assert final["offer"]["accepted"] == ["lowmarsh"] and "values" not in final


def test_a_single_text_put_to_an_unknown_party_is_a_located_error(tmp_path: Path) -> None:
    typo = SCRIPTED.replace("to: [upland, midvale, lowmarsh]", "to: [upland, midvale, lowmarch]")
    path = _broken(tmp_path, "\nbranches:\n", typo + "\nbranches:\n")
    result = invoke("validate", path)
    assert result.exit_code == 2
    text = flat(result.output)
    assert "(timeline.16.to.2): unknown party 'lowmarch'; did you mean 'lowmarsh'?" in text
    assert "broken.yaml:" in text


def test_play_answers_a_mediators_texts_by_default_on_a_mediated_document() -> None:
    engine = engine_of(MEDIATED)
    assert tables(engine, "upland") == ["water_compact"]
    assert tables(engine, "basin_commission") == ["water_compact"]  # it drafts the texts
    result = invoke("play", "-s", MEDIATED, "--as", "upland", input="quit\n")
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "bargaining on water_compact as upland" in text
    assert "on the table: basin_commission's text: upland_share 50 %" in text
