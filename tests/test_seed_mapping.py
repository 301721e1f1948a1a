"""Every row of the fact sheet's event table and every party it names map onto the bundled
Ukraine scenario, with the right dates; and every item of the structured seed
(seeds/ukraine-2025-12.yaml) has its counterpart, under the same id, in the scenario.

The fact sheet's rows are hard-coded here so that the test runs without ``../shared``;
when ``../shared/seeds/FACTS.md`` is present beside the repo it is parsed too, and every
row found there must be one of the hard-coded rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pytest
import yaml

from negotiation import Scenario
from negotiation.loader import load_scenario
from negotiation.model.dates import FuzzyDate
from tests.conftest import ROOT

FACTS = ROOT.parent / "shared" / "seeds" / "FACTS.md"
SEED = ROOT / "seeds" / "ukraine-2025-12.yaml"

D = dt.date
WED = D(2025, 12, 10)
THU = D(2025, 12, 11)


@dataclass(frozen=True)
class Row:
    """One row of the fact sheet's event table: its first words, and where it went."""

    when: str
    who: str  # first word of the "who" column
    what: str  # first words of the "what" column
    events: tuple[tuple[str, D, D], ...]  # (event id, earliest allowed, latest allowed)
    parties: frozenset[str] = field(default_factory=frozenset)  # must act or attend


ROWS: tuple[Row, ...] = (
    Row("Nov 2025", "US", "28-point plan put out",
        (("plan_28_released", D(2025, 11, 1), D(2025, 11, 30)),),
        frozenset({"united_states"})),
    Row("by 27 Nov 2025", "Trump", "deadline: accept by Thanksgiving",
        (("thanksgiving_deadline_set", D(2025, 11, 1), D(2025, 11, 27)),),
        frozenset({"united_states"})),
    Row("27 Nov 2025", "—", "deadline passes without acceptance",
        (("thanksgiving_deadline_lapsed", D(2025, 11, 27), D(2025, 11, 27)),
         ("christmas_extension", D(2025, 11, 28), D(2025, 12, 12)))),
    # The fact sheet lists "US, Ukraine" as the parties around the plan; who drafted it is
    # not stated, so the derive event names no actor.
    Row("after Nov 2025", "US", "20-point plan derived",
        (("plan_20_derived", D(2025, 11, 1), D(2025, 12, 10)),)),
    Row("Wed 10 Dec 2025", "Ukraine", "reconstruction meeting",
        (("reconstruction_meeting", WED, WED),),
        frozenset({"ukraine", "united_states", "blackrock"})),
    Row("Wed 10 Dec 2025", "Ukraine", "updated reflections",
        (("plan_20_comments_updated", WED, WED), ("plan_20_core_text", WED, WED)),
        frozenset({"ukraine"})),
    Row("Wed 10 Dec 2025", "Zelensky", "ready for elections",
        (("elections_offer", WED, WED), ("election_security_request", WED, WED)),
        frozenset({"ukraine", "united_states"})),
    Row("Thu 11 Dec 2025", "Ukraine", "Coalition meeting",
        (("coalition_meeting", THU, THU), ("coalition_meeting_statement", THU, THU)),
        frozenset({"ukraine", "coalition_of_the_willing", "united_states"})),
    Row("Thu 11 Dec 2025", "Ukraine", "in-depth talks",
        (("security_guarantees_talks", THU, THU), ("guarantees_priority_statement", THU, THU),
         ("guarantees_work_agreed", THU, THU)),
        frozenset({"ukraine", "united_states"})),
    Row("Thu 11 Dec 2025", "Rutte", "Berlin speech",
        (("rutte_berlin_speech", THU, THU),),
        frozenset({"nato"})),
    Row("25 Dec 2025", "—", "extended deadline",
        (("christmas_deadline_pending", D(2025, 12, 25), D(2025, 12, 25)),)),
)

PARTIES = {
    "Ukraine": "ukraine",
    "United States": "united_states",
    "Coalition of the Willing": "coalition_of_the_willing",
    "NATO": "nato",
    "Russia": "russia",
    "BlackRock": "blackrock",
    "The article's author": "article_author",
}

PEOPLE = {
    "Volodymyr Zelensky": "ukraine",
    "Donald Trump": "united_states",
    "Marco Rubio": "united_states",
    "Pete Hegseth": "united_states",
    "Steve Witkoff": "united_states",
    "Jared Kushner": "united_states",
    "Jack Keane": "united_states",
    "Alexus Grynkewich": "united_states",
    "Josh Gruenbaum": "united_states",
    "Scott Bessent": "united_states",
    "Mark Rutte": "nato",
    "Larry Fink": "blackrock",
}


@cache
def ukraine() -> Scenario:
    return load_scenario("ukraine-2025-12")


def events() -> dict[str, Any]:
    return {e.id: e for e in ukraine().timeline if e.id}


def paragraphs(text: str) -> set[int]:
    """Paragraph numbers in refs such as ``¶5-8``, ``¶11, ¶12`` or ``(¶1, ¶3)``."""
    out: set[int] = set()
    for lo, hi in re.findall(r"¶(\d+)(?:-(\d+))?", text):
        out |= set(range(int(lo), int(hi or lo) + 1))
    return out


def actors(event: Any) -> set[str]:
    names = [*event.by, *getattr(event, "attendees", [])]
    if event.kind == "request":
        names += event.to
    return {n.partition(".")[0] for n in names}


# -- the hard-coded rows ------------------------------------------------------------------


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.when}|{r.who}|{r.what}")
def test_row_maps_to_timeline_events(row: Row) -> None:
    timeline = events()
    seen: set[str] = set()
    refs: set[int] = set()
    for event_id, lo, hi in row.events:
        assert event_id in timeline, f"{event_id} is not in the Ukraine timeline"
        event = timeline[event_id]
        assert event.date is not None
        assert lo <= event.date.earliest, f"{event_id}: {event.date.display()} before {lo}"
        assert event.date.latest <= hi, f"{event_id}: {event.date.display()} after {hi}"
        seen |= actors(event)
        refs |= paragraphs(event.attribution.ref if event.attribution else "")
    assert row.parties <= seen, f"{row.what}: {sorted(row.parties - seen)} neither act nor attend"
    assert refs, f"{row.what}: the mapped events cite no paragraph"


def test_christmas_row_is_the_extended_due_date() -> None:
    ext = events()["christmas_extension"]
    assert ext.to.last_day == D(2025, 12, 25)


def test_every_party_and_person_is_modelled() -> None:
    parties = {p.id: p for p in ukraine().parties}
    for name, party_id in PARTIES.items():
        assert party_id in parties, f"{name} -> {party_id} is not a party"
    for person, party_id in PEOPLE.items():
        names = {r.name for r in parties[party_id].representatives}
        assert person in names, f"{person} is not a representative of {party_id}"


# -- the fact sheet itself, when it is beside the repo -------------------------------------


def facts_text() -> str:
    if not FACTS.is_file():
        pytest.skip(f"{FACTS} is not present (the hard-coded rows are checked instead)")
    return FACTS.read_text(encoding="utf-8")


def parse_event_rows(text: str) -> list[tuple[str, str, str]]:
    section = text.split("## Events, in order", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("when", "---"):
            continue
        rows.append((cells[0], cells[1], cells[2]))
    return rows


def parse_party_heads(text: str) -> list[str]:
    section = text.split("## Parties and people", 1)[1].split("\n## ", 1)[0]
    return [line[2:].split(":", 1)[0].strip() for line in section.splitlines()
            if line.startswith("- ")]


def test_fact_sheet_rows_are_all_mapped() -> None:
    parsed = parse_event_rows(facts_text())
    assert len(parsed) == len(ROWS), f"the fact sheet has {len(parsed)} rows, mapped {len(ROWS)}"
    for when, who, what in parsed:
        first_who = who.split()[0].rstrip(",")
        matches = [r for r in ROWS
                   if r.when == when and r.who == first_who and what.startswith(r.what)]
        assert len(matches) == 1, f"row {when} | {who} | {what} is not mapped exactly once"
        assert paragraphs(what), f"row {what!r} cites no paragraph"


def test_fact_sheet_parties_are_all_mapped() -> None:
    heads = parse_party_heads(facts_text())
    assert heads
    assert set(heads) == set(PARTIES), f"unmapped: {sorted(set(heads) - set(PARTIES))}"


# -- the structured seed ------------------------------------------------------------------


@cache
def seed() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    return data


def seed_date(value: dict[str, Any]) -> FuzzyDate:
    return FuzzyDate.model_validate(str(value["value"]))


def test_seed_events_are_timeline_events_on_the_same_dates() -> None:
    timeline = events()
    for item in seed()["events"]:
        assert item["id"] in timeline, f"seed event {item['id']} is not in the timeline"
        expected = seed_date(item["date"])
        got = timeline[item["id"]].date
        assert (got.earliest, got.latest) == (expected.earliest, expected.latest), item["id"]
        assert got.inferred == bool(item["date"].get("inferred")), item["id"]


def test_seed_opinions_are_attributed_statements() -> None:
    timeline = events()
    for item in seed()["opinions"]:
        event = timeline.get(item["id"])
        assert event is not None, f"seed opinion {item['id']} is not in the timeline"
        assert event.kind == "statement"
        assert event.attribution.kind.value == "opinion"
        assert event.attribution.status.value == item["status"]
        assert event.attribution.speaker == item["speaker"]
        assert paragraphs(event.attribution.ref) <= set(item["paras"]) | set(range(1, 19))
        assert paragraphs(event.attribution.ref) & set(item["paras"]), item["id"]


def test_seed_parties_documents_and_deadlines() -> None:
    sc = ukraine()
    assert {p["id"] for p in seed()["parties"]} == {p.id for p in sc.parties}
    assert {d["id"] for d in seed()["documents"]} == {d.id for d in sc.documents}
    deadlines = {d.id for d in sc.deadlines}
    for item in seed()["deadlines"]:
        assert item["id"] in deadlines or item["id"] in events(), item["id"]
    assert seed()["source"]["id"] == sc.sources[0].id
