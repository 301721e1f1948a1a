"""Formats for programs: ``run --format jsonl`` (one trace entry a line) and ``--format csv``
for the outcome tables of ``sample`` and ``explore``; each says the same as the JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from tests.conftest import PLANTED, ROOT, TALKS, invoke

MINI = str(ROOT / "tests" / "cli" / "mini.yaml")
FAILING = str(ROOT / "tests" / "cli" / "failing.yaml")


def _jsonl(*args: str) -> tuple[int, list[dict[str, Any]]]:
    result = invoke(*args)
    lines = result.stdout.splitlines()
    assert all(line.startswith("{") and line.endswith("}") for line in lines), lines[:3]
    return result.exit_code, [json.loads(line) for line in lines]


def test_run_jsonl_is_the_trace_an_entry_a_line() -> None:
    code, records = _jsonl("run", "-s", MINI, "--format", "jsonl")
    assert code == 0
    doc = json.loads(invoke("run", "-s", MINI, "--format", "json").stdout)
    *entries, last = records
    assert entries == doc["entries"] and len(entries) > 5
    assert last == {
        "kind": "result",
        "scenario": "mini",
        "branch": "base",
        "expectations": doc["expectations"],
        "violations": doc["violations"],
        "ok": True,
    }
    assert all(e["kind"] != "result" for e in entries)


def test_run_jsonl_of_a_failed_expectation_and_a_branch() -> None:
    code, records = _jsonl("run", "-s", FAILING, "-f", "jsonl")
    assert code == 1
    assert records[-1]["ok"] is False
    assert any(not e["ok"] for e in records[-1]["expectations"])
    code, records = _jsonl(
        "run", "-s", MINI, "-b", "walkout", "--until", "2025-12-05", "-f", "jsonl"
    )
    assert code == 0
    assert records[-1]["branch"] == "walkout"
    assert max(r["date"] for r in records[:-1]) <= "2025-12-05"


def test_resume_a_run_as_jsonl(tmp_path: Path) -> None:
    saved = tmp_path / "talks.json"
    assert invoke("run", "-s", MINI, "--until", "2025-11-30", "--save", str(saved)).exit_code == 0
    code, records = _jsonl("resume", str(saved), "-f", "jsonl")
    assert code == 0
    assert records[-1]["kind"] == "result" and records[-1]["ok"] is True
    assert min(r["date"] for r in records[:-1]) > "2025-11-30"


def _csv(*args: str) -> tuple[int, list[dict[str, str]]]:
    result = invoke(*args)
    assert "\r" not in result.stdout
    return result.exit_code, list(csv.DictReader(io.StringIO(result.stdout)))


def test_sample_csv_is_the_json_as_a_table() -> None:
    args = ("sample", "-s", TALKS, "--runs", "60", "--seed", "4")
    code, rows = _csv(*args, "--format", "csv")
    assert code == 0
    data = json.loads(invoke(*args, "--format", "json").stdout)
    expected = [
        {"kind": kind, **{k: str(v) for k, v in r.items()}}
        for kind, key in (("timeline", "timelines"), ("outcome", "outcomes"))
        for r in data[key]
    ]
    assert rows == expected
    assert sum(int(r["count"]) for r in rows if r["kind"] == "outcome") == 60
    # within rounding: the Wilson bound of a share of 1.0 comes out as 0.9999999999999998
    assert all(float(r["low"]) <= float(r["share"]) <= float(r["high"]) + 1e-12 for r in rows)


def test_sample_csv_lists_violations() -> None:
    code, rows = _csv("sample", "-s", PLANTED, "--runs", "40", "-f", "csv")
    assert code == 1
    assert [r["kind"] for r in rows if r["kind"] == "violation"]


def test_explore_csv_is_the_outcome_table(tmp_path: Path) -> None:
    code, rows = _csv("explore", "-s", TALKS, "--format", "csv")
    assert code == 0
    data = json.loads(invoke("explore", "-s", TALKS, "--format", "json").stdout)
    assert rows == [{"label": o["label"], "count": str(o["count"])} for o in data["outcomes"]]
    target = tmp_path / "cx.yaml"
    result = invoke("explore", "-s", PLANTED, "-f", "csv", "--counterexample-out", str(target))
    assert result.exit_code == 1
    assert result.stdout.startswith("label,count\n")
    assert f"counterexample written to {target}" in result.stderr  # not in the table
    assert target.exists()


def test_csv_is_refused_where_there_is_no_table() -> None:
    result = invoke("show", "-s", MINI, "--format", "csv")
    assert result.exit_code == 2
    assert "'csv' is not one of" in result.stderr


FORMULAS = """\
id: formulas
title: "=HYPERLINK(\\"http://example.com/x\\", \\"click\\")"
summary: "+cmd|' /C calc'!A0"
start: 2025-11-20
horizon: 2025-12-10
parties:
  - {id: east, name: "@SUM(1+1)*cmd|' /C calc'!A0"}
  - {id: west, name: "-2+3"}
documents:
  - {id: plan, title: "\\t=1+1", summary: "=1+1", requires_acceptance: [east, west]}
timeline:
  - {date: 2025-11-21, kind: propose, by: west, document: plan, summary: "=cmd()"}
branches:
  - {id: quick, summary: "@quick", probability: 0.5,
     add: [{date: 2025-11-22, kind: accept, by: east, document: plan, summary: "-1"}]}
"""


def test_no_csv_cell_starts_like_a_formula(tmp_path: Path) -> None:
    """A scenario whose title, names and summaries start with ``=``, ``+``, ``-``, ``@``
    or a tab: every text cell of every CSV the CLI writes starts otherwise (a number
    written by us may start with ``-``)."""
    path = tmp_path / "formulas.yaml"
    path.write_text(FORMULAS, encoding="utf-8")
    tables = [
        _csv("explore", "-s", str(path), "-f", "csv"),
        _csv("sample", "-s", str(path), "--runs", "50", "-f", "csv"),
    ]
    for code, rows in tables:
        assert code == 0 and rows
        for row in rows:
            for key, value in row.items():
                assert not key.startswith(("=", "+", "-", "@", "\t", "\r"))
                if value.startswith(("=", "+", "-", "@", "\t", "\r")):
                    float(value)  # a number of ours, or it would not parse
