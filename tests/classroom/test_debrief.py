"""The debrief page's agreement day, utilities against BATNAs, and each group's report."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from negotiation.classroom import Classroom
from tests.classroom.web import Teacher, act, client_of

LABOUR = "labour-contract-2026-interests"


@pytest.fixture
def labour_room(open_room: Callable[[str], Classroom]) -> Classroom:
    return open_room(LABOUR)


def play_out(teacher: Teacher, name: str, *parties: str) -> tuple[int, dict[str, str]]:
    """A group whose students pass every turn to the end: (id, tokens)."""
    tokens = teacher.create(name, *parties)
    gid = max(teacher.room.groups)
    assert teacher.control(gid, "start") == 303
    while teacher.room.groups[gid].group.status == "running":
        for party in teacher.room.groups[gid].group.waiting_for:
            assert act(teacher.client, tokens[party], "pass")[0] == 303
    return gid, tokens


def test_the_debrief_shows_agreement_days_and_utilities_against_batnas(
    labour_room: Classroom,
) -> None:
    client = client_of(labour_room)
    teacher = Teacher(client, labour_room)
    play_out(teacher, "Mediators", "conciliation_service")  # the two sides follow the script
    play_out(teacher, "Union", "union")  # the union's students never accept
    page = client.get(f"{teacher.url}/debrief").text
    assert "<td>main document</td><td>new_contract</td><td>new_contract</td>" in page
    assert "<td>agreement day</td><td>2026-03-16 (signed)</td><td>none</td>" in page
    assert "<td>agreed vs ratification_deadline</td><td>45 days before</td><td>-</td>" in page
    # BATNAs on each group's own state: the strike notice lowers the employer's
    assert "<td>employer: utility vs BATNA</td><td>- vs BATNA 0.400</td>" in page
    assert "<td>union: utility vs BATNA</td><td>- vs BATNA 0.550</td>" in page


def test_the_seed_scenario_has_no_interests_and_no_utility_rows(
    room_client: TestClient, teacher: Teacher
) -> None:
    play_out(teacher, "Blue", "ukraine")
    page = room_client.get(f"{teacher.url}/debrief").text
    assert "<td>agreement day</td><td>none</td>" in page
    assert "utility vs BATNA" not in page
    assert "agreed vs thanksgiving_deadline" in page


def test_each_group_s_report_downloads_as_an_html_page_of_its_own_path(
    room_client: TestClient, teacher: Teacher, seed_room: Classroom
) -> None:
    gid, tokens = play_out(teacher, "<b>Blue</b>", "ukraine", "russia")
    other, _ = play_out(teacher, "Green", "united_states")
    page = room_client.get(f"{teacher.url}/debrief").text
    assert f'href="{teacher.url}/groups/{gid}/report.html" download' in page
    r = room_client.get(f"{teacher.url}/groups/{gid}/report.html")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["content-disposition"] == f'attachment; filename="group-{gid}.html"'
    assert "Group &lt;b&gt;Blue&lt;/b&gt; (#1); students played ukraine, russia" in r.text
    assert '<h2 id="timeline">Timeline</h2>' in r.text
    # each group's own path: in Blue the US follows the script and sets its deadline;
    # in Green the US is a student who only passed, so the deadline was never set
    trump = "President Trump gives Ukraine until Thanksgiving"
    assert trump in r.text
    green = room_client.get(f"{teacher.url}/groups/{other}/report.html").text
    assert "Group Green (#2)" in green and trump not in green
    assert room_client.get(f"{teacher.url}/groups/99/report.html").status_code == 404
    seat = tokens["ukraine"]
    assert room_client.get(f"/instructor/{seat}/groups/{gid}/report.html").status_code == 404


def test_the_exports_carry_each_group_s_agreement(labour_room: Classroom) -> None:
    client = client_of(labour_room)
    teacher = Teacher(client, labour_room)
    play_out(teacher, "Mediators", "conciliation_service")
    play_out(teacher, "=Union", "union")
    data = json.loads(client.get(f"{teacher.url}/export.json").text)
    first, second = (g["agreement"] for g in data["groups"])
    assert first["document"] == "new_contract"
    assert (first["day"], first["state"]) == ("2026-03-16", "signed")
    assert first["days_before_due"]["ratification_deadline"] == 45
    assert first["days_before_due"]["signing_bonus_option"] == -10
    assert first["parties"]["employer"] == {
        "utility": None,
        "batna": 0.4,
        "batna_case": "fact strike_notice_served",
    }
    assert second["day"] is None and set(second["days_before_due"].values()) == {None}
    rows = list(csv.DictReader(io.StringIO(client.get(f"{teacher.url}/export.csv").text)))
    assert rows[0]["agreement day"] == "2026-03-16"
    assert rows[0]["days before due signing_bonus_option"] == "-10"  # a number, not a formula
    assert rows[0]["batna employer"] == "0.4" and rows[0]["utility employer"] == ""
    assert rows[1]["name"] == "'=Union"  # a name is still kept from being a formula
    assert rows[1]["agreement day"] == "" and rows[1]["batna union"] == "0.55"
