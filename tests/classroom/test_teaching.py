"""The classroom's teaching pieces over Starlette's test client: counterparts on their
strategies, QR codes of the join links, predictions, printable role sheets, and the
debrief's utility against BATNA. Bad input is a 4xx, never a 500; scenario and user
text is escaped."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from negotiation.classroom import Classroom
from tests.classroom.web import Teacher, act, client_of, csrf_of

STRATEGIES = "labour-contract-2026-strategies"


@pytest.fixture
def labour(open_room: Callable[[str], Classroom]) -> Classroom:
    return open_room(STRATEGIES)


@pytest.fixture
def lab(labour: Classroom) -> Teacher:
    return Teacher(client_of(labour), labour)


def create(t: Teacher, name: str, form: dict[str, object]) -> tuple[int, str]:
    r = t.client.post(f"{t.url}/groups", data={"csrf": t.csrf(), "name": name, **form})
    return r.status_code, r.text


def test_the_instructor_chooses_seat_strategy_or_script_per_party(lab: Teacher) -> None:
    page = lab.client.get(lab.url).text
    assert '<select name="as-employer"' in page
    assert '<option value="strategy">follows its strategy (conceder)</option>' in page
    assert 'name="as-conciliation_service"' not in page  # no declared strategy: script only
    status, _ = create(lab, "Pay", {"party": ["union"], "as-employer": "strategy"})
    assert status == 303
    entry = lab.room.groups[1]
    assert entry.row.strategic == ("employer",)
    card = lab.client.get(lab.url).text
    assert "Other parties: employer: its strategy, conciliation_service: the script" in card
    # the choice survives a restart: the group is rebuilt with the same counterparts
    again = Classroom(lab.room.store, STRATEGIES)
    assert again.groups[1].group.log == entry.group.log


def test_a_strategy_answers_a_student_s_offer(lab: Teacher) -> None:
    create(lab, "Pay", {"party": ["union"], "as-employer": "strategy"})
    token = lab.room.groups[1].row.tokens["union"]
    assert lab.control(1, "start") == 303
    answer = re.compile(
        r'<span class="muted">([\d-]+)</span> <b>employer</b>: employer counters pay_deal '
        r"rise ([\d.]+)"
    )
    status, _ = act(lab.client, token, "move", "union counters pay_deal rise 5")
    assert status == 303
    page = lab.client.get(f"/seat/{token}").text
    # answered in the same request, on the day of the offer (2026-01-01)
    assert answer.findall(page) == [("2026-01-01", "0")]
    status, _ = act(lab.client, token, "move", "union counters pay_deal rise 5")
    page = lab.client.get(f"/seat/{token}").text
    (day, rise) = answer.findall(page)[-1]
    assert day == "2026-01-05" and 0 < float(rise) < 5  # later, it concedes
    assert "(its conceder strategy)" in page
    assert f"<b>on the table</b>: employer offers rise {rise}" in page
    assert "Offers: <code>union offers new_contract wages 0</code>" in page


def test_bad_choices_are_refused_with_a_4xx(lab: Teacher) -> None:
    status, page = create(lab, "x", {"party": ["union"], "as-employer": "robot"})
    assert status == 400 and "Unknown choice &#x27;robot&#x27;" in page
    status, page = create(lab, "x", {"party": ["union"], "as-conciliation_service": "strategy"})
    assert status == 400 and "no declared strategy for &#x27;conciliation_service&#x27;" in page
    status, page = create(lab, "x", {"party": ["union"], "as-<b>": "strategy"})
    assert status == 400 and "no declared strategy for &#x27;&lt;b&gt;&#x27;" in page
    assert "'<b>'" not in page
    # a party that a student plays ignores the strategy choice
    assert create(lab, "y", {"party": ["union"], "as-union": "strategy"})[0] == 303
    assert lab.room.groups[1].row.strategic == ()


def test_each_join_link_has_a_qr_code(teacher: Teacher, room_client: TestClient) -> None:
    tokens = teacher.create("<i>QR</i>", "ukraine", "russia")
    page = room_client.get(teacher.url).text
    assert page.count('<span class="qr" role="img" aria-label="QR code of the join link">') == 2
    assert page.count("<svg ") == 2 and "<script" not in page.split("<main>")[1]
    segno = pytest.importorskip("segno")
    url = f"http://testserver/seat/{tokens['ukraine']}"
    assert segno.make(url, error="m").svg_inline(scale=3, dark="#111827", light="#ffffff") in page
    assert "&lt;i&gt;QR&lt;/i&gt;" in page and "<i>QR</i>" not in page


def test_a_seat_s_role_sheet_prints(teacher: Teacher, room_client: TestClient) -> None:
    token = teacher.create("T", "ukraine")["ukraine"]
    assert f'href="/seat/{token}/role"' in room_client.get(teacher.url).text
    r = room_client.get(f"/seat/{token}/role")
    assert r.status_code == 200
    assert "Role sheet: Ukraine" in r.text and "Private: for Ukraine only" in r.text
    assert "@media print" in r.text and f'<a href="/seat/{token}">Back</a>' in r.text
    assert "<h2>Instructions</h2>" in r.text
    assert room_client.get("/seat/nope/role").status_code == 404


def test_predictions_in_the_browser_and_in_the_debrief(
    teacher: Teacher, room_client: TestClient
) -> None:
    create(teacher, "P", {"party": ["ukraine"], "predict": "on"})
    token = teacher.room.groups[1].row.tokens["ukraine"]
    assert teacher.control(1, "start") == 303
    page = room_client.get(f"/seat/{token}").text
    assert '<form method="post" action="/seat/' in page and 'id="predict"' in page
    assert "what will <b>deadline thanksgiving_deadline</b> be at the next stop?" in page
    status, page = act(room_client, token, "pass")
    assert status == 409 and "predict first" in page
    status, page = act(room_client, token, "predict", "<script>")
    assert status == 409 and "&lt;script&gt;" in page and "<script>" not in page.split("<main>")[1]
    assert act(room_client, token, "predict", "missed")[0] == 303
    assert 'id="predict"' not in room_client.get(f"/seat/{token}").text
    assert act(room_client, token, "pass")[0] == 303  # the clock moves: the prediction is scored
    page = room_client.get(f"/seat/{token}").text
    assert "Your predictions (0 of 1 right)" in page
    assert "you said missed; it was pending: wrong" in page
    debrief = room_client.get(f"{teacher.url}/debrief").text
    assert "<td>predictions right</td><td>ukraine 0 of 1</td>" in debrief
    assert "<h4>Predictions vs what happened</h4>" in debrief
    assert "<td>missed</td><td>pending</td><td>wrong</td>" in debrief


def test_the_debrief_shows_utility_of_a_package_agreed_by_offers(lab: Teacher) -> None:
    create(lab, "Deal", {"party": ["union"], "as-employer": "strategy"})
    create(lab, "No deal", {"party": ["union"], "as-employer": "strategy"})
    deal = lab.room.groups[1].row.tokens["union"]
    for gid in (1, 2):
        assert lab.control(gid, "start") == 303
    assert act(lab.client, deal, "move", "union accepts the offer on new_contract")[0] == 303
    assert lab.control(2, "end") == 303
    page = lab.client.get(f"{lab.url}/debrief").text
    assert "<td>agreement day</td><td>2026-01-01 (agreed by offers)</td><td>none</td>" in page
    assert (
        "<td>union: utility vs BATNA</td><td>0.020 vs BATNA 0.550 (below)</td>"
        "<td>no agreement: 0.550 (its BATNA) vs BATNA 0.550</td>"
    ) in page
    assert "<td>employer: utility vs BATNA</td><td>1.000 vs BATNA 0.600 (above)</td>" in page
    seat = lab.client.get(f"/seat/{deal}").text
    assert "wages: agreed at 0, hours: agreed at 37.5" in seat


def test_unknown_actions_and_seats_are_4xx(teacher: Teacher, room_client: TestClient) -> None:
    token = teacher.create("T", "ukraine")["ukraine"]
    csrf = csrf_of(room_client.get(f"/seat/{token}").text)
    r = room_client.post(f"/seat/{token}/act", data={"csrf": csrf, "do": "start"})
    assert r.status_code == 400
    assert teacher.control(1, "start") == 303
    status, page = act(room_client, token, "predict", "same")
    assert status == 409 and "nothing to predict" in page


def test_the_debrief_shows_each_valued_document(lab: Teacher) -> None:
    create(lab, "Pay", {"party": ["union"], "as-employer": "strategy"})
    token = lab.room.groups[1].row.tokens["union"]
    assert lab.control(1, "start") == 303
    for _ in range(2):  # countered on the first day, accepted on the next stop
        assert act(lab.client, token, "move", "union counters pay_deal rise 0.25")[0] == 303
    page = lab.client.get(f"{lab.url}/debrief").text
    assert "<td>pay_deal: agreement day</td><td>2026-01-05 (agreed by offers)</td>" in page
    # a rise of 0.25 % is worth 0.25 / 6 to the union, 1 - 0.25 / 6 to the employer
    assert "<td>pay_deal: union: utility vs BATNA</td><td>0.042 vs BATNA 0.250 (below)" in page
    assert "<td>pay_deal: employer: utility vs BATNA</td><td>0.958 vs BATNA 0.250 (above)" in page


PACKAGE = re.compile(
    r'<button name="move" value="([^"]+)">([^<]+)</button></td><td>([\d.]+)</td><td>([+-][\d.]+)'
)


def test_the_student_page_lists_packages_with_utility_against_batna(lab: Teacher) -> None:
    create(lab, "Pay", {"party": ["union"], "as-employer": "strategy"})
    token = lab.room.groups[1].row.tokens["union"]
    assert lab.control(1, "start") == 303
    page = lab.client.get(f"/seat/{token}").text
    pay = page[page.index('data-document="pay_deal"') :].split("</form>")[0]
    assert "pay_deal: on the table: employer: rise 0" in pay
    assert "Your BATNA 0.250" in pay and "(page 1 of 3)" in pay
    rows = PACKAGE.findall(pay)
    # the responses first, then the offers best for the union first, at most a page
    assert rows[0] == ("union accepts the offer on pay_deal", "accept employer&#x27;s offer",
                       "0.000", "-0.250")  # fmt: skip
    assert rows[1][:2] == ("union walks away from pay_deal", "walk away (no agreement)")
    assert rows[2] == ("union counters pay_deal rise 6", "offer rise 6 %", "1.000", "+0.750")
    utilities = [float(r[2]) for r in rows[2:]]
    assert utilities == sorted(utilities, reverse=True) and len(utilities) == 12
    assert '<a href="/seat/' in pay and "13 more offers</a>" in pay
    # "more": the next page goes on where the first stopped; a bad page number is page 1
    more = lab.client.get(f"/seat/{token}?page=1").text
    more_pay = more[more.index('data-document="pay_deal"') :].split("</form>")[0]
    assert PACKAGE.findall(more_pay)[2][1] == "offer rise 3 %"
    assert lab.client.get(f"/seat/{token}?page=-1").status_code == 200
    assert lab.client.get(f"/seat/{token}?page=99999999999").status_code == 200
    # the new contract's 5,616 packages: a page of them, and the count of the rest
    contract = page[page.index('data-document="new_contract"') :].split("</form>")[0]
    assert len(PACKAGE.findall(contract)) == 14 and "5604 more offers" in contract
    # posting an entry is a move like a typed one: the employer answers it the same day
    csrf = csrf_of(page)
    r = lab.client.post(f"/seat/{token}/act",
                        data={"csrf": csrf, "do": "move", "move": rows[2][0]})  # fmt: skip
    assert r.status_code == 303
    log = lab.room.groups[1].group.log
    assert [(x.day.isoformat(), x.text) for x in log[-2:]] == [
        ("2026-01-01", "union counters pay_deal rise 6"),
        ("2026-01-01", "employer counters pay_deal rise 0 (its conceder strategy)"),
    ]


def test_a_seat_without_a_declared_strategy_has_no_package_list(teacher: Teacher) -> None:
    tokens = teacher.create("Seed", "ukraine")
    assert teacher.control(1, "start") == 303
    page = teacher.client.get(f"/seat/{tokens['ukraine']}").text
    assert 'id="turn">Your turn' in page and 'id="packages"' not in page


def test_each_seat_predicts_about_its_own_situation_and_is_scored_per_seat(
    teacher: Teacher, room_client: TestClient
) -> None:
    create(teacher, "P", {"party": ["ukraine", "russia", "united_states"], "predict": "on"})
    tokens = teacher.room.groups[1].row.tokens
    assert teacher.control(1, "start") == 303
    ukraine = room_client.get(f"/seat/{tokens['ukraine']}").text
    russia = room_client.get(f"/seat/{tokens['russia']}").text
    assert "what will <b>deadline thanksgiving_deadline</b> be" in ukraine
    assert "what will <b>document twenty_eight_point_plan</b> be" in russia
    assert act(room_client, tokens["ukraine"], "predict", "same")[0] == 303
    assert act(room_client, tokens["russia"], "predict", "ratified")[0] == 303
    assert act(room_client, tokens["united_states"], "predict", "same")[0] == 303
    for party in ("ukraine", "russia", "united_states"):
        assert act(room_client, tokens[party], "pass")[0] == 303
    debrief = room_client.get(f"{teacher.url}/debrief").text
    right = "ukraine 1 of 1<br>united_states 1 of 1<br>russia 0 of 1"
    assert f"<td>predictions right</td><td>{right}</td>" in debrief
    assert "<td>russia</td><td>document twenty_eight_point_plan (was drafted)</td>" in debrief
