"""What the fuzz suite found, pinned as fast tests: each input loads or fails with a
located ``NegotiationError``, through the library and the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from negotiation.loader import load_text
from negotiation.model.errors import ScenarioError
from negotiation.runtime.engine import Engine
from tests.conftest import invoke

FOUND = {
    # a mapping key carrying a refused tag left a None key behind; locating pydantic's
    # "keys should be strings" error then indexed an empty path (IndexError)
    "tagged-top-level-key": "!!python/object:os.system key: value\nid: x\ntitle: y\n",
    "tagged-nested-key": "id: x\ntitle: y\nsummary:\n  !!python/name:os.system k: v\n",
    # an infinite bound of a numeric option range reached round() (OverflowError)
    "options-max-inf": (
        "id: x\ntitle: y\ndocuments:\n  - id: d\n    title: D\n    points:\n"
        "      - {id: p, summary: s, options: {min: 0, max: .inf, step: 1}}\n"
    ),
    "options-step-nan": (
        "id: x\ntitle: y\ndocuments:\n  - id: d\n    title: D\n    points:\n"
        "      - {id: p, summary: s, options: {min: 0, max: 6, step: .nan}}\n"
    ),
}
ENGINE_FOUND = {
    # the run settles expectations up to the day after its end: 9999-12-31 + 1 overflows
    "horizon-at-the-last-date": "id: x\ntitle: y\nhorizon: 9999-12-31\n",
    "expectation-at-the-last-date": ("id: x\ntitle: y\nexpect: [{at: 9999-12-31, that: 'true'}]\n"),
}


@pytest.mark.parametrize("text", FOUND.values(), ids=FOUND.keys())
def test_loader_refuses_with_located_problems(text: str) -> None:
    with pytest.raises(ScenarioError) as info:
        load_text(text, "found.yaml")
    for p in info.value.problems:
        assert p.location.file == "found.yaml"
        assert p.location.line is not None


@pytest.mark.parametrize("text", ENGINE_FOUND.values(), ids=ENGINE_FOUND.keys())
def test_engine_runs_or_refuses(text: str) -> None:
    # dates are bounded (negotiation.model.dates.LATEST), so the clock's day after the end exists
    with pytest.raises(ScenarioError, match="dates must lie between") as info:
        Engine(load_text(text, "found.yaml")).run()
    assert all(p.location.line is not None for p in info.value.problems)


@pytest.mark.parametrize("text", [*FOUND.values()], ids=[*FOUND.keys()])
def test_cli_refuses_with_exit_2(tmp_path: Path, text: str) -> None:
    path = tmp_path / "found.yaml"
    path.write_text(text)
    for args in (["validate", str(path)], ["run", "-s", str(path)]):
        result = invoke(*args)
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
