"""Hypothesis strategies for the fuzz suite: bundled scenarios mutated field by field,
scenario text mutated character by character, YAML-ish text and raw bytes.

The scenario data is read with a YAML 1.2 core reader of our own (``on``/``off`` stay
strings, dates stay strings) so that the mutated data, written back as JSON (a subset
of YAML) or as block YAML, differs from the bundled file only by the mutation.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from negotiation.loader import bundled_names, resolve

Path_ = tuple[str | int, ...]

_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Core(yaml.SafeLoader):
    """SafeLoader without YAML 1.1 booleans (yes/no/on/off) and timestamps."""


_Core.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Core.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@cache
def names() -> tuple[str, ...]:
    """Every bundled scenario (the fuzz suite covers each one)."""
    return tuple(bundled_names())


@cache
def text_of(name: str) -> str:
    return Path(resolve(name)).read_text(encoding="utf-8")


@cache
def data_of(name: str) -> Any:
    return yaml.load(text_of(name), Loader=_Core)  # a SafeLoader subclass


def all_paths(data: Any, prefix: Path_ = ()) -> list[Path_]:
    """Every path to a value inside ``data`` (mapping values and list items)."""
    out: list[Path_] = []
    if isinstance(data, dict):
        for k, v in data.items():
            out.append((*prefix, k))
            out += all_paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.append((*prefix, i))
            out += all_paths(v, (*prefix, i))
    return out


@cache
def paths_of(name: str) -> tuple[Path_, ...]:
    return tuple(all_paths(data_of(name)))


def get(data: Any, path: Path_) -> Any:
    for seg in path:
        data = data[seg]
    return data


DATE_KEYS = {"date", "start", "horizon", "due", "since", "at", "after", "cutoff", "extended_due"}
CONDITION_KEYS = {"when", "that", "requirement", "condition", "never", "always", "guard"}
REF_KEYS = {
    "id",
    "by",
    "party",
    "document",
    "source",
    "target",
    "on",
    "set_by",
    "deadline",
    "fact",
    "about",
    "attendees",
    "authors",
    "requires_acceptance",
    "ratification_by",
    "remove",
    "derived_from",
    "lifecycle",
    "via",
    "speaker",
}

OTHER_VALUES: list[Any] = [
    0,
    -1,
    2**70,
    1.5,
    float("inf"),
    True,
    False,
    None,
    "",
    "text",
    "unknown",
    [],
    {},
    ["x"],
    {"k": "v"},
    "2025-12-10",
    "x" * 300,
]
BAD_DATES: list[Any] = [
    "2025-13-01",
    "2025-02-30",
    "0000-01-01",
    "9999-12-31",
    "2025-12",
    "2025-00",
    "2025-12-10..2025-12-01",
    "2025-12-10..",
    "..2025-12-10",
    "yesterday",
    "10/12/2025",
    "2025-12-10T10:00:00",
    "",
    20251210,
    {"on": "2025-12-10", "inferred": "maybe"},
    {"on": "bad"},
    {"earliest": "2025-12-10"},
    {"on": "2025-12-10", "inferred": True},
]
BAD_IDS: list[Any] = [
    "Bad Id",
    "",
    "x" * 200,
    "a.b.c",
    "ghost",
    "UPPER",
    "1starts_with_digit",
    "dash-ed",
    "__class__",
    ["a", "b"],
    7,
]
CONDITION_NOISE = ["(", ")", "not", "and", "or", "'", "__import__", ".", "1" * 30, "**", "\x00"]


@dataclass(frozen=True)
class Mutated:
    """One mutated scenario: what was done, and the text to load."""

    scenario: str
    steps: tuple[str, ...]
    text: str

    def __str__(self) -> str:
        return f"{self.scenario}: {'; '.join(self.steps)}"


def _set(data: Any, path: Path_, value: Any) -> None:
    parent = get(data, path[:-1])
    parent[path[-1]] = value


def _mutate_condition(text: str, draw: st.DrawFn) -> str:
    words = text.split(" ")
    op = draw(st.sampled_from(["insert", "drop", "replace", "truncate", "double"]))
    i = draw(st.integers(0, max(0, len(words) - 1)))
    if op == "insert":
        words.insert(i, draw(st.sampled_from(CONDITION_NOISE)))
    elif op == "drop" and len(words) > 1:
        del words[i]
    elif op == "replace":
        words[i] = words[i][:-1] + "x" if words[i] else "x"
    elif op == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    else:
        words.insert(i, words[i])
    return " ".join(words)


@st.composite
def mutation(draw: st.DrawFn, data: Any, name: str) -> str:
    """Apply one mutation to ``data`` in place; return what was done."""
    paths = all_paths(data)
    if not paths:
        return "nothing to mutate"
    path = draw(st.sampled_from(paths))
    key = path[-1]
    parent_key = path[-2] if len(path) > 1 else None
    value = get(data, path)
    kinds = ["retype", "drop", "unknown_key", "duplicate"]
    if key in DATE_KEYS or parent_key in DATE_KEYS:
        kinds += ["date"] * 3
    if key in CONDITION_KEYS and isinstance(value, str):
        kinds += ["condition"] * 3
    if key in REF_KEYS or parent_key in REF_KEYS:
        kinds += ["id"] * 3
    kind = draw(st.sampled_from(kinds))
    where = ".".join(str(p) for p in path)
    if kind == "retype":
        options = [v for v in OTHER_VALUES if type(v) is not type(value)]
        new = draw(st.sampled_from(options))
        _set(data, path, copy.deepcopy(new))
        return f"{where} = {new!r:.40}"
    if kind == "drop":
        del get(data, path[:-1])[key]
        return f"drop {where}"
    if kind == "unknown_key":
        target = value if isinstance(value, dict) else get(data, path[:-1])
        if not isinstance(target, dict):
            return "no mapping here"
        extra = draw(st.sampled_from(["unknown_field", "idd", "kind_", "Id", "on_", "<<"]))
        target[extra] = copy.deepcopy(draw(st.sampled_from(OTHER_VALUES)))
        return f"add {extra!r} at {where}"
    if kind == "duplicate":
        parent = get(data, path[:-1])
        if isinstance(parent, list):
            parent.insert(int(key), copy.deepcopy(value))
            return f"duplicate {where}"
        return "not a list item"
    if kind == "date":
        new = draw(st.sampled_from(BAD_DATES))
        _set(data, path, copy.deepcopy(new))
        return f"{where} = date {new!r}"
    if kind == "condition":
        new = _mutate_condition(value, draw)
        _set(data, path, new)
        return f"{where} = condition {new!r:.60}"
    new = draw(st.sampled_from(BAD_IDS))
    _set(data, path, copy.deepcopy(new))
    return f"{where} = id {new!r:.40}"


@st.composite
def mutated_scenarios(draw: st.DrawFn, scenario: str | None = None) -> Mutated:
    """A bundled scenario with one to three field mutations, as JSON or block YAML."""
    name = scenario or draw(st.sampled_from(names()))
    data = copy.deepcopy(data_of(name))
    steps = tuple(draw(mutation(data, name)) for _ in range(draw(st.integers(1, 3))))
    if draw(st.booleans()):
        text = json.dumps(data, indent=1, ensure_ascii=False, allow_nan=True)
    else:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return Mutated(name, steps, text)


@st.composite
def spliced_texts(draw: st.DrawFn) -> Mutated:
    """A bundled scenario's own text with characters inserted, deleted or replaced."""
    name = draw(st.sampled_from(names()))
    text = text_of(name)
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 40)))
        piece = draw(st.one_of(st.text(max_size=8), st.sampled_from(YAMLISH)))
        text = text[:i] + piece + text[j:]
        steps.append(f"[{i}:{j}] = {piece!r}")
    return Mutated(name, tuple(steps), text)


YAMLISH = [
    "id: x\n",
    "title: t\n",
    ": ",
    "- ",
    "\n",
    "  ",
    "\t",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "*b",
    "!!str ",
    "!!python/object:os.system ",
    "!local ",
    "'",
    '"',
    "# c\n",
    "%YAML 1.2\n",
    "---\n",
    "...\n",
    "|\n",
    ">-\n",
    "? ",
    "\\",
    "<<: ",
    "~",
    ".nan",
    "0x1F",
    "0o17",
    "1e400",
    "9" * 50,
    "2025-12-10",
    "timeline:\n",
    "parties:\n",
    "extends: ",
    "kind: ",
    "\ufeff",
    "\u2028",
    "\x85",
]


def yamlish_texts() -> st.SearchStrategy[str]:
    """Random text built from YAML's own punctuation and the scenario's field names."""
    return st.lists(st.one_of(st.sampled_from(YAMLISH), st.text(max_size=6)), max_size=60).map(
        "".join
    )
