"""``extends``: which file a what-if names, and how its fields merge onto its base.

The merge is written twice over one rule set: on located trees (``merge``: every value
keeps the file and line it came from, and reports what is wrong with the child's
corrections) and on plain data (``merge_plain``: the fast path, which has no positions
and gives up at the first problem). ``tests/loader/test_loader_paths.py`` keeps the two
equal.

Corrections: before the merge, a child's ``remove:`` (section -> ids) drops the base's
items with those ids and its ``replace:`` (section -> items) puts each item in place of
the base's item with its id; an id the base does not have is a problem at the id. The
result has neither field: they say how to read the base, not what the scenario is.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from negotiation.loader._tree import FieldPath, LocatedValue, location, plain, show
from negotiation.loader._yaml import Defer
from negotiation.model.errors import Location, Problem, ScenarioError, did_you_mean

ID_LISTS = frozenset(
    {
        "parties",
        "documents",
        "lifecycles",
        "facts",
        "deadlines",
        "rules",
        "branches",
        "invariants",
        "decisions",
    }
)
"""List fields merged by item ``id`` under ``extends``."""
APPEND_LISTS = frozenset(
    {"timeline", "positions", "relations", "expect", "sources", "assumptions", "interests"}
)
"""List fields appended (parent first) under ``extends``."""
CORRECTABLE: dict[str, str] = {
    "branches": "branch",
    "decisions": "decision point",
    "deadlines": "deadline",
    "documents": "document",
    "expect": "expectation",
    "facts": "fact",
    "invariants": "invariant",
    "lifecycles": "lifecycle",
    "parties": "party",
    "rules": "rule",
    "sources": "source",
    "timeline": "timeline event",
}
"""The list fields whose items a child may ``remove`` or ``replace`` by id, and what one
item is called in messages."""
CORRECTIONS = ("remove", "replace")
"""The top-level fields that correct a base (a file with ``extends`` only)."""

_T = TypeVar("_T")

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def is_url(text: str) -> bool:
    return "://" in text or bool(_SCHEME.match(text))


def is_name(text: str) -> bool:
    """A bundled scenario name rather than a path (no separators, no .yaml suffix)."""
    return "/" not in text and "\\" not in text and Path(text).suffix not in (".yaml", ".yml")


def extends_target(
    value: Any, file: str, where: Location, bundled: Callable[[str, Location], Path]
) -> Path:
    """The base file an ``extends`` value names, or a ``ScenarioError`` at ``where``."""
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError.single(
            "'extends' must be a file path or a bundled scenario name", where
        )
    if is_url(value):
        raise ScenarioError.single(
            f"'extends' must be a local file or a bundled scenario "
            f"name, not a URL ({value!r}); download the base and "
            "extend it by path",
            where,
        )
    if is_name(value):
        return bundled(value, where)
    path = Path(value)
    if path.suffix not in (".yaml", ".yml"):
        raise ScenarioError.single(
            f"'extends' must name a .yaml or .yml file, got {value!r}", where
        )
    if not path.is_absolute():
        base = Path.cwd() if file.startswith("<") else Path(file).parent
        path = Path(os.path.normpath(base / path))
    if not path.is_file():
        raise ScenarioError.single(f"the scenario this extends does not exist: {path}", where)
    return path


# -- located trees ---------------------------------------------------------------------


def merge(parent: LocatedValue, child: LocatedValue) -> tuple[LocatedValue, list[Problem]]:
    """Merge a child's top-level mapping onto its parent's (see the module docstring), and
    the problems of the child's corrections. Every item of a merged list knows its own
    file's field path (``LocatedValue.origin``)."""
    base, problems = _correct(parent.value, child.value)
    out: dict[Any, LocatedValue] = dict(base)
    for key, node in child.value.items():
        if key in CORRECTIONS:
            continue
        old = out.get(key)
        if old is None or not isinstance(old.value, list) or not isinstance(node.value, list):
            out[key] = node
            continue
        olds = [n.placed((key, i)) for i, n in enumerate(old.value)]
        news = [n.placed((key, i)) for i, n in enumerate(node.value)]
        if key in ID_LISTS:
            out[key] = node.copy(_merge_by_id(olds, news, _node_id))
        elif key in APPEND_LISTS:
            out[key] = node.copy([*olds, *news])
        else:
            out[key] = node
    return child.copy(out), problems


def _node_id(item: LocatedValue) -> Any:
    if isinstance(item.value, dict):
        node = item.value.get("id")
        if node is not None and isinstance(node.value, str):
            return node.value
    return None


class _Corrections:
    """The located corrections of one child, applied to its parent's fields."""

    def __init__(self, parent: dict[Any, LocatedValue]) -> None:
        self.out = dict(parent)
        self.problems: list[Problem] = []
        self.touched: dict[tuple[str, str], str] = {}  # (section, id) -> what did it
        self.indices: dict[str, dict[str, int]] = {}  # see ``index``

    def problem(self, node: LocatedValue, path: FieldPath, message: str) -> None:
        self.problems.append(Problem(location(node.mark, path), message))

    def sections(self, field: str, node: LocatedValue) -> list[tuple[str, LocatedValue]]:
        """The sections a ``remove:``/``replace:`` mapping names, each checked."""
        example = "[event_id]" if field == "remove" else "[{id: event_id, ...}]"
        if not isinstance(node.value, dict):
            self.problem(
                node,
                (field,),
                f"expected a mapping of lists to correct (such as timeline: {example}), "
                f"got {show(plain(node))}",
            )
            return []
        found = []
        for key, value in node.value.items():
            where = value.key_mark or value.mark
            if key not in CORRECTABLE:
                known = ", ".join(sorted(CORRECTABLE))
                what = (
                    f"{key!r} items have no id, so '{field}' cannot name them"
                    if key in APPEND_LISTS
                    else f"unknown list {key!r}{did_you_mean(str(key), CORRECTABLE)}"
                )
                self.problems.append(
                    Problem(location(where, (field, key)), f"{what} (expected one of: {known})")
                )
            elif not isinstance(value.value, list):
                self.problem(
                    value,
                    (field, key),
                    f"expected a list, such as {key}: {example}, got {show(plain(value))}",
                )
            else:
                found.append((str(key), value))
        return found

    def base_index(self, field: str, key: str, node: LocatedValue, path: FieldPath) -> int | None:
        """Where the base item with the id ``node`` names stands, or None (reported)."""
        ident = node.value
        what = CORRECTABLE[key]
        if (key, ident) in self.touched:
            self.problem(node, path, f"{what} {ident!r} is already {self.touched[key, ident]}")
            return None
        index = self.index(key)
        if ident not in index:
            self.problem(
                node,
                path,
                f"the base has no {what} {ident!r} to {field}{did_you_mean(ident, index)}",
            )
            return None
        self.touched[key, ident] = "removed" if field == "remove" else "replaced"
        return index[ident]

    def index(self, key: str) -> dict[str, int]:
        """The base's items of a list by id (the first of an id given twice)."""
        if key not in self.indices:
            base = self.out.get(key)
            items = base.value if base is not None and isinstance(base.value, list) else []
            found: dict[str, int] = {}
            for i, n in enumerate(items):
                ident = _node_id(n)
                if ident is not None:
                    found.setdefault(ident, i)
            self.indices[key] = found
        return self.indices[key]

    def remove(self, node: LocatedValue) -> None:
        for key, ids in self.sections("remove", node):
            drop: set[int] = set()
            for i, item in enumerate(ids.value):
                path = ("remove", key, i)
                if not isinstance(item.value, str):
                    what = CORRECTABLE[key]
                    self.problem(
                        item, path, f"expected the id of a base {what}, got {show(plain(item))}"
                    )
                    continue
                at = self.base_index("remove", key, item, path)
                if at is not None:
                    drop.add(at)
            if drop:
                base = self.out[key]
                self.out[key] = base.copy(
                    [n.placed((key, j)) for j, n in enumerate(base.value) if j not in drop]
                )
                self.indices.pop(key, None)

    def replace(self, node: LocatedValue) -> None:
        for key, items in self.sections("replace", node):
            put: dict[int, LocatedValue] = {}
            for i, item in enumerate(items.value):
                path = ("replace", key, i)
                ident = item.value.get("id") if isinstance(item.value, dict) else None
                if ident is None or not isinstance(ident.value, str):
                    what = CORRECTABLE[key]
                    self.problem(
                        item, path, f"a replacement needs the 'id' of the base {what} it replaces"
                    )
                    continue
                at = self.base_index("replace", key, ident, (*path, "id"))
                if at is not None:
                    put[at] = item.placed(path)
            if put:
                base = self.out[key]
                self.out[key] = base.copy(
                    [put[j] if j in put else n.placed((key, j)) for j, n in enumerate(base.value)]
                )


def _correct(
    parent: dict[Any, LocatedValue], child: dict[Any, LocatedValue]
) -> tuple[dict[Any, LocatedValue], list[Problem]]:
    fix = _Corrections(parent)
    if "remove" in child:
        fix.remove(child["remove"])
    if "replace" in child:
        fix.replace(child["replace"])
    return fix.out, fix.problems


def without_corrections(tree: LocatedValue) -> tuple[LocatedValue, list[Problem]]:
    """A file with no ``extends``: its ``remove:``/``replace:`` have no base to correct
    (a problem at each), and are left out of the tree."""
    found = [k for k in CORRECTIONS if k in tree.value]
    if not found:
        return tree, []
    problems = []
    for key in found:
        node = tree.value[key]
        problems.append(
            Problem(
                location(node.key_mark or node.mark, (key,)),
                f"'{key}' corrects the base scenario a what-if extends, and this file has "
                "no 'extends'",
            )
        )
    return tree.copy({k: v for k, v in tree.value.items() if k not in CORRECTIONS}), problems


# -- plain data ------------------------------------------------------------------------


def merge_plain(parent: dict[Any, Any], child: dict[Any, Any]) -> dict[Any, Any]:
    """``merge`` on plain data; ``Defer`` at any problem of the corrections."""
    out = _correct_plain(parent, child)
    for key, value in child.items():
        if key in CORRECTIONS:
            continue
        old = out.get(key)
        if old is None or not isinstance(old, list) or not isinstance(value, list):
            out[key] = value
        elif key in ID_LISTS:
            out[key] = _merge_by_id(old, value, _plain_id)
        elif key in APPEND_LISTS:
            out[key] = [*old, *value]
        else:
            out[key] = value
    return out


def _correct_plain(parent: dict[Any, Any], child: dict[Any, Any]) -> dict[Any, Any]:
    out = dict(parent)
    touched: set[tuple[str, str]] = set()
    for field in CORRECTIONS:
        sections = child.get(field, {})
        if not isinstance(sections, dict):
            raise Defer
        for key, items in sections.items():
            if key not in CORRECTABLE or not isinstance(items, list):
                raise Defer
            base = out.get(key)
            index: dict[str, int] = {}
            for i, n in enumerate(base if isinstance(base, list) else []):
                ident = _plain_id(n)
                if ident is not None:
                    index.setdefault(ident, i)
            found: dict[int, Any] = {}
            for item in items:
                ident = item if field == "remove" else _plain_id(item)
                if not isinstance(ident, str) or ident not in index or (key, ident) in touched:
                    raise Defer
                touched.add((key, ident))
                found[index[ident]] = item
            if found and field == "remove":
                out[key] = [n for j, n in enumerate(out[key]) if j not in found]
            elif found:
                out[key] = [found.get(j, n) for j, n in enumerate(out[key])]
    return out


def _plain_id(item: Any) -> Any:
    if isinstance(item, dict):
        value = item.get("id")
        if isinstance(value, str):
            return value
    return None


def _merge_by_id(
    parents: list[_T], children: list[_T], item_id: Callable[[_T], Any]
) -> list[_T]:
    out = list(parents)
    index = {item_id(n): i for i, n in enumerate(parents) if item_id(n) is not None}
    for item in children:
        at = index.pop(item_id(item), None)
        if at is None:
            out.append(item)
        else:
            out[at] = item
    return out
