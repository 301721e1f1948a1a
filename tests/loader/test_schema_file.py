"""The JSON Schema of scenario files (``negotiation.loader._schema``): the shipped file is
the one the models give, and it says of each file what an editor needs to know.

Files are read as an editor's YAML language server reads them, YAML 1.2
(``tests.conftest.load_yaml12``), and checked with ``jsonschema`` (draft 2020-12):

* every bundled scenario, every valid fixture (tests/cli, tests/search, tests/teach)
  and every ```yaml example of docs/ is valid: no error at all. A what-if
  (``extends:``) is checked as written, on its own: the schema asks for ``id`` and
  ``title`` only of a file without ``extends`` (the base gives them), and everything
  else a what-if writes is whole (its items replace or follow the base's), so nothing
  needs skipping;
* every invalid fixture of tests/invalid/ that the schema can judge is rejected, at the
  value the fixture is about; the ones it cannot judge are listed with the reason, and
  the test checks that it indeed accepts them (or that the YAML reader refuses them
  first), so the list cannot go stale.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from typing import Any, get_args

import jsonschema
import pytest
import yaml
from pydantic import ValidationError

from negotiation.loader import (
    SCHEMA_FILE_NAME,
    SCHEMA_ID,
    bundled_names,
    load_scenario,
    resolve,
    scenario_json_schema,
)
from negotiation.model.dates import EARLIEST, LATEST, WRITTEN_FORM, FuzzyDate
from negotiation.model.errors import ScenarioError
from negotiation.model.events import Event
from negotiation.model.scenario import SCHEMA_VERSION, Scenario
from tests.conftest import ROOT, load_yaml12

SCENARIOS = ROOT / "scenarios"
SCHEMA = scenario_json_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
DOC_BLOCK = re.compile(r"^```yaml[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
"""A docs example, found as tests/test_docs_examples.py finds them."""


def errors(data: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:200]}"
        for e in VALIDATOR.iter_errors(data)
    ]


# -- the shipped file --------------------------------------------------------------------


def test_schema_file_is_up_to_date() -> None:
    on_disk = json.loads((SCENARIOS / SCHEMA_FILE_NAME).read_text(encoding="utf-8"))
    assert on_disk == SCHEMA, (
        "regenerate with: python -m negotiation.cli schema > scenarios/scenario.schema.json"
    )


def test_every_bundled_scenario_points_editors_at_the_schema() -> None:
    for name in bundled_names():
        first = resolve(name).read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema={SCHEMA_FILE_NAME}", name


def test_the_schema_names_its_dialect_and_itself_without_a_url() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"] == SCHEMA_ID == f"urn:negotiation:scenario-schema:v{SCHEMA_VERSION}"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    refs = re.findall(r'"\$ref": "([^"]*)"', json.dumps(SCHEMA))
    assert refs, "the models are referenced from $defs"
    assert all(r.startswith("#/$defs/") for r in refs), "nothing is fetched from elsewhere"


def _properties(node: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every property of every object schema, with where it is."""
    found: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "object" and isinstance(node.get("properties"), dict):
            found += [(f"{path}/{k}", v) for k, v in node["properties"].items()]
        for key, value in node.items():
            found += _properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _properties(value, f"{path}/{i}")
    return found


def test_every_property_has_a_description() -> None:
    properties = _properties(SCHEMA)
    assert len(properties) > 400  # the scenario, every model and the date's object form
    missing = [where for where, p in properties if not str(p.get("description", "")).strip()]
    assert not missing, f"{len(missing)} properties without a description: {missing[:20]}"


def test_the_shorthands_and_file_forms_are_in_the_schema() -> None:
    defs = SCHEMA["$defs"]
    date = defs["FuzzyDate"]
    assert [f.get("type") for f in date["anyOf"]] == ["string", "object"]  # not earliest/latest
    assert date["anyOf"][1]["required"] == ["on"]
    by = defs["Propose"]["properties"]["by"]
    assert [f["type"] for f in by["anyOf"]] == ["string", "array"]  # one party or a list
    source = defs["TransitionSpec"]["properties"]["source"]
    assert len(source["anyOf"]) == 3  # a state, a list of states, or *
    events = [k for k, v in defs.items() if "kind" in v.get("properties", {}) and "by" in v.get(
        "properties", {})]
    kinds = get_args(get_args(Event)[0])  # the union inside Annotated[..., discriminator]
    assert len(events) == len(kinds) >= 31
    assert all("kind" in defs[k]["required"] for k in events)  # the tag must be written


# -- a date's written forms --------------------------------------------------------------


def _parses(text: str) -> bool:
    try:
        FuzzyDate.model_validate(text)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("year", [1000, 1600, 1900, 2000, 2024, 2025, 2100, 2400, 8999])
def test_the_date_pattern_accepts_exactly_the_days_the_parser_reads(year: int) -> None:
    pattern = re.compile(WRITTEN_FORM)
    for month, day in itertools.product(range(14), range(33)):
        text = f"{year:04}-{month:02}-{day:02}"
        assert bool(pattern.match(text)) == _parses(text), text
        if day == 0:
            month_text = f"{year:04}-{month:02}"
            assert bool(pattern.match(month_text)) == _parses(month_text), month_text


def test_the_date_pattern_covers_ranges_and_the_calendar_bounds() -> None:
    pattern = re.compile(WRITTEN_FORM)
    assert pattern.match("2025-11-28..2025-12-12")
    assert pattern.match("2025-11-28 .. 2025-12-12")
    assert not pattern.match("2025-11-28..2025-02-30")
    assert not pattern.match("2025-11-28..")
    before, after = EARLIEST - dt.timedelta(days=1), LATEST + dt.timedelta(days=1)
    for outside in (before.isoformat(), after.isoformat(), "0999-12", "9000-01"):
        assert not pattern.match(outside), outside
        assert not _parses(outside), outside
    assert not pattern.match("20251210")  # Python's fromisoformat reads it; the docs do not


# -- valid files: no error ---------------------------------------------------------------

FIXTURE_DIRS = [SCENARIOS, *(ROOT / "tests" / d for d in ("cli", "search", "teach"))]
INVALID_ON_PURPOSE = {"tests/cli/invalid.yaml", "tests/cli/malformed.yaml"}
"""Fixtures of the CLI tests that must fail; the schema cannot judge invalid.yaml
(unknown names, a bad condition) and malformed.yaml is not YAML."""
FILES = sorted(
    p.relative_to(ROOT).as_posix() for d in FIXTURE_DIRS for p in d.glob("*.yaml")
)


def _doc_examples() -> list[Any]:
    found = []
    for path in sorted((ROOT / "docs").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for match in DOC_BLOCK.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(pytest.param(match.group(1), id=f"{path.name}:{line}"))
    return found


DOC_EXAMPLES = _doc_examples()


def test_the_files_checked_are_the_ones_expected() -> None:
    assert len([f for f in FILES if f.startswith("scenarios/")]) == len(bundled_names()) >= 7
    assert set(FILES) >= INVALID_ON_PURPOSE

    assert len(FILES) - len(INVALID_ON_PURPOSE) >= 12
    assert len(DOC_EXAMPLES) >= 15
    assert any("extends:" in str(p.values[0]) for p in DOC_EXAMPLES)


@pytest.mark.parametrize("name", [f for f in FILES if f not in INVALID_ON_PURPOSE])
def test_valid_file_has_no_schema_error(name: str) -> None:
    load_scenario(str(ROOT / name))  # valid for the loader, so it must be for the schema
    assert errors(load_yaml12((ROOT / name).read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("name", sorted(INVALID_ON_PURPOSE))
def test_the_cli_fixtures_meant_to_fail_do_fail(name: str) -> None:
    with pytest.raises(ScenarioError):
        load_scenario(str(ROOT / name))


@pytest.mark.parametrize("text", DOC_EXAMPLES)
def test_docs_example_has_no_schema_error(text: str) -> None:
    assert errors(load_yaml12(text)) == []


# -- invalid fixtures ----------------------------------------------------------------------

INVALID = ROOT / "tests" / "invalid"

JUDGED: dict[str, tuple[str, str]] = {
    "04-wrong-type": ("deadlines/0/priority", "type"),
    "05-unknown-field-did-you-mean": ("timeline/0", "additionalProperties"),
    "06-missing-required-field": ("documents/1", "required"),
    "13-impossible-date": ("timeline/0/date", "pattern"),
    "16-inferred-date-without-note": ("timeline/0/date", "required"),
    "22-newer-schema-version": ("version", "maximum"),
    "23-unknown-event-kind": ("timeline/0/kind", "const"),
    "24-top-level-not-mapping": ("", "type"),
    "25-empty-file": ("", "type"),
    "26-negative-day-count": ("deadlines/0/within_days", "minimum"),
    "30-extends-url": ("extends", "pattern"),
    # the alias budget is the reader's; the schema refuses the keys a..i, unknown fields
    "32-billion-laughs": ("", "additionalProperties"),
    "33-deep-nesting": ("assumptions/0", "type"),
    "34-id-not-snake-case": ("facts/0/id", "pattern"),
    "36-unknown-stance-did-you-mean": ("positions/0/stance", "enum"),
    "37-merge-key": ("documents/1", "additionalProperties"),  # YAML 1.2: '<<' is a key
    "39-interest-without-assumption": ("interests/0", "required"),
    "43-interest-weight-not-positive": ("interests/0/points/share/weight", "exclusiveMinimum"),
    "44-interest-value-above-one": ("interests/0/points/venue/values/south", "maximum"),
    "54-strategy-without-assumption": ("strategies/0", "required"),
    "55-strategy-boulware-conceding-early": ("strategies/0/e", "exclusiveMaximum"),
    "58-remove-without-extends": ("", "not"),
    "59-extends-remove-list-without-ids": ("remove", "additionalProperties"),
    "60-several-problems-in-one-pass": ("parties/1", "additionalProperties"),
    "66-vote-result-unknown": ("timeline/0/result", "enum"),
}
"""Fixture -> (the path of the value it is about, the schema keyword that rejects it)."""

YAML_REFUSES = {
    "01-yaml-syntax": "not YAML: the reader fails before any schema applies",
    "02-tab-indentation": "not YAML: the reader fails before any schema applies",
    "29-python-object-tag": "a tag outside the core schema: the reader refuses it",
}
NOT_JUDGED = {
    "03-duplicate-key": "YAML forbids duplicate keys, but a reader keeps one of them; "
    "the schema sees one value (editors flag the duplicate themselves)",
    "07-unknown-party": "a reference to a party: needs the whole scenario",
    "08-unknown-document": "a reference to a document: needs the whole scenario",
    "09-unknown-point": "a reference to a point: needs the whole scenario",
    "10-unknown-deadline": "a reference to a deadline: needs the whole scenario",
    "11-unknown-fact": "a reference to a fact: needs the whole scenario",
    "12-unknown-branch": "a reference to a branch: needs the whole scenario",
    "14-window-latest-before-earliest": "an order between two values",
    "15-extension-before-due": "the order of two dates, one of them another item's",
    "17-condition-syntax-error": "the condition language is parsed by the loader",
    "18-condition-unknown-party": "a name inside a condition: needs the whole scenario",
    "19-derived-from-cycle": "a cycle of references between documents",
    "20-extends-cycle": "a cycle through other files",
    "21-duplicate-ids": "ids unique within a list: JSON Schema compares whole items only",
    "27-lifecycle-initial-not-in-states": "a reference from one field to another's values",
    "28-transition-unknown-trigger": "a reference to a lifecycle's triggers",
    "31-extends-missing-parent": "another file, which may not exist",
    "35-horizon-before-start": "the order of two dates",
    "38-unknown-party-in-position": "a reference to a point: needs the whole scenario",
    "40-interest-unknown-party": "a reference to a party: needs the whole scenario",
    "41-interest-unknown-point": "a reference to a point: needs the whole scenario",
    "42-interest-unknown-option": "a reference to a point's options: needs the whole scenario",
    "45-interest-batna-unknown-fact": "a name inside a condition: needs the whole scenario",
    "46-interest-numeric-range-valued-by-label": "depends on the kind of the point's options",
    "47-interest-missing-option-value": "a value for each of a point's options: needs the point",
    "48-interest-unknown-document": "a reference to a document: needs the whole scenario",
    "49-point-options-not-whole-steps": "an arithmetic relation between three numbers",
    "50-rule-loop-at-start": "rules that fire each other: needs the engine",
    "51-branch-probabilities-past-one": "a sum over the items of a list",
    "52-expectation-after-horizon": "the order of two dates",
    "53-text-not-utf8-encodable": "half a surrogate pair: JSON Schema sees only characters",
    "56-extends-replace-unknown-event": "an id the base has: needs another file",
    "57-extends-remove-unknown-rule": "an id the base has: needs another file",
    "61-interest-values-unknown-state": "a state of a document's lifecycle: needs the scenario",
    "62-interest-values-unknown-fact": "a reference to a fact: needs the whole scenario",
    "63-condition-several-unknown-names": "names inside a condition: needs the whole scenario",
    "65-threshold-unknown-weight": "a reference to a declared weight: needs the whole scenario",
}
"""What the schema cannot judge, and why; ``negotiation validate`` reports each."""


def _judgements(errs: list[jsonschema.ValidationError]) -> set[tuple[str, str]]:
    """(path, keyword) of every error, the alternatives' inside anyOf/oneOf included."""
    found: set[tuple[str, str]] = set()
    for e in errs:
        found.add(("/".join(map(str, e.absolute_path)), str(e.validator)))
        found |= _judgements(list(e.context or []))
    return found


def test_every_invalid_fixture_is_classified() -> None:
    fixtures = {p.stem for p in INVALID.glob("[0-9][0-9]-*.yaml")}
    classified = [*JUDGED, *YAML_REFUSES, *NOT_JUDGED]
    assert sorted(classified) == sorted(fixtures)


@pytest.mark.parametrize("stem", sorted(JUDGED))
def test_the_schema_rejects_the_invalid_fixture(stem: str) -> None:
    data = load_yaml12((INVALID / f"{stem}.yaml").read_text(encoding="utf-8"))
    errs = list(VALIDATOR.iter_errors(data))
    assert errs, "the schema accepts it"
    assert JUDGED[stem] in _judgements(errs), sorted(_judgements(errs))


@pytest.mark.parametrize("stem", sorted(YAML_REFUSES))
def test_the_yaml_reader_refuses_the_fixture(stem: str) -> None:
    with pytest.raises(yaml.YAMLError):
        load_yaml12((INVALID / f"{stem}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("stem", sorted(NOT_JUDGED))
def test_the_schema_cannot_judge_the_fixture(stem: str) -> None:
    data = load_yaml12((INVALID / f"{stem}.yaml").read_text(encoding="utf-8"))
    assert errors(data) == [], "the schema judges it now: move it to JUDGED"


# -- constraints beyond types --------------------------------------------------------------


def _scenario(**fields: Any) -> dict[str, Any]:
    return {"id": "t", "title": "T", **fields}


@pytest.mark.parametrize(
    ("fields", "ok"),
    [
        ({"invariants": [{"id": "i", "never": "x"}]}, True),
        ({"invariants": [{"id": "i"}]}, False),
        ({"invariants": [{"id": "i", "never": "x", "always": "y"}]}, False),
        ({"decisions": [{"id": "d", "at": "2025-12", "free": True, "parties": ["a"]}]}, True),
        ({"decisions": [{"id": "d", "at": "2025-12", "when": "x", "free": True}]}, False),
        ({"deadlines": [{"id": "d", "kind": "default", "requirement": "x", "within_days": 3,
                         "anchor": {"condition": "x"}}]}, True),
        ({"deadlines": [{"id": "d", "kind": "default", "requirement": "x", "within_days": 3,
                         "anchor": {"condition": "x", "date": "2025-12-01"}}]}, False),
        ({"start": {"on": "2025-11", "inferred": True, "note": "from the month"}}, True),
        ({"start": {"on": "2025-11", "inferred": True, "note": ""}}, False),
        ({"extends": "base.yaml", "title": "Only the title"}, True),
        ({"extends": "C:/scenarios/base.yaml"}, True),
        ({"extends": "file:base.yaml"}, False),
        ({"version": 0}, False),
        ({"timeline": [{"date": "2025-12-01", "kind": "sign", "by": "a", "document": "p"}]}, True),
        ({"timeline": [{"date": "2025-12-01", "by": "a", "document": "p"}]}, False),
    ],
)
def test_the_schema_agrees_with_the_models_on(fields: dict[str, Any], ok: bool) -> None:
    data = _scenario(**fields)
    if "extends" in fields:  # the loader merges the base first: the model cannot tell
        data = {k: v for k, v in data.items() if k != "id"}
    else:
        try:
            Scenario.model_validate(data)
        except ValidationError:
            assert not ok, "the model refuses it"
        else:
            assert ok, "the model accepts it"
    assert (errors(data) == []) is ok, errors(data)
