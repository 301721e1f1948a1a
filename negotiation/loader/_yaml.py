"""The YAML layer: the dialect (YAML 1.2 core scalars), the parsers and the fast path.

Nothing here composes a ``yaml.Node`` graph: both paths read the parser's *event* stream
and build their own values from it, enforcing the budgets on the events.

* ``plain_data`` (the fast path) builds plain Python data, with no positions, from the
  C parser's events when libyaml is available (``yaml.CSafeLoader``'s parser), else
  from the pure-Python parser. It reports one problem only: the text budget
  (``text_budget``), at the alias or scalar that passes it, as the located path would
  (everything before it was certainly valid, and the located path stops there too);
  re-reading megabytes of strings with the pure-Python parser takes seconds per
  megabyte. Anything else it does not accept as certainly valid (a tag, a duplicate
  key, a merge key, an alias used as a key, another budget exceeded, a syntax error, a
  character refused raw written as an escape, text where the two parsers are known to
  differ) raises ``Defer`` and the caller loads the file again with the located path,
  which reports exactly what is wrong and where.
* The located path (``negotiation.loader._located``) uses the pure-Python parser
  (``_SafeLoader``), whose marks every located message is written against.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from negotiation.model.errors import Location, ScenarioError

TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (f"{TAG}{t}" for t in ("str", "int", "float", "bool", "null"))
SEQ, MAP = f"{TAG}seq", f"{TAG}map"

NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
SURROGATE = re.compile("[\ud800-\udfff]")
"""A lone surrogate: only a double-quoted scalar's ``\\u`` escape can write one (the
file itself is UTF-8), and no text holding one can be written out as UTF-8."""
_BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
INT_RE = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
FLOAT_RE = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")

# The implicit resolvers of the YAML 1.2 core schema, by the scalar's first character
# (the empty string: the empty scalar), in the order they are tried.
_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _tag, _regexp, _first in (
    (BOOL, _BOOL_RE, "tTfF"),
    (INT, INT_RE, "-+0123456789"),
    (FLOAT, FLOAT_RE, "-+0123456789."),
    (NULL, _NULL_RE, ["~", "n", "N", ""]),
):
    for _c in _first:
        _RESOLVERS.setdefault(_c, []).append((_tag, _regexp))


def implicit_tag(text: str) -> str:
    """The tag of a plain scalar under the YAML 1.2 core schema."""
    for tag, regexp in _RESOLVERS.get(text[:1], ()):
        if regexp.match(text):
            return tag
    return STR


class _SafeLoader(yaml.SafeLoader):
    """The pure-Python reader, scanner and parser (a ``SafeLoader``), read for its event
    stream only: nothing composes or constructs with it. Its resolvers are the YAML 1.2
    core ones all the same, so that it could not construct YAML 1.1 values either."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # replaced, not inherited

    def __init__(self, text: str) -> None:
        super().__init__(text)


for _first_char, _resolvers in _RESOLVERS.items():
    for _tag, _regexp in _resolvers:
        _SafeLoader.add_implicit_resolver(_tag, _regexp, [_first_char])

_CParser: Any = getattr(yaml, "CSafeLoader", None) if yaml.__with_libyaml__ else None
"""libyaml's parser (with PyYAML's safe constructor, which is never called), or None."""


class LoadBudgets(NamedTuple):
    """The budgets of one load (read from the package when the load starts)."""

    file_bytes: int
    nodes: int
    depth: int
    aliases: int
    alias_nodes: int
    text_chars: int


class Defer(Exception):  # noqa: N818 (a signal, not an error)
    """The fast path gives up: load again with the located path."""


def text_budget(file: str, mark: Any, limit: int, alias: str | None) -> ScenarioError:
    """The text budget's error at a yaml mark (0-based), naming the alias if given."""
    where = f" at alias *{alias}" if alias is not None else ""
    return ScenarioError.single(
        f"the text of the file, aliases expanded, is more than {limit:,} characters"
        f"{where}; refusing to expand it",
        Location(file, mark.line + 1, mark.column + 1),
    )


# -- scalars ---------------------------------------------------------------------------


def to_bool(text: str) -> bool:
    if text.lower() not in ("true", "false"):
        raise ValueError(f"expected true or false, got {text!r}")
    return text.lower() == "true"


def to_int(text: str) -> int:
    if not INT_RE.match(text):
        raise ValueError(f"expected an integer, got {text!r}")
    try:
        return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
    except ValueError:
        raise ValueError(
            f"integer {text[:20]}... is too long (quote it to keep it as text)"
        ) from None


def to_float(text: str) -> float:
    if not FLOAT_RE.match(text):
        raise ValueError(f"expected a number, got {text!r}")
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return float("-inf") if lowered.startswith("-") else float("inf")
    return float("nan") if lowered == ".nan" else float(text)


CONVERT: dict[str, Callable[[str], Any]] = {
    BOOL: to_bool,
    INT: to_int,
    FLOAT: to_float,
    NULL: lambda text: None,
}
"""How a scalar of each core tag other than ``!!str`` becomes a value."""


# -- the fast path ---------------------------------------------------------------------


def fast_parser(text: str) -> Any:
    """An event source for ``plain_data``: libyaml's when it reads this text exactly as
    the pure-Python parser does, else the pure-Python parser.

    libyaml accepts tabs as separators where the pure-Python scanner refuses them, and
    reads a byte order mark inside the text differently: such texts (rare in scenario
    files) are parsed by the pure-Python parser."""
    if _CParser is not None and "\t" not in text and text.find("\ufeff", 1) < 0:
        return _CParser(text)
    return _SafeLoader(text)


def plain_data(
    text: str, limits: LoadBudgets, parser: Any = None, file: str = "<string>", sealed: bool = False
) -> Any:
    """The plain data of a one-document YAML text, or ``Defer`` (see the module
    docstring). The text must already be within the size budget. ``file`` and
    ``sealed`` (name no alias) are for the text budget's message."""
    if NON_PRINTABLE.search(text) is not None:
        raise Defer
    if parser is None:
        parser = fast_parser(text)
    try:
        return _Plain(limits, file, sealed).document(parser.get_event)
    except yaml.YAMLError:
        raise Defer from None
    finally:
        parser.dispose()


_OPEN = object()  # an anchor whose collection is still being read
_ROOT, _ITEM, _KEY, _VALUE = range(4)  # what the collection being read waits for


class _Plain:
    """Plain data from an event stream. Per value: one event, a few comparisons."""

    def __init__(self, limits: LoadBudgets, file: str, sealed: bool) -> None:
        self.limits = limits
        self.file = file
        self.sealed = sealed

    def document(self, get: Callable[[], Any]) -> Any:
        get()  # stream start
        if type(get()) is not DocumentStartEvent:
            raise Defer  # an empty stream
        root = self.root(get)
        get()  # document end
        if type(get()) is not StreamEndEvent:
            raise Defer  # another document
        return root

    def root(self, get: Callable[[], Any]) -> Any:  # noqa: C901, PLR0915 (one loop)
        max_nodes, max_depth, max_aliases, max_alias_nodes, max_chars = self.limits[1:]
        nodes = aliases = alias_nodes = 0  # an anchor's size: nodes + alias_nodes
        chars = 0  # characters of text read, aliases expanded
        anchors: dict[str, Any] = {}  # name -> (value, size, chars) or _OPEN
        memo: dict[str, str] = {}  # one object per distinct string
        resolvers = _RESOLVERS
        convert = CONVERT
        # the collection being read, what it waits for, its pending key, its anchor,
        # nodes + alias_nodes and chars before it; the enclosing ones on the stack
        container: Any = None
        mode = _ROOT
        key: Any = None
        anchor: str | None = None
        start = start_chars = 0
        stack: list[tuple[Any, int, Any, str | None, int, int]] = []
        while True:
            ev = get()
            kind = type(ev)
            if kind is ScalarEvent:
                if ev.tag is not None:
                    raise Defer
                nodes += 1
                text = ev.value
                chars += len(text)
                if nodes > max_nodes:
                    raise Defer
                if chars > max_chars:
                    raise text_budget(self.file, ev.start_mark, max_chars, None)
                if ev.style == '"' and NON_PRINTABLE.search(text) is not None:
                    raise Defer  # a character refused raw (or a lone surrogate) as an escape
                value: Any = text
                if ev.implicit[0]:
                    tried = resolvers.get(text[:1])
                    if tried is not None:
                        for tag, regexp in tried:
                            if regexp.match(text):
                                try:
                                    value = convert[tag](text)
                                except ValueError:
                                    raise Defer from None
                                break
                if value is text:
                    value = memo.setdefault(text, text)
                if ev.anchor is not None:
                    if ev.anchor in anchors:
                        raise Defer
                    anchors[ev.anchor] = (value, 1, len(text))
                if mode == _KEY:
                    if (text == "<<" and ev.style is None) or value in container:
                        raise Defer  # a merge key, or a duplicate key
                    key = value
                    mode = _VALUE
                    continue
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if ev.tag is not None or mode == _KEY:
                    raise Defer  # a tag, or a list or mapping as a key
                nodes += 1
                if nodes > max_nodes or len(stack) >= max_depth:
                    raise Defer
                if ev.anchor is not None:
                    if ev.anchor in anchors:
                        raise Defer
                    anchors[ev.anchor] = _OPEN
                stack.append((container, mode, key, anchor, start, start_chars))
                if kind is MappingStartEvent:
                    container, mode = {}, _KEY
                else:
                    container, mode = [], _ITEM
                anchor, start, start_chars = ev.anchor, nodes + alias_nodes - 1, chars
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                value = container
                if anchor is not None:
                    anchors[anchor] = (value, nodes + alias_nodes - start, chars - start_chars)
                container, mode, key, anchor, start, start_chars = stack.pop()
            elif kind is AliasEvent:
                found = anchors.get(ev.anchor)
                if found is None or found is _OPEN or mode == _KEY:
                    raise Defer  # undefined, recursive, or used as a key
                value, size, text_size = found
                aliases += 1
                alias_nodes += size
                chars += text_size
                if aliases > max_aliases or alias_nodes > max_alias_nodes:
                    raise Defer
                if chars > max_chars:
                    alias = None if self.sealed else ev.anchor
                    raise text_budget(self.file, ev.start_mark, max_chars, alias)
            else:
                raise Defer  # not a value event: the parser is not where it should be
            if mode == _VALUE:
                container[key] = value
                mode = _KEY
            elif mode == _ITEM:
                container.append(value)
            else:
                return value
