"""Located values: where each value of a scenario file was written.

``LocatedValue`` is one value with its position, kept as plain ints (a few per value, not a
``yaml.Mark`` object per end of every node); ``Mark`` tuples are made on demand, when a
problem is reported. Also the helpers every located message is made with.
"""

from __future__ import annotations

import dataclasses
from typing import Any, NamedTuple

from negotiation.loader._yaml import TAG
from negotiation.model.errors import Location, Problem, ScenarioError
from negotiation.model.scenario import SCHEMA_VERSION

FieldPath = tuple[Any, ...]


class Mark(NamedTuple):
    """Where a value was written: file, 1-based line and column, and for a one-line
    plain or quoted scalar the column of its first character (else None)."""

    file: str
    line: int
    column: int
    text_column: int | None = None


class LocatedValue:
    """A value with its position (and its key's position inside a mapping), stored as
    plain ints; ``mark`` and ``key_mark`` make ``Mark`` tuples on demand.

    ``value`` is a ``dict[Any, LocatedValue]``, a ``list[LocatedValue]`` or a plain scalar. ``bad``
    marks a value already reported (a refused tag) so validation does not repeat it.
    ``origin`` is the field path of a list item in its own file when a merge moved it
    (``extends``: the child's third event is ``("timeline", 2)`` in the child, whatever its
    index in the merged timeline), so messages name the item as its file writes it.
    """

    __slots__ = (
        "bad",
        "column",
        "file",
        "key_column",
        "key_line",
        "line",
        "origin",
        "text_column",
        "value",
    )

    def __init__(self, value: Any, mark: Mark, bad: bool = False) -> None:
        self.value = value
        self.file, self.line, self.column, self.text_column = mark
        self.key_line: int | None = None
        self.key_column = 0
        self.bad = bad
        self.origin: FieldPath | None = None

    @property
    def mark(self) -> Mark:
        return Mark(self.file, self.line, self.column, self.text_column)

    @property
    def key_mark(self) -> Mark | None:
        if self.key_line is None:
            return None
        return Mark(self.file, self.key_line, self.key_column)

    def set_key(self, mark: Mark) -> None:
        self.key_line, self.key_column = mark.line, mark.column

    def copy(self, value: Any, key: bool = True) -> LocatedValue:
        """The same node (marks, flag, origin, and with ``key`` its key's mark) holding
        ``value``."""
        out = LocatedValue(value, self.mark, self.bad)
        out.origin = self.origin
        if key:
            out.key_line, out.key_column = self.key_line, self.key_column
        return out

    def placed(self, origin: FieldPath) -> LocatedValue:
        """This node as the item at ``origin`` of its own file, unless it already knows
        where it was written (a base's base)."""
        if self.origin is not None:
            return self
        out = self.copy(self.value)
        out.origin = origin
        return out


@dataclasses.dataclass
class Parsed:
    """One file's (or a merged chain's) located tree and the problems found building it.

    ``scenario``: the file is a mapping with ``version:`` (it says it is a scenario).
    ``sealed``: the files reached, not named (``extends`` bases, a session's scenario),
    that are not scenarios, each with how it was reached: no message quotes them.
    ``files``: the files read, the one named first, then the base it extends, and so on
    (the order problems are listed in)."""

    tree: LocatedValue
    problems: list[Problem]
    scenario: bool = False
    sealed: dict[str, str] = dataclasses.field(default_factory=dict)
    files: tuple[str, ...] = ()


def plain(node: LocatedValue) -> Any:
    """The plain Python data of a located tree."""
    value = node.value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def location(mark: Mark, path: FieldPath, column: int | None = None) -> Location:
    clean = tuple(p if isinstance(p, str | int) else str(p) for p in path)
    return Location(mark.file, mark.line, column or mark.column, clean)


def fail(mark: Mark, path: FieldPath, message: str) -> ScenarioError:
    return ScenarioError([Problem(location(mark, path), message)])


def yaml_mark(mark: Any, file: str) -> Mark:
    """Our 1-based mark from a yaml ``Mark`` (0-based line and column) or None."""
    if mark is None:
        return Mark(file, 1, 1)
    return Mark(file, mark.line + 1, mark.column + 1)


def show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def show_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(TAG) if tag.startswith(TAG) else tag


def too_large(text: str, limit: int) -> bool:
    return len(text) > limit or (len(text) * 4 > limit and len(text.encode("utf-8")) > limit)


def too_large_error(where: Location, limit: int) -> ScenarioError:
    return ScenarioError.single(
        f"the file is larger than the {limit // (1024 * 1024)} MiB limit", where
    )


def newer_version(value: Any) -> int | None:
    """The version a ``version:`` value names if it is newer than this package reads."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value > SCHEMA_VERSION:
        return value
    return None
