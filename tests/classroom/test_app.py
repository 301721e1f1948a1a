"""Every page and POST of the classroom, over Starlette's test client: tokens, CSRF,
bounds, escaping, and what each page shows."""

from __future__ import annotations

import csv
import io
import json

import pytest
from starlette.testclient import TestClient

from negotiation.classroom import Classroom
from negotiation.classroom.app import MAX_BODY, RATE
from negotiation.classroom.pages import role_sheet
from tests.classroom.web import Teacher, act, csrf_of
from tests.conftest import engine_of

SIGN = "ukraine signs twenty_point_plan"


def test_the_instructor_page_lists_the_parties_and_serves_no_outside_asset(
    room_client: TestClient, teacher: Teacher
) -> None:
    r = room_client.get(teacher.url)
    assert r.status_code == 200
    page = r.text
    for party in ("ukraine", "united_states", "russia"):
        assert f'name="party" value="{party}"' in page
    assert "No group yet." in page
    assert "http://" not in page.replace("http://testserver/", "")  # no asset from the network
    assert '<script src="/classroom.js"' in page
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["referrer-policy"] == "no-referrer"
    js = room_client.get("/classroom.js")
    assert js.status_code == 200 and "fetch(" in js.text
    assert js.headers["content-type"].startswith("text/javascript")


def test_creating_a_group_gives_a_join_link_per_seat(
    room_client: TestClient, teacher: Teacher, seed_room: Classroom
) -> None:
    tokens = teacher.create("Table 1", "ukraine", "russia")
    assert set(tokens) == {"ukraine", "russia"}
    page = room_client.get(teacher.url).text
    for token in tokens.values():
        assert f"http://testserver/seat/{token}" in page
    assert "Table 1" in page and "waiting" in page
    assert len(seed_room.store.groups()) == 1


def test_a_group_needs_known_parties(room_client: TestClient, teacher: Teacher) -> None:
    r = room_client.post(
        f"{teacher.url}/groups", data={"csrf": teacher.csrf(), "name": "x", "party": ["mars"]}
    )
    assert r.status_code == 400
    assert "unknown party &#x27;mars&#x27;" in r.text
    r = room_client.post(f"{teacher.url}/groups", data={"csrf": teacher.csrf(), "name": "x"})
    assert r.status_code == 400 and "each party once" in r.text


def test_the_student_page_shows_role_state_timeline_and_moves(
    room_client: TestClient, teacher: Teacher
) -> None:
    token = teacher.create("T", "ukraine")["ukraine"]
    page = room_client.get(f"/seat/{token}").text
    assert "You play Ukraine" in page
    assert "Your role sheet" in page and "Speaking for you: Volodymyr Zelensky" in page
    assert "Deadlines you set</h3><ul><li>elections_window" in page
    assert "<td>thanksgiving_deadline</td><td>pending</td><td>2025-11-27</td>" in page
    assert "The White House puts out a 28-point peace plan." in page  # the US follows the script
    assert "A 20-point plan is derived" in page  # and so does the world
    assert "The group is waiting." in page
    assert "Your legal moves show on your turn." in page and 'id="legal"' not in page
    assert teacher.control(1, "start") == 303
    page = room_client.get(f"/seat/{token}").text
    assert '<option value="ukraine comments on twenty_eight_point_plan">' in page


def test_a_role_sheet_shows_interests_with_their_assumption() -> None:
    sheet = role_sheet(engine_of("labour-contract-2026-interests").scenario, "union")
    assert "Your interests in new_contract" in sheet
    assert "<tr><td>wages</td><td>50%</td><td>more is better: 0 is worth 0, 6 is worth 1" in sheet
    assert "Your BATNA (what you get with no agreement" in sheet and "<b>0.55</b>" in sheet
    assert "while <code>fact strike_started</code>: 0.4" in sheet
    assert "Assumption: Invented for teaching" in sheet


def test_moves_pass_and_the_clock(
    room_client: TestClient, teacher: Teacher, seed_room: Classroom
) -> None:
    tokens = teacher.create("T", "ukraine", "russia")
    assert teacher.control(1, "start") == 303
    status, _ = act(
        room_client, tokens["ukraine"], "move", "ukraine comments on twenty_eight_point_plan"
    )
    assert status == 303
    page = room_client.get(f"/seat/{tokens['ukraine']}").text
    assert "You have acted; waiting for russia." in page
    assert act(room_client, tokens["russia"], "pass")[0] == 303
    assert str(seed_room.groups[1].group.day) == "2025-11-27"
    rows = seed_room.store.groups()[0].actions
    assert [(a.seat, a.kind) for a in rows] == [
        ("instructor", "start"),
        ("ukraine", "move"),
        ("russia", "pass"),
    ]


def test_an_illegal_move_is_refused_with_its_reason_and_not_stored(
    room_client: TestClient, teacher: Teacher, seed_room: Classroom
) -> None:
    token = teacher.create("T", "ukraine")["ukraine"]
    teacher.control(1, "start")
    status, page = act(room_client, token, "move", SIGN)
    assert status == 409
    assert f"Refused: {SIGN}" in page
    assert "sign needs it to be agreed_in_principle" in page
    assert len(seed_room.store.groups()[0].actions) == 1  # the start alone
    status, page = act(room_client, token, "why", SIGN)
    assert status == 200 and f"Not allowed now: {SIGN}" in page
    status, page = act(room_client, token, "why", "ukraine comments on twenty_point_plan")
    assert status == 200 and "Allowed now" in page
    status, page = act(room_client, token, "why", "ukraine flies")
    assert status == 200 and "Why: ukraine flies" in page


def test_instructor_controls(
    room_client: TestClient, teacher: Teacher, seed_room: Classroom
) -> None:
    teacher.create("T", "ukraine")
    assert teacher.control(1, "pause") == 409  # not running yet
    assert teacher.control(1, "start") == 303
    assert teacher.control(1, "advance") == 303
    assert str(seed_room.groups[1].group.day) == "2025-11-27"
    assert teacher.control(1, "end") == 303
    assert seed_room.groups[1].group.status == "ended"
    assert teacher.control(1, "fly") == 400
    assert teacher.control(9, "start") == 404


def test_the_debrief_and_the_exports_show_every_group(
    room_client: TestClient, teacher: Teacher
) -> None:
    teacher.create("Blue", "ukraine")
    teacher.create("Green", "russia", "united_states")
    teacher.control(2, "start")
    teacher.control(2, "advance")
    page = room_client.get(f"{teacher.url}/debrief").text
    assert "Outcomes side by side" in page
    assert "Blue" in page and "Green" in page
    assert "2025-11-01" in page and "2025-11-27" in page
    rows = list(csv.DictReader(io.StringIO(room_client.get(f"{teacher.url}/export.csv").text)))
    assert [r["name"] for r in rows] == ["Blue", "Green"]
    assert rows[1]["day"] == "2025-11-27"
    assert rows[1]["deadline thanksgiving_deadline"] == "inactive"  # the US is a student
    data = json.loads(room_client.get(f"{teacher.url}/export.json").text)
    assert [g["status"] for g in data["groups"]] == ["waiting", "running"]
    assert data["groups"][1]["actions"][0] == {"seat": "instructor", "kind": "start", "text": ""}


# -- security -----------------------------------------------------------------------------------


def test_unknown_tokens_are_404_never_500(room_client: TestClient, teacher: Teacher) -> None:
    token = teacher.create("T", "ukraine")["ukraine"]
    for url in (
        "/seat/nope",
        "/seat/nope/version",
        "/instructor/nope",
        "/instructor/x/debrief",
        "/instructor/x/export.csv",
        f"/instructor/{token}",
        f"/instructor/{token}/debrief",
    ):
        assert room_client.get(url).status_code == 404, url
    for url in (
        "/seat/nope/act",
        "/instructor/nope/groups",
        "/instructor/nope/groups/1",
        f"/instructor/{token}/groups",
    ):
        assert room_client.post(url, data={"csrf": "x"}).status_code == 404, url
    assert room_client.get("/instructor/%00%ff").status_code == 404


def test_a_student_cannot_act_for_another_seat(
    room_client: TestClient, teacher: Teacher, seed_room: Classroom
) -> None:
    tokens = teacher.create("T", "ukraine", "russia")
    teacher.control(1, "start")
    status, page = act(room_client, tokens["ukraine"], "move", "russia rejects twenty_point_plan")
    assert status == 409 and "you play ukraine; that move is by russia" in page
    # the other seat's CSRF token does not work with this seat's token
    other = csrf_of(room_client.get(f"/seat/{tokens['russia']}").text)
    r = room_client.post(f"/seat/{tokens['ukraine']}/act", data={"csrf": other, "do": "pass"})
    assert r.status_code == 403
    assert len(seed_room.groups[1].group.actions) == 1


def test_a_post_without_the_csrf_token_is_refused(
    room_client: TestClient, teacher: Teacher
) -> None:
    token = teacher.create("T", "ukraine")["ukraine"]
    assert room_client.post(f"/seat/{token}/act", data={"do": "pass"}).status_code == 403
    assert room_client.post(f"/seat/{token}/act", data={"csrf": "0" * 32}).status_code == 403
    r = room_client.post(f"{teacher.url}/groups/1", data={"csrf": "bad", "do": "start"})
    assert r.status_code == 403
    assert room_client.get(f"/seat/{token}").text.count("waiting") >= 1


def test_bodies_are_bounded_and_must_be_forms(room_client: TestClient, teacher: Teacher) -> None:
    token = teacher.create("T", "ukraine")["ukraine"]
    big = {"csrf": "x", "move": "a" * (MAX_BODY + 1)}
    assert room_client.post(f"/seat/{token}/act", data=big).status_code == 413
    r = room_client.post(f"/seat/{token}/act", json={"do": "pass"})
    assert r.status_code == 415
    r = room_client.post(
        f"/seat/{token}/act",
        content=b"\xff\xfe",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 400


def test_posts_are_rate_limited_per_token(room_client: TestClient, teacher: Teacher) -> None:
    token = teacher.create("T", "ukraine")["ukraine"]
    codes = [
        room_client.post(f"/seat/{token}/act", data={"csrf": "x"}).status_code
        for _ in range(RATE + 1)
    ]
    assert codes[:RATE] == [403] * RATE
    assert codes[RATE] == 429


def test_script_in_a_name_is_shown_as_text(room_client: TestClient, teacher: Teacher) -> None:
    tokens = teacher.create("<script>alert(1)</script>", "ukraine")
    for url in (teacher.url, f"{teacher.url}/debrief", f"/seat/{tokens['ukraine']}"):
        page = room_client.get(url).text
        assert "<script>alert" not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
    teacher.control(1, "start")
    status, page = act(room_client, tokens["ukraine"], "move", "<script>alert(2)</script>")
    assert status == 409
    assert "<script>alert(2)" not in page and "&lt;script&gt;alert(2)" in page


@pytest.mark.parametrize("version", ["/instructor/{i}/version", "/seat/{s}/version"])
def test_the_version_grows_with_every_change(
    room_client: TestClient, teacher: Teacher, seed_room: Classroom, version: str
) -> None:
    token = teacher.create("T", "ukraine")["ukraine"]
    url = version.format(i=seed_room.instructor, s=token)
    before = int(room_client.get(url).text)
    teacher.control(1, "start")
    assert int(room_client.get(url).text) == before + 1
