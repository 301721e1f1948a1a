"""The loader's two paths agree: the fast path (plain data from the parser's events, no
positions) and the located path (every value located, every problem reported).

The fast path may only ever return what the located path would: the same ``Scenario``
for a valid file, and nothing at all (it gives up) for any file with a problem. The
located path is the one the error tests (test_loader, tests/invalid, tests/hostile,
tests/fuzz) pin; these tests keep the fast path honest against it, with and without
libyaml.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from negotiation import loader
from negotiation.loader import _extends, _messages, _yaml
from negotiation.loader._located import parse
from negotiation.model.errors import ScenarioError
from negotiation.model.scenario import Scenario
from tests.conftest import ROOT

INVALID = ROOT / "tests" / "invalid"
HOSTILE = ROOT / "tests" / "hostile" / "files"

HEAD = """\
id: demo
title: Demo
parties:
  - {id: alpha, name: Alpha}
documents:
  - {id: plan, title: Plan, requires_acceptance: [alpha]}
"""


@pytest.fixture(params=["libyaml", "pure-python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with libyaml's parser on the fast path (when installed) and without."""
    if request.param == "libyaml" and _yaml._CParser is None:
        pytest.skip("PyYAML without libyaml")
    if request.param == "pure-python":
        monkeypatch.setattr(_yaml, "_CParser", None)
    return str(request.param)


def _located(text: str, file: str = "<string>") -> Scenario:
    chain = () if file.startswith("<") else ((Path(file).resolve(), file),)
    limits = loader._limits()
    parsed = loader._located(text, file, chain, limits)
    return _messages.validate(parsed, loader.MAX_TIMELINE_EVENTS, loader.MAX_PROBLEMS)


def _fast(text: str, file: str = "<string>") -> Scenario:
    chain = () if file.startswith("<") else ((Path(file).resolve(), file),)
    return loader._fast(text, file, chain, loader._limits())


def _outcome(load: object, *args: str) -> object:
    try:
        return load(*args).model_dump_json()  # type: ignore[operator]
    except ScenarioError as e:
        return [(p.location, p.message, p.offset) for p in e.problems]


@pytest.mark.parametrize("name", loader.bundled_names())
def test_bundled_scenarios_take_the_fast_path_and_match_the_located_one(
    parser: str, name: str
) -> None:
    path = loader.resolve(name)
    text = path.read_text(encoding="utf-8")
    assert _fast(text, str(path)) == _located(text, str(path))


def test_the_plain_merge_matches_the_located_merge() -> None:
    for name in loader.bundled_names():
        path = loader.resolve(name)
        text = path.read_text(encoding="utf-8")
        if "extends:" not in text:
            continue
        base = loader.resolve(str(_yaml.plain_data(text, loader._limits())["extends"]))
        child = parse(text, str(path), loader._limits()).tree
        parent = parse(base.read_text(encoding="utf-8"), str(base), loader._limits()).tree
        plain = _extends.merge_plain(_messages.plain(parent), _messages.plain(child))
        merged, problems = _extends.merge(parent, child)
        assert (plain, problems) == (_messages.plain(merged), [])


ENGINE_REFUSED = {"50-rule-loop-at-start.yaml"}
"""Fixtures that load: the engine refuses them before the first event (validate_file)."""


@pytest.mark.parametrize(
    "path",
    sorted(
        p
        for p in [*INVALID.glob("[0-9][0-9]-*.yaml"), *HOSTILE.glob("[0-9][0-9]-*.yaml")]
        if p.name not in ENGINE_REFUSED
    ),
)
def test_the_fast_path_gives_up_on_every_invalid_file(parser: str, path: Path) -> None:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return  # refused before either path reads it
    with pytest.raises(_yaml.Defer):
        _fast(text, str(path))
    with pytest.raises(ScenarioError):
        loader.load_text(text, str(path))


@pytest.mark.parametrize("name", sorted(ENGINE_REFUSED))
def test_a_file_the_engine_refuses_loads_the_same_on_both_paths(parser: str, name: str) -> None:
    text = (INVALID / name).read_text(encoding="utf-8")
    assert _fast(text, name) == _located(text, name)
    with pytest.raises(ScenarioError):
        loader.validate_file(INVALID / name)


FALLS_BACK = [
    # libyaml reads tabs as separators here; PyYAML's scanner refuses them
    (HEAD + "summary:\tx\n", 7, "found character '\\t' that cannot start any token"),
    (HEAD + "summary: a\tb\n", 7, "cannot start any token"),
    (HEAD + "assumptions: [\ta]\n", 7, "cannot start any token"),
    # a byte order mark inside the text
    (HEAD + "\ufeffsummary: x\n", 7, ""),
    # tags, merge keys, aliases as keys, duplicate keys: located problems
    (HEAD + "summary: !!str x\nsources_note: 1\n", 8, "unknown field 'sources_note'"),
    (HEAD + "x: &k summary\n*k : text\n", 7, "unknown field 'x'"),
    (HEAD + "summary: a\nsummary: b\n", 8, "duplicate key 'summary'"),
]


@pytest.mark.parametrize(("text", "line", "message"), FALLS_BACK)
def test_texts_the_fast_path_does_not_take_are_reported_by_the_located_one(
    parser: str, text: str, line: int, message: str
) -> None:
    with pytest.raises(_yaml.Defer):
        _fast(text)
    with pytest.raises(ScenarioError) as info:
        loader.load_text(text)
    assert any(p.location.line == line and message in p.message for p in info.value.problems), (
        str(info.value)
    )


def test_tabs_and_tags_inside_values_still_load(parser: str) -> None:
    """Texts the fast path leaves to the located path still load when they are valid."""
    quoted = loader.load_text(HEAD + 'summary: "a\\tb\tc"\n')
    tagged = loader.load_text(HEAD + "summary: !!str 12\n")
    assert quoted.summary == "a\tb\tc"
    assert tagged.summary == "12"
    assert loader.load_text(HEAD + "summary: &s text\nassumptions: [*s, *s]\n").assumptions


def test_aliases_report_the_anchored_value_at_each_use(parser: str) -> None:
    """An alias is the anchored value written out again: its problems are reported at
    the anchor's line, once per use, with the field path of each use."""
    text = HEAD + "x: &a {k: !!python/name:os.system v}\nassumptions: [*a, *a]\n"
    with pytest.raises(ScenarioError) as info:
        loader.load_text(text, "a.yaml")
    tagged = [p for p in info.value.problems if "not allowed" in p.message]
    assert [(p.location.line, p.location.column) for p in tagged] == [(7, 11)] * 3
    assert [p.location.path for p in tagged] == [
        ("x", "k"),
        ("assumptions", 0, "k"),
        ("assumptions", 1, "k"),
    ]


def test_no_loader_module_uses_an_unsafe_yaml_api_or_eval() -> None:
    for path in Path(loader.__file__).parent.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for banned in (
            "yaml.load(",
            "yaml.unsafe_load",
            "UnsafeLoader",
            "FullLoader",
            "construct_",
            "eval(",
            "exec(",
        ):
            assert banned not in source, f"{path.name}: {banned}"
