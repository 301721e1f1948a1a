"""explore and sample see the points a state knows (tests/search/leak.yaml): a leak that
may publish points of a plan, then an amendment or a removal."""

from __future__ import annotations

import csv
import io

from negotiation import load_scenario
from negotiation.search.explore import explore
from tests.conftest import ROOT, invoke

LEAK = str(ROOT / "tests" / "search" / "leak.yaml")


def test_explore_tells_end_states_apart_by_their_known_points() -> None:
    result = explore(load_scenario(LEAK))
    labels = {o.label: o.count for o in result.outcomes}
    assert labels == {
        "plan proposed": 1,
        "plan proposed, plan 2 of 10 points known": 1,
        "plan proposed, plan 3 of 10 points known": 1,
    }


def test_sample_counts_the_leak_and_the_redraft() -> None:
    result = invoke("sample", "-s", LEAK, "--runs", "400", "--seed", "3", "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = {r["label"]: int(r["count"]) for r in csv.DictReader(io.StringIO(result.stdout))
            if r["kind"] == "outcome"}
    assert set(rows) == {"plan proposed", "plan proposed, plan 3 of 10 points known",
                         "plan proposed, plan 2 of 10 points known"}
    assert sum(rows.values()) == 400
