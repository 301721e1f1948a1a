"""``extends``: which file a what-if names, and how its fields merge onto its base.

The merge is written twice over one rule set: on located trees (``merge``: every value
keeps the file and line it came from) and on plain data (``merge_plain``: the fast
path, which has no positions). ``tests/loader/test_loader_paths.py`` keeps the two equal.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from negotiation.loader._tree import LocatedValue
from negotiation.model.errors import Location, ScenarioError

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


def merge(parent: LocatedValue, child: LocatedValue) -> LocatedValue:
    """Merge a child's top-level mapping onto its parent's (see the package docstring)."""
    out: dict[Any, LocatedValue] = dict(parent.value)
    for key, node in child.value.items():
        old = out.get(key)
        if old is None or not isinstance(old.value, list) or not isinstance(node.value, list):
            out[key] = node
        elif key in ID_LISTS:
            out[key] = node.copy(_merge_by_id(old.value, node.value, _node_id))
        elif key in APPEND_LISTS:
            out[key] = node.copy([*old.value, *node.value])
        else:
            out[key] = node
    return child.copy(out)


def _node_id(item: LocatedValue) -> Any:
    if isinstance(item.value, dict):
        node = item.value.get("id")
        if node is not None and isinstance(node.value, str):
            return node.value
    return None


# -- plain data ------------------------------------------------------------------------


def merge_plain(parent: dict[Any, Any], child: dict[Any, Any]) -> dict[Any, Any]:
    """``merge`` on plain data."""
    out = dict(parent)
    for key, value in child.items():
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
