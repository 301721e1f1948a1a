"""The scenario loader: YAML text -> validated, checked ``Scenario``. The only yaml importer.

Pipeline
--------
1. **Read** at most ``MAX_FILE_BYTES`` of UTF-8 text (a file path, a bundled scenario
   name, or a string given to ``load_text``).
2. **Compose** the YAML node tree with a ``yaml.SafeLoader`` subclass (never an unsafe
   loader, never ``eval``). Composition enforces the budgets below as it goes.
3. **Construct** plain Python data from the nodes ourselves, keeping beside every value
   where it was written (file, 1-based line and column, and for a one-line scalar where
   its text starts). Duplicate mapping keys are errors; tags other than the core ones
   (``!!str``, ``!!int``, ``!!float``, ``!!bool``, ``!!null``, ``!!seq``, ``!!map``) are
   refused, so ``!!python/object...`` and local ``!tags`` never construct anything.
4. **Version first**: a ``version:`` newer than ``SCHEMA_VERSION`` is reported alone, at
   its line, before anything else is checked (a newer file would otherwise produce a
   flood of unrelated errors).
5. **extends** (see below) merges a what-if onto its base.
6. **Validate** with pydantic (``Scenario.model_validate``) and then the whole-scenario
   checks of ``negotiation.validate.check_scenario``.

Every problem found is reported at once in one ``ScenarioError``: each ``Problem`` has
``Location(file, line, column, path)`` and the problems are sorted by file and line.
Pydantic error locations are mapped onto the data (tag segments of unions, such as the
event kind in ``('timeline', 3, 'propose', 'document')``, are dropped); an unknown field
is reported at the key itself with the expected fields and a did-you-mean; a problem
inside a condition string points at the offending character when the string is on one
line. At most ``MAX_PROBLEMS`` problems are listed.

The YAML dialect (the YAML 1.2 core schema)
--------------------------------------------
* ``true``/``false`` (any case form ``True``, ``TRUE``) are booleans; ``on``, ``off``,
  ``yes``, ``no``, ``y``, ``n`` stay strings.
* Dates stay strings (no timestamp resolver); ``negotiation.dates.FuzzyDate`` parses
  ``2025-12-10``, ``2025-11``, ``2025-11-28..2025-12-12`` and ``{on: ..., inferred: ...}``.
* Integers are decimal, ``0o`` octal or ``0x`` hex (no YAML 1.1 sexagesimal ``1:30``, no
  leading-zero octal); floats are the core forms plus ``.inf`` and ``.nan``; ``~``,
  ``null`` and an empty value are null.
* Merge keys (``<<``) are not supported: use an anchor on a whole value, or ``extends``.

``extends``: what-if scenarios
------------------------------
``extends:`` names the base scenario: a path relative to the extending file's own
directory (for ``load_text`` with no real file: the current directory) ending ``.yaml``
or ``.yml``, an absolute path to an existing ``.yaml``/``.yml`` file, or a bundled
scenario name (no path separators, no suffix, e.g. ``ukraine-2025-12``). A URL (anything
with ``://`` or starting with a scheme such as ``https:``) is refused. A missing base, a
cycle (reported with the whole chain) or a chain deeper than ``MAX_EXTENDS_DEPTH`` is a
located error at the ``extends`` line.

Merge semantics (on the raw data of both files, before validation, top-level fields):

* a field the child does not give keeps the parent's value;
* list fields whose items have an ``id`` (``parties``, ``documents``, ``lifecycles``,
  ``facts``, ``deadlines``, ``rules``, ``branches``, ``invariants``, ``decisions``): a
  child item with
  the ``id`` of a parent item replaces it in place; other child items are appended;
* ``timeline``, ``positions``, ``relations``, ``expect``, ``sources``, ``assumptions``:
  the parent's items, then the child's;
* any other field (scalars, ``start``, ``horizon``, ``title``, ...): the child's value
  replaces the parent's. The result keeps ``extends`` set to the child's value.

Every merged value keeps the file it came from, so a problem in the base is reported
with the base's file and line, a problem in the child's own items with the child's.

Budgets (hostile input)
-----------------------
``MAX_FILE_BYTES`` (32 MiB: a 100,000-event scenario is about 8 MiB), ``MAX_NODES``
(2,000,000 values in one file, counted while composing: such a file holds about 1.2
million), ``MAX_DEPTH`` (200 nested lists/mappings), ``MAX_ALIASES`` (100 alias uses),
``MAX_ALIAS_NODES`` (100,000 nodes added by expanding aliases: the expansion size is
computed on the node graph before anything is built, so a "billion laughs" file fails
in milliseconds), ``MAX_TIMELINE_EVENTS`` (1,000,000). Each is a located
``ScenarioError``.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import types
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, NamedTuple, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from .dates import FuzzyDate
from .errors import Location, Problem, ScenarioError
from .scenario import SCHEMA_VERSION, Scenario
from .validate import check_scenario

DEFAULT_SCENARIO = "ukraine-2025-12"

MAX_FILE_BYTES = 32 * 1024 * 1024
"""The largest scenario file read, in bytes."""
MAX_NODES = 2_000_000
"""The most values (scalars, lists, mappings) composed from one file."""
MAX_DEPTH = 200
"""The deepest nesting of lists and mappings."""
MAX_ALIASES = 100
"""The most alias uses (``*name``) in one file."""
MAX_ALIAS_NODES = 100_000
"""The most nodes that expanding all aliases of one file may add."""
MAX_TIMELINE_EVENTS = 1_000_000
"""The most events in a (merged) timeline."""
MAX_EXTENDS_DEPTH = 20
"""The longest chain of ``extends``."""
MAX_PROBLEMS = 1000
"""The most problems listed in one error."""

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
APPEND_LISTS = frozenset({"timeline", "positions", "relations", "expect", "sources", "assumptions"})
"""List fields appended (parent first) under ``extends``."""

FieldPath = tuple[Any, ...]

# -- located data ----------------------------------------------------------------------


class Mark(NamedTuple):
    """Where a value was written: file, 1-based line and column, and for a one-line
    plain or quoted scalar the column of its first character (else None)."""

    file: str
    line: int
    column: int
    text_column: int | None = None


@dataclasses.dataclass(slots=True, eq=False)
class _Node:
    """A constructed value with its mark (and its key's mark inside a mapping).

    ``value`` is a ``dict[Any, _Node]``, a ``list[_Node]`` or a plain scalar. ``bad``
    marks a value already reported (a refused tag) so validation does not repeat it.
    """

    value: Any
    mark: Mark
    key_mark: Mark | None = None
    bad: bool = False


def _plain(node: _Node) -> Any:
    """The plain Python data of a located tree."""
    value = node.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _child(node: _Node, seg: Any) -> _Node | None:
    value = node.value
    if isinstance(value, dict):
        try:
            return value.get(seg)
        except TypeError:
            return None
    if isinstance(value, list) and type(seg) is int and 0 <= seg < len(value):
        found: _Node = value[seg]
        return found
    return None


def _location(mark: Mark, path: FieldPath, column: int | None = None) -> Location:
    clean = tuple(p if isinstance(p, str | int) else str(p) for p in path)
    return Location(mark.file, mark.line, column or mark.column, clean)


def _fail(mark: Mark, path: FieldPath, message: str) -> ScenarioError:
    return ScenarioError([Problem(_location(mark, path), message)])


def _yaml_mark(mark: Any, file: str) -> Mark:
    """Our 1-based mark from a yaml ``Mark`` (0-based line and column) or None."""
    if mark is None:
        return Mark(file, 1, 1)
    return Mark(file, mark.line + 1, mark.column + 1)


# -- the YAML loader -------------------------------------------------------------------

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null"))
_SEQ, _MAP = f"{_TAG}seq", f"{_TAG}map"
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_INT_RE = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT_RE = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


class _SafeLoader(yaml.SafeLoader):
    """SafeLoader with the YAML 1.2 core schema resolvers and composition budgets."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # replaced, not inherited

    def __init__(self, text: str, file: str) -> None:
        super().__init__(text)
        self.file = file
        self.depth = 0
        self.aliases = 0
        self.alias_nodes = 0
        self.nodes = 0
        self.open_anchors: list[str] = []
        self.sizes: dict[int, int] = {}

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            node = super().compose_node(parent, index)
            self._alias(event, node)
            return node
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _fail(
                _yaml_mark(event.start_mark, self.file),
                (),
                f"more than {MAX_NODES:,} values in one file",
            )
        if not isinstance(event, yaml.CollectionStartEvent):
            return super().compose_node(parent, index)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _fail(
                _yaml_mark(event.start_mark, self.file),
                (),
                f"nesting deeper than {MAX_DEPTH} levels of lists and mappings",
            )
        self.open_anchors.append(event.anchor or "")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1
            self.open_anchors.pop()

    def _alias(self, event: yaml.AliasEvent, node: yaml.Node | None) -> None:
        mark = _yaml_mark(event.start_mark, self.file)
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise _fail(mark, (), f"more than {MAX_ALIASES} aliases (*name) in one file")
        if event.anchor in self.open_anchors:
            raise _fail(mark, (), f"alias *{event.anchor} refers to a value that contains it")
        self.alias_nodes += self._size(node)
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise _fail(
                mark,
                (),
                f"aliases expand to more than {MAX_ALIAS_NODES:,} values "
                f"(at alias *{event.anchor}); refusing to expand them",
            )

    def _size(self, node: yaml.Node | None) -> int:
        """How many nodes a node expands to (memoised: the graph may share nodes)."""
        if node is None or isinstance(node, yaml.ScalarNode):
            return 1
        key = id(node)
        if key not in self.sizes:
            if isinstance(node, yaml.MappingNode):
                kids = [n for pair in node.value for n in pair]
            else:
                kids = list(node.value)
            self.sizes[key] = 1 + sum(self._size(k) for k in kids)
        return self.sizes[key]


for _tag, _regexp, _first in (
    (_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
    (_INT, _INT_RE, "-+0123456789"),
    (_FLOAT, _FLOAT_RE, "-+0123456789."),
    (_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]),
):
    _SafeLoader.add_implicit_resolver(_tag, _regexp, list(_first))


def _compose(text: str, file: str) -> yaml.Node | None:
    bad = _NON_PRINTABLE.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise _fail(
            Mark(file, line, column),
            (),
            f"character U+{ord(bad.group()):04X} is not allowed in a YAML file",
        )
    loader = _SafeLoader(text, file)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        raise ScenarioError([_syntax_problem(e, file)]) from None
    except yaml.YAMLError as e:
        raise ScenarioError.single(f"YAML error: {e}", Location(file=file)) from None
    finally:
        loader.dispose()


def _syntax_problem(e: yaml.MarkedYAMLError, file: str) -> Problem:
    mark = _yaml_mark(e.problem_mark or e.context_mark, file)
    problem = e.problem or "invalid YAML"
    message = f"YAML syntax error: {problem}"
    if e.context:
        message += f" ({e.context}"
        if e.context_mark is not None:
            message += f" at line {e.context_mark.line + 1}"
        message += ")"
    if "\\t" in problem or "tab" in problem:
        message += "; YAML indentation must use spaces, not tabs"
    return Problem(_location(mark, ()), message)


# -- construction ----------------------------------------------------------------------


def _show_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


class _Builder:
    """Builds located plain data from a node tree, collecting located problems."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def mark(self, node: yaml.Node) -> Mark:
        start, end = node.start_mark, node.end_mark
        line, column = start.line + 1, start.column + 1
        text_column = None
        if isinstance(node, yaml.ScalarNode) and end is not None and end.line == start.line:
            if node.style is None:
                text_column = column
            elif node.style in ('"', "'"):
                text_column = column + 1
        return Mark(self.file, line, column, text_column)

    def problem(self, mark: Mark, path: FieldPath, message: str) -> None:
        self.problems.append(Problem(_location(mark, path), message))

    def build(self, node: yaml.Node, path: FieldPath) -> _Node:
        mark = self.mark(node)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, mark, path)
        expected = _MAP if isinstance(node, yaml.MappingNode) else _SEQ
        if node.tag not in (expected, "!"):
            return self.refuse(node.tag, mark, path)
        if isinstance(node, yaml.MappingNode):
            value, merged = self.mapping(node, path)
            return _Node(value, mark, bad=merged)
        return _Node([self.build(c, (*path, i)) for i, c in enumerate(node.value)], mark)

    def refuse(self, tag: str, mark: Mark, path: FieldPath) -> _Node:
        self.problem(
            mark,
            path,
            f"tag {_show_tag(tag)!r} is not allowed: scenario files hold "
            "plain values only (strings, numbers, true/false, null, lists, "
            "mappings), never tags that construct objects",
        )
        return _Node(None, mark, bad=True)

    def mapping(self, node: yaml.MappingNode, path: FieldPath) -> tuple[dict[Any, _Node], bool]:
        """The mapping's entries, and whether it used a (refused) merge key: its other
        problems are then not reported, as they follow from the missing merge."""
        out: dict[Any, _Node] = {}
        merged = False
        for knode, vnode in node.value:
            kmark = self.mark(knode)
            if not isinstance(knode, yaml.ScalarNode):
                self.problem(
                    kmark, path, "a mapping key must be a plain value, not a list or a mapping"
                )
                continue
            if knode.value == "<<" and knode.style is None:
                self.problem(
                    kmark,
                    path,
                    "merge keys ('<<') are not supported; anchor a whole "
                    "value instead, or use 'extends'",
                )
                merged = True
                continue
            key = self.scalar(knode, kmark, path).value
            if key in out:
                first = out[key].key_mark or kmark
                self.problem(
                    kmark, (*path, key), f"duplicate key {key!r} (first given at line {first.line})"
                )
                continue
            child = self.build(vnode, (*path, key))
            child.key_mark = kmark
            out[key] = child
        return out, merged

    def scalar(self, node: yaml.ScalarNode, mark: Mark, path: FieldPath) -> _Node:
        tag, text = node.tag, node.value
        if tag in (_STR, "!"):
            return _Node(text, mark)
        if tag == _NULL:
            return _Node(None, mark)
        try:
            if tag == _BOOL:
                return _Node(_to_bool(text), mark)
            if tag == _INT:
                return _Node(_to_int(text), mark)
            if tag == _FLOAT:
                return _Node(_to_float(text), mark)
        except ValueError as e:
            self.problem(mark, path, str(e))
            return _Node(None, mark, bad=True)
        return self.refuse(tag, mark, path)


def _to_bool(text: str) -> bool:
    if text.lower() not in ("true", "false"):
        raise ValueError(f"expected true or false, got {text!r}")
    return text.lower() == "true"


def _to_int(text: str) -> int:
    if not _INT_RE.match(text):
        raise ValueError(f"expected an integer, got {text!r}")
    try:
        return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
    except ValueError:
        raise ValueError(
            f"integer {text[:20]}... is too long (quote it to keep it as text)"
        ) from None


def _to_float(text: str) -> float:
    if not _FLOAT_RE.match(text):
        raise ValueError(f"expected a number, got {text!r}")
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return float("-inf") if lowered.startswith("-") else float("inf")
    return float("nan") if lowered == ".nan" else float(text)


@dataclasses.dataclass
class _Parsed:
    tree: _Node
    problems: list[Problem]


def _parse(text: str, file: str) -> _Parsed:
    """Compose and construct one file; check the top level and the version."""
    if len(text) > MAX_FILE_BYTES or (
        len(text) * 4 > MAX_FILE_BYTES and len(text.encode("utf-8")) > MAX_FILE_BYTES
    ):
        raise _too_large(Location(file=file))
    root = _compose(text, file)
    if root is None or (isinstance(root, yaml.ScalarNode) and root.value == "" and not root.style):
        raise ScenarioError.single(
            "the file is empty; a scenario is a mapping with at least 'id' and 'title'",
            Location(file, 1, 1),
        )
    builder = _Builder(file)
    tree = builder.build(root, ())
    if not isinstance(tree.value, dict):
        kind = "a list" if isinstance(tree.value, list) else f"the value {_show(tree.value)}"
        raise _fail(
            tree.mark,
            (),
            f"the top level of a scenario must be a mapping of fields "
            f"(id:, title:, parties:, ...), not {kind}",
        )
    _check_version(tree)
    return _Parsed(tree, builder.problems)


def _check_version(tree: _Node) -> None:
    node = tree.value.get("version")
    if node is None:
        return
    value = node.value
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value > SCHEMA_VERSION:
        raise _fail(
            node.mark,
            ("version",),
            f"schema version {value} is newer than this negotiation package reads "
            f"({SCHEMA_VERSION}); upgrade the package",
        )


def _too_large(where: Location) -> ScenarioError:
    return ScenarioError.single(
        f"the file is larger than the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit", where
    )


# -- files, names and extends ----------------------------------------------------------

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def _is_url(text: str) -> bool:
    return "://" in text or bool(_SCHEME.match(text))


def _bundled_dir() -> Path:
    """The directory of the bundled scenarios (the source tree's when not installed)."""
    try:
        return Path(str(resources.files("negotiation.scenarios")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "scenarios"


def bundled_names() -> list[str]:
    """Names of the scenarios shipped with the package."""
    root = _bundled_dir()
    if not root.is_dir():
        return []
    return sorted(p.stem for p in root.iterdir() if p.suffix == ".yaml" and p.is_file())


def _hint(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _bundled(name: str, where: Location) -> Path:
    names = bundled_names()
    if name in names:
        return _bundled_dir() / f"{name}.yaml"
    listed = ", ".join(names) if names else "none"
    raise ScenarioError.single(
        f"unknown scenario {name!r}{_hint(name, names)}; bundled scenarios: {listed} "
        "(or give a path to a .yaml file)",
        where,
    )


def _is_name(text: str) -> bool:
    return "/" not in text and "\\" not in text and Path(text).suffix not in (".yaml", ".yml")


def resolve(name_or_path: str) -> Path:
    """A path to an existing file, or the path of a bundled scenario by name."""
    where = Location(file=name_or_path)
    if _is_url(name_or_path):
        raise ScenarioError.single(
            "a scenario must be a local file or a bundled scenario name, not a URL", where
        )
    path = Path(name_or_path)
    if path.is_file():
        return path
    if path.is_dir():
        raise ScenarioError.single(f"{name_or_path} is a directory, not a scenario file", where)
    if _is_name(name_or_path):
        return _bundled(name_or_path, where)
    raise ScenarioError.single(f"no such scenario file: {name_or_path}", where)


def _read_text(path: Path, where: Location) -> str:
    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError.single(f"no such scenario file: {path}", where) from None
    except OSError as e:
        raise ScenarioError.single(f"cannot read {path}: {e.strerror}", where) from None
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(where)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise ScenarioError.single(
            f"not UTF-8 text: byte 0x{data[e.start]:02x} cannot be decoded",
            Location(str(path), line),
        ) from None


def _extends_target(node: _Node, file: str) -> Path:
    """The base file an ``extends`` value names, or a located error."""
    value = node.value
    where = _location(node.mark, ("extends",))
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError.single(
            "'extends' must be a file path or a bundled scenario name", where
        )
    if _is_url(value):
        raise ScenarioError.single(
            f"'extends' must be a local file or a bundled scenario "
            f"name, not a URL ({value!r}); download the base and "
            "extend it by path",
            where,
        )
    if _is_name(value):
        return _bundled(value, where)
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


def _load_tree(text: str, file: str, chain: tuple[tuple[Path, str], ...]) -> _Parsed:
    parsed = _parse(text, file)
    ext = parsed.tree.value.get("extends")
    if ext is None or ext.value is None:
        return parsed
    where = _location(ext.mark, ("extends",))
    target = _extends_target(ext, file)
    key = target.resolve()
    if any(key == seen for seen, _ in chain):
        names = [name for _, name in chain] + [str(target)]
        raise ScenarioError.single(f"extends forms a cycle: {' -> '.join(names)}", where)
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError.single(f"extends chain longer than {MAX_EXTENDS_DEPTH}", where)
    parent = _load_tree(_read_text(target, where), str(target), (*chain, (key, str(target))))
    tree = _merge(parent.tree, parsed.tree)
    return _Parsed(tree, parent.problems + parsed.problems)


def _merge(parent: _Node, child: _Node) -> _Node:
    """Merge a child's top-level mapping onto its parent's (see the module docstring)."""
    out: dict[Any, _Node] = dict(parent.value)
    for key, node in child.value.items():
        old = out.get(key)
        if old is None or not isinstance(old.value, list) or not isinstance(node.value, list):
            out[key] = node
        elif key in ID_LISTS:
            out[key] = dataclasses.replace(node, value=_merge_by_id(old.value, node.value))
        elif key in APPEND_LISTS:
            out[key] = dataclasses.replace(node, value=[*old.value, *node.value])
        else:
            out[key] = node
    return dataclasses.replace(child, value=out)


def _item_id(item: _Node) -> Any:
    if isinstance(item.value, dict):
        node = item.value.get("id")
        if node is not None and isinstance(node.value, str):
            return node.value
    return None


def _merge_by_id(parents: list[_Node], children: list[_Node]) -> list[_Node]:
    out = list(parents)
    index = {_item_id(n): i for i, n in enumerate(parents) if _item_id(n) is not None}
    for item in children:
        at = index.pop(_item_id(item), None)
        if at is None:
            out.append(item)
        else:
            out[at] = item
    return out


# -- validation and located problems ---------------------------------------------------


@dataclasses.dataclass
class _Walk:
    """Where a pydantic ``loc`` lands in the data."""

    node: _Node
    path: FieldPath
    skipped: list[int]  # indices of loc segments that are not in the data (union tags)
    bad: bool


def _walk(tree: _Node, loc: Sequence[Any]) -> _Walk:
    node, path, skipped, bad = tree, [], [], tree.bad
    for i, seg in enumerate(loc):
        child = _child(node, seg)
        if child is None:
            skipped.append(i)
            continue
        node = child
        path.append(seg)
        bad = bad or child.bad
    return _Walk(node, tuple(path), skipped, bad)


def _pick(tp: Any, value: Any) -> Any:
    """Resolve ``Annotated`` and unions of a type against the data written for it
    (``value`` is a located value: a ``dict`` of ``_Node``, a ``list`` or a scalar)."""
    discriminator: str | None = None
    while get_origin(tp) is Annotated:
        base, *meta = get_args(tp)
        for m in meta:
            if isinstance(m, FieldInfo) and isinstance(m.discriminator, str):
                discriminator = m.discriminator
        tp = base
    if get_origin(tp) not in (Union, types.UnionType):
        return tp
    tag = value.get(discriminator) if isinstance(value, dict) and discriminator else None
    tag = tag.value if isinstance(tag, _Node) else tag
    for member in get_args(tp):
        m = _pick(member, value)
        if isinstance(m, type) and issubclass(m, BaseModel) and isinstance(value, dict):
            if discriminator is None or m.model_fields[discriminator].default == tag:
                return m
        elif get_origin(m) is type(value) and isinstance(value, list | dict):
            return m
    return None


def _step(tp: Any, seg: Any) -> Any:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        info = tp.model_fields.get(seg)
        if info is None:
            return None
        if info.discriminator is not None:
            return Annotated[info.annotation, info]
        return info.annotation
    args = get_args(tp)
    if get_origin(tp) is list and args:
        return args[0]
    if get_origin(tp) is dict and len(args) == 2:
        return args[1]
    return None


def _fields_at(tree: _Node, path: FieldPath) -> list[str]:
    """The fields the model at a data path accepts (empty if it cannot be told)."""
    tp: Any = Scenario
    node: _Node | None = tree
    for seg in path:
        if node is None:
            return []
        tp = _step(_pick(tp, node.value), seg)
        node = _child(node, seg)
    model = _pick(tp, node.value) if node is not None else None
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return []
    fields = list(model.model_fields)
    return ["on", *fields] if model is FuzzyDate else fields


_PATTERNS = {
    r"^[a-z][a-z0-9_]*$": "a snake_case id (lowercase letters, digits and _, starting "
    "with a letter)",
    r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$": "a snake_case id, or a dotted id such as uk.commons",
}


_MODELS = {
    "FuzzyDate": "a date such as 2025-12-10, 2025-11, 2025-11-28..2025-12-12 or "
    "{on: 2025-12-10, inferred: true, note: ...}",
}


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _expected(err: ErrorDetails) -> str:
    """What a type error expected, as a phrase (``a valid integer``, ``'unknown'``)."""
    ctx = err.get("ctx") or {}
    if err["type"] == "string_pattern_mismatch":
        return _PATTERNS.get(str(ctx.get("pattern")), f"text matching {ctx.get('pattern')}")
    if err["type"] == "model_type":
        name = str(ctx.get("class_name"))
        return _MODELS.get(name, f"a mapping of {name} fields")
    return err["msg"].removeprefix("Input should be ")


def _choice_hint(err: ErrorDetails) -> str:
    ctx = err.get("ctx") or {}
    if err["type"] in ("literal_error", "enum") and isinstance(err["input"], str):
        return _hint(err["input"], re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
    return ""


def _message(err: ErrorDetails, walk: _Walk, tree: _Node) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "missing":
        return f"missing required field {err['loc'][-1]!r}"
    if kind == "extra_forbidden":
        key = walk.path[-1]
        fields = _fields_at(tree, walk.path[:-1])
        hint = _hint(str(key), fields)
        expected = f"; expected one of: {', '.join(fields)}" if fields else ""
        return f"unknown field {key!r}{hint}{expected}"
    if kind == "union_tag_invalid":
        tags = re.findall(r"'([^']*)'", str(ctx.get("expected_tags", "")))
        tag = str(ctx.get("tag"))
        disc = str(ctx.get("discriminator", "")).strip("'")
        return f"unknown {disc} {tag!r}{_hint(tag, tags)}; expected one of: {', '.join(tags)}"
    if kind == "union_tag_not_found":
        disc = str(ctx.get("discriminator", "")).strip("'")
        return f"missing required field {disc!r} (it says which kind of item this is)"
    if kind in ("value_error", "assertion_error"):
        return err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "invalid_key":
        key = walk.path[-1] if walk.path and not walk.skipped else err["input"]
        return f"field names must be text, got {_show(key)}"
    return f"expected {_expected(err)}, got {_show(err['input'])}{_choice_hint(err)}"


def _pydantic_problem(err: ErrorDetails, tree: _Node) -> tuple[Problem, _Walk] | None:
    loc = err["loc"]
    walk = _walk(tree, loc)
    if walk.bad:
        return None
    node, path = walk.node, walk.path
    mark = node.mark
    if err["type"] == "missing" and walk.skipped and walk.skipped[-1] == len(loc) - 1:
        walk.skipped.pop()
        path = (*path, loc[-1])
    elif err["type"] in ("extra_forbidden", "invalid_key") or (
        walk.skipped and loc[walk.skipped[-1]] == "[key]"
    ):
        mark = node.key_mark or mark
    elif err["type"] == "union_tag_invalid":
        kind = _child(node, str((err.get("ctx") or {}).get("discriminator", "")).strip("'"))
        if kind is not None:
            mark, path = kind.mark, (*path, "kind")
    return Problem(_location(mark, path), _message(err, walk, tree)), walk


def _pydantic_problems(error: ValidationError, tree: _Node) -> list[Problem]:
    """Located problems from a ValidationError, union alternatives folded together."""
    unions: dict[FieldPath, list[_Alternative]] = {}
    out: list[Problem] = []
    for err in error.errors(include_url=False):
        found = _pydantic_problem(err, tree)
        if found is None:
            continue
        problem, walk = found
        if not walk.skipped:
            out.append(problem)
            continue
        union_at = tuple(err["loc"][: walk.skipped[-1]])
        unions.setdefault(union_at, []).append(_Alternative(problem, err, walk.skipped[-1]))
    for members in unions.values():
        out += _fold_union(members)
    return out


class _Alternative(NamedTuple):
    """One union member's error: the problem, the error and where the member's tag is."""

    problem: Problem
    err: ErrorDetails
    tag_at: int

    @property
    def depth(self) -> int:
        """How far past the union the member got into the data."""
        return len(self.err["loc"]) - self.tag_at - 1


def _fold_union(members: list[_Alternative]) -> list[Problem]:
    """Keep the alternatives that got furthest into the data; fold shallow ones into one."""
    if max(m.depth for m in members) > 0:
        return [m.problem for m in members if m.depth > 0]
    simple = [m for m in members if m.err["type"] not in ("value_error", "assertion_error")]
    if len(simple) < 2:
        return [m.problem for m in members]
    expected = " or ".join(dict.fromkeys(_expected(m.err) for m in simple))
    message = f"expected {expected}, got {_show(simple[0].err['input'])}"
    rest = [m.problem for m in members if m not in simple]
    return [Problem(simple[0].problem.location, message), *rest]


def _locate(problem: Problem, tree: _Node) -> Problem:
    """Give a path-only problem (from check_scenario) its file, line and column."""
    path = problem.location.path
    walk = _walk(tree, path)
    mark = walk.node.mark
    column = mark.column
    if (
        problem.offset is not None
        and not walk.skipped
        and mark.text_column is not None
        and isinstance(walk.node.value, str)
    ):
        column = mark.text_column + problem.offset
    return Problem(_location(mark, path, column), problem.message, problem.offset)


def _error(problems: list[Problem]) -> ScenarioError:
    def key(p: Problem) -> tuple[str, int, int]:
        return (p.location.file or "", p.location.line or 0, p.location.column or 0)

    ordered = sorted(problems, key=key)
    if len(ordered) > MAX_PROBLEMS:
        extra = len(ordered) - MAX_PROBLEMS
        ordered = [
            *ordered[:MAX_PROBLEMS],
            Problem(Location(ordered[0].location.file), f"... and {extra} more problems"),
        ]
    return ScenarioError(ordered)


def _validate(parsed: _Parsed) -> Scenario:
    tree, problems = parsed.tree, list(parsed.problems)
    timeline = tree.value.get("timeline")
    if (
        timeline is not None
        and isinstance(timeline.value, list)
        and len(timeline.value) > MAX_TIMELINE_EVENTS
    ):
        raise _fail(
            timeline.key_mark or timeline.mark,
            ("timeline",),
            f"more than {MAX_TIMELINE_EVENTS:,} timeline events",
        )
    try:
        scenario = Scenario.model_validate(_plain(tree))
    except ValidationError as e:
        raise _error(problems + _pydantic_problems(e, tree)) from None
    problems += [_locate(p, tree) for p in check_scenario(scenario)]
    if problems:
        raise _error(problems)
    return scenario


# -- public API ------------------------------------------------------------------------


def _load(text: str, file: str) -> Scenario:
    chain = () if file.startswith("<") else ((Path(file).resolve(), file),)
    return _validate(_load_tree(text, file, chain))


def load_text(text: str, filename: str = "<string>") -> Scenario:
    """Load, validate and check scenario text; ``filename`` is used in messages and as
    the directory a relative ``extends`` is resolved against."""
    return _load(text, filename)


def load_scenario(name_or_path: str) -> Scenario:
    """Load, validate and check a scenario file or bundled scenario name."""
    path = resolve(name_or_path)
    return _load(_read_text(path, Location(file=str(path))), str(path))


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of scenario files (from the ``Scenario`` model)."""
    schema = Scenario.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": f"negotiation scenario (schema version {SCHEMA_VERSION})",
    }
