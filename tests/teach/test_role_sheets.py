"""docs/role-sheets.md: a sheet for every party a lesson plays, true to its scenario.

The decisions a sheet lists are the ones `play` asks of that party, on the same days; the
numbers an invented party's sheet gives are its scenario's interests; a party of the
recorded case gets no interests, because the source states none.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex

import pytest

from negotiation.model.interests import Interest
from tests.conftest import ROOT, engine_of, invoke

SHEETS = (ROOT / "docs" / "role-sheets.md").read_text(encoding="utf-8")
LESSONS = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")
MONTHS = {m: i for i, m in enumerate(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"), start=1)}  # fmt: skip


def sections() -> dict[str, str]:
    parts = re.split(r"^## (Lesson .+)$", SHEETS, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def sheet(lesson: int, party: str) -> str:
    found = [body for head, body in sections().items()
             if re.match(rf"Lesson (\d and lesson )?{lesson}\b|Lesson \d and lesson {lesson}\b",
                         head) and party.lower() in head.lower()]  # fmt: skip
    assert len(found) == 1, (lesson, party, list(sections()))
    return found[0]


def played_in_lessons() -> list[tuple[int, str, list[str]]]:
    """(lesson, party id, the play command's arguments) for every `play --as` in the plans."""
    found = []
    for n, body in enumerate(re.split(r"^## Lesson \d", LESSONS, flags=re.MULTILINE)[1:], 1):
        for line in body.split("\n## ", 1)[0].splitlines():
            if line.startswith("$ negotiation play "):
                args = shlex.split(line)[2:]
                found.append((n, args[args.index("--as") + 1], args))
    return found


def heading_name(party: str) -> str:
    return party.replace("_", " ")


def scripted_decision_days(args: list[str]) -> list[tuple[int, int]]:
    """The (month, day) of each decision `play` asks, answering every one as scripted."""
    args = [a for a in args if a != "--predict"]
    result = invoke(*args, input="scripted\n" * 40)
    assert result.exit_code == 0, result.output
    days = re.findall(r"^DECISION (\d{4})-(\d\d)-(\d\d)", result.stdout, flags=re.MULTILINE)
    return [(int(m), int(d)) for _, m, d in days]


def listed_decision_days(body: str) -> list[tuple[int, int]]:
    block = body.split("**Your decisions", 1)[1].split("\n**", 1)[0]
    days = re.findall(r"^\d+\. (\d{1,2}) (\w+)", block, flags=re.MULTILINE)
    return [(MONTHS[m], int(d)) for d, m in days]


def test_every_party_a_lesson_plays_has_a_sheet_and_the_lesson_points_to_it() -> None:
    plays = played_in_lessons()
    assert {(n, p) for n, p, _ in plays} >= {(1, "ukraine"), (2, "northland"),
                                            (3, "united_states"), (4, "northland"),
                                            (5, "russia")}  # fmt: skip
    for n, party, _ in plays:
        assert sheet(n, heading_name(party))
    lessons = re.split(r"^## Lesson \d", LESSONS, flags=re.MULTILINE)[1:]
    for n, body in enumerate(lessons, 1):
        if "play --as" in body or "**Role play" in body:
            assert "role-sheets.md" in body, n


@pytest.mark.parametrize(("lesson", "party", "args"), played_in_lessons(),
                         ids=lambda x: str(x) if not isinstance(x, list) else "")  # fmt: skip
def test_a_sheet_lists_the_decisions_play_asks_on_their_days(
    lesson: int, party: str, args: list[str]
) -> None:
    body = sheet(lesson, heading_name(party))
    asked = scripted_decision_days(args)
    if not asked:
        assert "**Your decisions in the record.** None." in body
        return
    assert listed_decision_days(body) == asked
    command = re.search(r"`(negotiation play --as [^`]+)`", body)
    assert command, "the sheet names the command that plays it"
    assert shlex.split(command.group(1))[1:] == [a for a in args if a != "--predict"]


@pytest.mark.parametrize("party", ["ukraine", "united_states", "russia"])
def test_parties_of_the_recorded_case_get_no_interests(party: str) -> None:
    assert not engine_of("ukraine-2025-12").scenario.interests
    lesson = {"ukraine": 1, "united_states": 3, "russia": 5}[party]
    body = sheet(lesson, heading_name(party))
    assert "interest" not in body.lower() and "BATNA" not in body
    if party != "russia":
        assert "gives none, because the source states none" in " ".join(body.split())


def interest(scenario: str, party: str, document: str) -> Interest:
    sc = engine_of(scenario).scenario
    return next(x for x in sc.interests if x.party == party and x.document == document)


def break_even(x: Interest) -> int:
    """The share at which a one-point linear interest is worth the party's BATNA."""
    line = x.points["share"].linear
    assert line is not None and isinstance(x.batna, float)
    return round(line.worst + x.batna * (line.best - line.worst))


@pytest.mark.parametrize(("lesson", "scenario", "document"), [
    (7, "trade-deal-2026-deadline-effect", "quota_boulware"),
    (9, "trade-deal-2026-concessions", "fund_linear"),
])  # fmt: skip
def test_one_point_sheets_give_the_scenarios_batna_and_break_even(
    lesson: int, scenario: str, document: str
) -> None:
    for party, side in (("northland", "above"), ("southland", "below")):
        x = interest(scenario, party, document)
        body = " ".join(sheet(lesson, party).split())
        assert "an assumption, invented for teaching" in body
        assert f"you get {x.batna}" in body
        assert f"any share {side} {break_even(x)} %" in body


def test_the_ripeness_sheets_give_the_scenarios_weights_batnas_and_delay() -> None:
    scenario = "trade-deal-2026-ripeness"
    sc = engine_of(scenario).scenario
    assert sc.start is not None
    days = (dt.date(2026, 5, 18) - sc.start.sort_date).days
    for party in ("northland", "southland"):
        x = interest(scenario, party, "fishing_accord")
        body = " ".join(sheet(8, party).split())
        share, season = x.points["share"].weight, x.points["closed_season"].weight
        assert f"weigh the share {share:g} and the closed season {season:g}" in body
        assert f"/ {share + season:g}" in body
        assert x.delay is not None and x.delay.per_day is not None
        assert f"costs you {x.delay.per_day:g}" in body
        assert f"subtract {x.delay.per_day * days:.3f}" in body
        assert not isinstance(x.batna, float)
        lowered = x.batna.cases[0].value
        assert f"you get {lowered:g} (your BATNA, lowered from {x.batna.default:g})" in body
