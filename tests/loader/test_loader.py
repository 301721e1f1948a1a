"""The loader: safe YAML, located errors, extends, budgets, names and the JSON Schema."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

import pytest

from negotiation import loader
from negotiation.loader import load_scenario, load_text, resolve, scenario_json_schema
from negotiation.model.errors import ScenarioError
from negotiation.model.scenario import SCHEMA_VERSION

BASE = """\
id: demo
title: Demo
parties:
  - {id: alpha, name: Alpha}
  - {id: beta, name: Beta}
documents:
  - id: plan
    title: Plan
    requires_acceptance: [alpha, beta]
"""


def _error(text: str, filename: str = "<string>") -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_text(text, filename)
    return info.value


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- the happy path and the YAML dialect -----------------------------------------------


def test_load_text_happy_path() -> None:
    sc = load_text(
        BASE
        + """\
start: 2025-12-01
horizon: 2025-12-31
timeline:
  - {id: offer, date: 2025-12-02, kind: propose, by: alpha, document: plan}
  - {date: 2025-12-05, kind: accept, by: [alpha, beta], document: plan}
expect:
  - {at: 2025-12-05, that: all required parties accept plan}
"""
    )
    assert sc.id == "demo"
    assert [p.id for p in sc.parties] == ["alpha", "beta"]
    assert [e.kind for e in sc.timeline] == ["propose", "accept"]
    assert sc.timeline[0].by == ["alpha"]
    assert sc.version == SCHEMA_VERSION


def test_on_off_yes_no_stay_strings() -> None:
    sc = load_text(BASE + "summary: on\nassumptions: [on, off, yes, no, y, n, On, NO]\n")
    assert sc.summary == "on"
    assert sc.assumptions == ["on", "off", "yes", "no", "y", "n", "On", "NO"]


def test_true_false_are_booleans() -> None:
    assert load_text(BASE + "illustrative: true\n").illustrative is True
    assert load_text(BASE + "illustrative: False\n").illustrative is False


def test_dates_stay_strings_and_fuzzydate_parses_them() -> None:
    sc = load_text(
        BASE
        + """\
start: 2025-12-01
horizon: 2026-01
timeline:
  - {date: 2025-11-28..2025-12-03, kind: propose, by: alpha, document: plan}
  - date: {on: 2025-12-10, inferred: true, note: anchored to the article's date}
    kind: accept
    by: beta
    document: plan
"""
    )
    assert sc.start is not None
    assert sc.horizon is not None
    assert sc.start.earliest == dt.date(2025, 12, 1)
    assert sc.start.precision == "day"
    assert sc.horizon.precision == "month"
    assert sc.horizon.latest == dt.date(2026, 1, 31)
    first, second = (e.date for e in sc.timeline)
    assert first is not None
    assert second is not None
    assert (first.precision, first.earliest, first.latest) == (
        "range",
        dt.date(2025, 11, 28),
        dt.date(2025, 12, 3),
    )
    assert second.inferred
    assert second.note


def test_yaml_12_numbers_no_sexagesimal_or_leading_zero_octal() -> None:
    sc = load_text(BASE + "assumptions: ['1:30', 1:30]\n")
    assert sc.assumptions == ["1:30", "1:30"]
    assert load_text(BASE + "version: 01\n").version == 1
    err = _error(BASE + "version: 0x10\n")  # 16 is newer
    assert "schema version 16" in str(err)


def test_small_anchors_and_aliases_work() -> None:
    sc = load_text(
        BASE
        + """\
timeline:
  - {date: 2025-12-02, kind: propose, by: alpha, document: plan,
     attribution: &src {kind: report, via: article, ref: "¶3"}}
  - {date: 2025-12-03, kind: accept, by: beta, document: plan, attribution: *src}
"""
    )
    a, b = (e.attribution for e in sc.timeline)
    assert a == b
    assert a is not None
    assert a.ref == "¶3"


# -- located errors --------------------------------------------------------------------


def test_all_field_errors_at_once_sorted_by_line_with_paths() -> None:
    err = _error(
        BASE
        + """\
timeline:
  - {date: 2025-12-01, kind: propose, by: alpha, document: plan, priority: high}
  - {date: 2025-02-30, kind: propose, by: alpha, document: plan}
  - {dat: 2025-12-03, kind: propose, by: alpha, document: plan}
""",
        "demo.yaml",
    )
    lines = [p.location.line for p in err.problems]
    assert lines == [11, 12, 13]
    first, second, third = err.problems
    assert first.location.path == ("timeline", 0, "priority")
    assert "expected a valid integer" in first.message
    assert "got 'high'" in first.message
    assert second.location.path == ("timeline", 1, "date")
    assert second.location.column == 12
    assert third.location.path == ("timeline", 2, "dat")
    assert third.location.column == 6  # the key itself
    assert "did you mean 'date'" in third.message
    assert "expected one of: id, date, by" in third.message
    assert all(p.location.file == "demo.yaml" for p in err.problems)
    assert str(err).startswith("3 problems:")
    assert "demo.yaml:12:12 (timeline.1.date): expected a date as YYYY-MM-DD" in str(err)


def test_all_scenario_check_errors_at_once() -> None:
    err = _error(
        BASE
        + """\
timeline:
  - {date: 2025-12-01, kind: propose, by: gamma, document: plan}
  - {date: 2025-12-02, kind: sign, by: alpha, document: plann}
  - {date: 2025-12-03, kind: set_fact, by: alpha, fact: unknown_fact}
"""
    )
    assert [(p.location.line, p.location.path[-1]) for p in err.problems] == [
        (11, 0),
        (12, "document"),
        (13, "fact"),
    ]
    assert err.problems[0].location.column == 43


def test_union_alternatives_fold_into_one_message() -> None:
    err = _error(BASE.replace("requires_acceptance: [alpha, beta]", "authors: 5"))
    (problem,) = err.problems
    assert problem.location.path == ("documents", 0, "authors")
    assert problem.message == "expected a valid list or 'unknown', got 5"


def test_list_member_errors_win_over_the_unknown_alternative() -> None:
    err = _error(BASE + "    points: [{idd: p1}]\n")
    messages = [p.message for p in err.problems]
    assert not any("'unknown'" in m for m in messages), messages
    assert any("missing required field 'id'" in m for m in messages)


def test_condition_problem_points_at_the_offending_word() -> None:
    for value, column in (
        ("alpha accepts plan and betta accepts plan", 34),
        ('"alpha accepts plan and betta accepts plan"', 35),
        ("'alpha accepts plan and betta accepts plan'", 35),
    ):
        text = BASE + f"rules:\n  - id: r\n    when: {value}\n    then: []\n"
        err = _error(text)
        (problem,) = err.problems
        assert (problem.location.line, problem.location.column) == (12, column)  # 'betta'
        assert "did you mean 'beta'" in problem.message


def test_duplicate_key_is_an_error_at_the_second_key() -> None:
    err = _error("id: demo\ntitle: Demo\ntitle: Again\n")
    (problem,) = err.problems
    assert (problem.location.line, problem.location.column) == (3, 1)
    assert "duplicate key 'title' (first given at line 2)" in problem.message


def test_yaml_syntax_error_is_located() -> None:
    err = _error("id: demo\ntitle: [Demo\n")
    assert err.problems[0].location.line is not None
    assert "YAML syntax error" in err.problems[0].message


def test_tab_indentation_says_use_spaces() -> None:
    err = _error("id: demo\ntitle: Demo\nfacts:\n\t- id: x\n")
    assert err.problems[0].location.line == 4
    assert "spaces, not tabs" in err.problems[0].message


def test_top_level_must_be_a_mapping_and_empty_is_an_error() -> None:
    assert "must be a mapping" in str(_error("- a\n- b\n"))
    assert "must be a mapping" in str(_error("just text\n"))
    for empty in ("", "# only a comment\n", "---\n"):
        err = _error(empty)
        assert "the file is empty" in str(err)
        assert err.problems[0].location.line == 1


def test_several_documents_are_an_error() -> None:
    assert "YAML syntax error" in str(_error("id: a\ntitle: A\n---\nid: b\n"))


def test_control_characters_are_refused_with_a_location() -> None:
    err = _error("id: demo\ntitle: De\x07mo\n")
    assert (err.problems[0].location.line, err.problems[0].location.column) == (2, 10)
    assert "U+0007" in err.problems[0].message


def test_newer_version_is_reported_alone_first() -> None:
    err = _error("id: Not_An_Id\nversion: 7\ntitle: 5\nnonsense: true\ntitle: again\n")
    (problem,) = err.problems
    assert problem.location.line == 2
    assert problem.location.path == ("version",)
    assert f"newer than this negotiation package reads ({SCHEMA_VERSION})" in problem.message


def test_merge_keys_are_refused() -> None:
    assert "merge keys" in str(_error(BASE + "summary: x\nfoo:\n  <<: {a: 1}\n"))


# -- safety and budgets ----------------------------------------------------------------


def test_python_object_tags_are_refused_and_never_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object) -> int:
        raise AssertionError("os.system was called")

    monkeypatch.setattr(os, "system", boom)
    err = _error(BASE + 'summary: !!python/object/apply:os.system ["echo pwned"]\n')
    (problem,) = err.problems
    assert problem.location.line == 10
    assert "tag '!!python/object/apply:os.system' is not allowed" in problem.message
    for tagged in ("!!python/name:os.system x", "!local x", "!!binary aGk=", "!!timestamp 2025"):
        assert "is not allowed" in str(_error(BASE + f"summary: {tagged}\n"))


def _billion_laughs() -> str:
    lines = ["id: demo", "title: Demo", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghij":
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
        previous = name
    return "\n".join(lines) + "\n"


def test_billion_laughs_fails_fast() -> None:
    started = time.perf_counter()
    err = _error(_billion_laughs())
    elapsed = time.perf_counter() - started
    assert "aliases expand to more than" in str(err)
    assert err.problems[0].location.line is not None
    assert elapsed < 1.0


def test_alias_count_budget() -> None:
    text = BASE + "x: &x 1\nassumptions: [" + ", ".join(["*x"] * 101) + "]\n"
    assert f"more than {loader.MAX_ALIASES} aliases" in str(_error(text))


def test_recursive_alias_is_refused() -> None:
    assert "refers to a value that contains it" in str(_error("id: d\ntitle: D\nx: &x [*x]\n"))


def test_nesting_budget() -> None:
    deep = BASE + "assumptions: " + "[" * 300 + "]" * 300 + "\n"
    err = _error(deep)
    assert f"nesting deeper than {loader.MAX_DEPTH}" in str(err)
    assert err.problems[0].location.line == 10
    block = "id: d\ntitle: D\nx:\n" + "".join("  " * i + "-\n" for i in range(300))
    assert "nesting deeper than" in str(_error(block))
    # just inside the budget: a different (type) error, not the nesting one
    ok = BASE + "x: " + "[" * (loader.MAX_DEPTH - 1) + "]" * (loader.MAX_DEPTH - 1) + "\n"
    assert "nesting" not in str(_error(ok))


def test_file_size_budget(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 100)
    assert "larger than" in str(_error(BASE))
    path = _write(tmp_path / "big.yaml", BASE)
    with pytest.raises(ScenarioError, match="larger than"):
        load_scenario(str(path))


def test_timeline_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_TIMELINE_EVENTS", 2)
    event = "  - {date: 2025-12-02, kind: propose, by: alpha, document: plan}\n"
    err = _error(BASE + "timeline:\n" + event * 3)
    assert "more than 2 timeline events" in str(err)
    assert err.problems[0].location.line == 10


def test_loader_source_has_no_unsafe_yaml_or_eval() -> None:
    source = Path(loader.__file__).read_text(encoding="utf-8")
    for banned in (
        "yaml.load(",
        "yaml.unsafe_load",
        "UnsafeLoader",
        "FullLoader",
        "eval(",
        "exec(",
    ):
        assert banned not in source, banned
    assert issubclass(loader._SafeLoader, __import__("yaml").SafeLoader)


# -- extends ---------------------------------------------------------------------------

PARENT = """\
id: base
title: Base
summary: the base
parties:
  - {id: alpha, name: Alpha}
  - {id: beta, name: Beta}
documents:
  - {id: plan, title: Plan}
timeline:
  - {id: offer, date: 2025-12-01, kind: propose, by: alpha, document: plan}
assumptions: [from the base]
"""

CHILD = """\
extends: base.yaml
id: what_if
title: What if
parties:
  - {id: beta, name: Beta (renamed)}
  - {id: gamma, name: Gamma}
timeline:
  - {id: accept, date: 2025-12-05, kind: accept, by: beta, document: plan}
assumptions: [from the child]
"""


def test_extends_merge_semantics(tmp_path: Path) -> None:
    _write(tmp_path / "base.yaml", PARENT)
    child = _write(tmp_path / "child.yaml", CHILD)
    sc = load_scenario(str(child))
    assert (sc.id, sc.title, sc.summary) == ("what_if", "What if", "the base")
    assert sc.extends == "base.yaml"
    assert [(p.id, p.name) for p in sc.parties] == [
        ("alpha", "Alpha"),
        ("beta", "Beta (renamed)"),
        ("gamma", "Gamma"),
    ]
    assert [d.id for d in sc.documents] == ["plan"]
    assert [e.id for e in sc.timeline] == ["offer", "accept"]
    assert sc.assumptions == ["from the base", "from the child"]


def test_extends_reports_each_problem_in_its_own_file(tmp_path: Path) -> None:
    """A base that says it is a scenario (``version:``) has its problems reported as
    the user's own file's are (one without is read sealed: tests/hostile)."""
    _write(tmp_path / "base.yaml", "version: 1\n" + PARENT.replace("by: alpha", "by: alhpa"))
    child = _write(tmp_path / "child.yaml", CHILD.replace("by: beta", "by: zeta"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(child))
    where = {(Path(p.location.file or "").name, p.location.line) for p in info.value.problems}
    assert where == {("base.yaml", 11), ("child.yaml", 8)}
    assert "'alhpa'" in str(info.value)
    # each path as its own file writes it: the child's event is its first, not the
    # merged timeline's second
    paths = {(Path(p.location.file or "").name, p.location.path) for p in info.value.problems}
    assert paths == {
        ("base.yaml", ("timeline", 0, "by", 0)),
        ("child.yaml", ("timeline", 0, "by", 0)),
    }


def test_extends_relative_to_cwd_for_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "base.yaml", PARENT)
    monkeypatch.chdir(tmp_path)
    assert load_text(CHILD).title == "What if"


def test_extends_absolute_path(tmp_path: Path) -> None:
    base = _write(tmp_path / "base.yaml", PARENT)
    sc = load_text(CHILD.replace("base.yaml", str(base.resolve())))
    assert len(sc.parties) == 3
    err = _error(CHILD.replace("base.yaml", str(tmp_path / "missing.yaml")))
    assert "does not exist" in str(err)
    assert err.problems[0].location.line == 1


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/base.yaml",
        "http://example.org/base.yaml",
        "file:///etc/passwd.yaml",
        "ftp://example.org/x.yaml",
        "data:text/yaml,id: x",
    ],
)
def test_extends_url_is_refused(url: str) -> None:
    err = _error(f"extends: '{url}'\nid: d\ntitle: D\n")
    (problem,) = err.problems
    assert "not a URL" in problem.message
    assert (problem.location.line, problem.location.path) == (1, ("extends",))


def test_extends_cycle_is_caught_with_the_chain(tmp_path: Path) -> None:
    _write(tmp_path / "a.yaml", "extends: b.yaml\nid: a\ntitle: A\n")
    _write(tmp_path / "b.yaml", "extends: a.yaml\nid: b\ntitle: B\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(tmp_path / "a.yaml"))
    (problem,) = info.value.problems
    assert "extends forms a cycle" in problem.message
    assert "a.yaml -> " in problem.message
    assert "b.yaml -> " in problem.message
    assert problem.location.line == 1
    _write(tmp_path / "self.yaml", "extends: self.yaml\nid: s\ntitle: S\n")
    with pytest.raises(ScenarioError, match="cycle"):
        load_scenario(str(tmp_path / "self.yaml"))


def test_extends_missing_parent_points_at_the_extends_line(tmp_path: Path) -> None:
    child = _write(tmp_path / "child.yaml", "id: c\ntitle: C\nextends: nowhere.yaml\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(child))
    (problem,) = info.value.problems
    assert (problem.location.line, problem.location.column) == (3, 10)
    assert "does not exist" in problem.message


def test_extends_bundled_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    _write(bundled / "base-2025.yaml", PARENT)
    monkeypatch.setattr(loader, "_bundled_dir", lambda: bundled)
    assert load_text(CHILD.replace("base.yaml", "base-2025")).parties[2].id == "gamma"
    err = _error(CHILD.replace("base.yaml", "base-2024"))
    assert "did you mean 'base-2025'" in str(err)
    assert err.problems[0].location.line == 1


def test_newer_version_in_the_parent_is_located_there(tmp_path: Path) -> None:
    _write(tmp_path / "base.yaml", "version: 3\n" + PARENT)
    child = _write(tmp_path / "child.yaml", CHILD)
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(child))
    (problem,) = info.value.problems
    assert Path(problem.location.file or "").name == "base.yaml"
    assert problem.location.line == 1


# -- names, files and the schema -------------------------------------------------------


def test_resolve_names_and_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    _write(bundled / "ukraine-2025-12.yaml", PARENT)
    monkeypatch.setattr(loader, "_bundled_dir", lambda: bundled)
    assert loader.bundled_names() == ["ukraine-2025-12"]
    assert resolve("ukraine-2025-12") == bundled / "ukraine-2025-12.yaml"
    with pytest.raises(ScenarioError, match=r"did you mean 'ukraine-2025-12'") as info:
        resolve("ukraine-2025-11")
    assert "bundled scenarios: ukraine-2025-12" in str(info.value)
    with pytest.raises(ScenarioError, match="no such scenario file"):
        resolve(str(tmp_path / "nope.yaml"))
    with pytest.raises(ScenarioError, match="not a URL"):
        resolve("https://example.org/x.yaml")
    with pytest.raises(ScenarioError, match="directory"):
        resolve(str(tmp_path))
    assert load_scenario("ukraine-2025-12").id == "base"


class _PathLike:
    """A path object that is not a ``pathlib.Path`` (as ``os.PathLike`` allows)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __fspath__(self) -> str:
        return str(self.path)


def test_paths_may_be_path_objects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = _write(tmp_path / "demo.yaml", BASE)
    assert load_scenario(file) == load_scenario(str(file))
    assert load_scenario(_PathLike(file)).id == "demo"
    assert resolve(file) == file
    with pytest.raises(ScenarioError, match="directory"):
        load_scenario(tmp_path)
    monkeypatch.chdir(tmp_path)
    # a path object names a file, never a bundled scenario
    with pytest.raises(ScenarioError, match=r"no such scenario file: ukraine-2025-12$"):
        load_scenario(Path(loader.DEFAULT_SCENARIO))
    assert load_scenario(Path("demo.yaml")).id == "demo"


@pytest.mark.parametrize("value", [b"demo.yaml", 3, None])
def test_anything_else_is_a_type_error(value: object) -> None:
    with pytest.raises(TypeError, match=r"a str .* or an os.PathLike of str, not "):
        load_scenario(value)  # type: ignore[arg-type]


def test_load_scenario_is_public() -> None:
    import negotiation  # noqa: PLC0415

    assert negotiation.load_scenario is load_scenario
    assert "load_scenario" in negotiation.__all__


def test_default_scenario_name_is_bundled_when_shipped() -> None:
    names = loader.bundled_names()
    if names:
        assert loader.DEFAULT_SCENARIO in names


def test_non_utf8_file_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"id: demo\ntitle: D\xe9mo\n")
    with pytest.raises(ScenarioError, match="not UTF-8") as info:
        load_scenario(str(path))
    assert info.value.problems[0].location.line == 2


def test_json_schema() -> None:
    schema = scenario_json_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "scenario" in schema["title"]
    assert {"id", "title", "timeline", "extends"} <= set(schema["properties"])
    assert json.loads(json.dumps(schema)) == schema
