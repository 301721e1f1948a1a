"""The located path: YAML text -> a tree of values that each know where they were written.

Built directly from the pure-Python parser's events (``_SafeLoader``): no ``yaml.Node``
graph exists. The builder enforces the budgets as it reads, in the order (and with the
messages and marks) of the composer it replaces, and reports the rest as located
problems: refused tags, merge keys, keys that are lists or mappings, duplicate keys,
scalars that are not what their tag says. A value read through an alias is the anchored
value again, at the anchor's position, with its problems reported again at the alias's
field path, as if it had been written out there.
"""

from __future__ import annotations

import dataclasses
from typing import Any, NamedTuple

import yaml
from yaml.composer import ComposerError
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from negotiation.loader._tree import (
    FieldPath,
    LocatedValue,
    Mark,
    Parsed,
    fail,
    location,
    newer_version,
    show_tag,
    too_large,
    too_large_error,
    yaml_mark,
)
from negotiation.loader._yaml import (
    BOOL,
    CONVERT,
    FLOAT,
    INT,
    MAP,
    NON_PRINTABLE,
    NULL,
    SEQ,
    STR,
    SURROGATE,
    LoadBudgets,
    _SafeLoader,
    implicit_tag,
    text_budget,
)
from negotiation.model.errors import Location, Problem, ScenarioError
from negotiation.model.scenario import SCHEMA_VERSION

# -- the builder -----------------------------------------------------------------------


class _Scalar(NamedTuple):
    """A scalar as read: its text, resolved tag, style and mark."""

    text: str
    tag: str
    style: str | None
    mark: Mark


@dataclasses.dataclass
class _Anchor:
    """An anchored value: a scalar as read, or a collection's node with its size in
    nodes (aliases expanded) and its problems (mark, path below it, message)."""

    start: Any  # the yaml mark of its first event (for the duplicate anchor message)
    scalar: _Scalar | None = None
    node: LocatedValue | None = None
    size: int = 1
    chars: int = 0  # characters of text in it, aliases expanded
    problems: tuple[tuple[Mark, FieldPath, str], ...] = ()


class _Builder:
    """Reads one document's events into a located tree (see the module docstring)."""

    def __init__(self, parser: _SafeLoader, file: str, limits: LoadBudgets, sealed: bool) -> None:
        self.parser: Any = parser  # untyped in the stubs
        self.file = file
        self.limits = limits
        self.sealed = sealed  # name no anchor (see ``parse``)
        self.nodes = 0
        self.depth = 0
        self.aliases = 0
        self.alias_nodes = 0
        self.expanded = 0  # nodes read so far, aliases counted as what they expand to
        self.chars = 0  # characters of text read so far, aliases expanded
        self.anchors: dict[str, _Anchor] = {}
        self.open_anchors: list[str] = []
        # every problem as (mark, path, message, quiet level): a problem inside a value
        # that is not built (a duplicate key's, a refused tag's content) is quiet
        self.log: list[tuple[Mark, FieldPath, str, int]] = []
        self.quiet = 0
        self.root_empty = False
        self.root_kind = "a mapping"
        self.root_refused = False  # the top level has a refused tag

    @property
    def problems(self) -> list[Problem]:
        return [Problem(location(m, p), msg) for m, p, msg, q in self.log if not q]

    def problem(self, mark: Mark, path: FieldPath, message: str) -> None:
        self.log.append((mark, path, message, self.quiet))

    # -- the stream and the budgets --------------------------------------------------

    def document(self) -> LocatedValue | None:
        """The one document's root (None for an empty stream)."""
        check, get = self.parser.check_event, self.parser.get_event
        get()  # stream start
        root: LocatedValue | None = None
        root_mark = None
        if not check(StreamEndEvent):
            get()  # document start
            first = self.parser.peek_event()
            root_mark = first.start_mark
            self.root_empty = (
                isinstance(first, ScalarEvent) and first.value == "" and not first.style
            )
            self.root_kind = _kind(first)
            root = self.node(())
            get()  # document end
        if not check(StreamEndEvent):
            event = get()
            raise ComposerError(
                "expected a single document in the stream",
                root_mark,
                "but found another document",
                event.start_mark,
            )
        get()  # stream end
        return root

    def count(self, event: Any) -> None:
        self.nodes += 1
        self.expanded += 1
        if self.nodes > self.limits.nodes:
            raise fail(
                yaml_mark(event.start_mark, self.file),
                (),
                f"more than {self.limits.nodes:,} values in one file",
            )
        if isinstance(event, ScalarEvent):
            self.add_text(len(event.value), event, None)

    def add_text(self, chars: int, event: Any, alias: str | None) -> None:
        """Count ``chars`` characters of text (a scalar's, or an alias's expansion)."""
        self.chars += chars
        if self.chars > self.limits.text_chars:
            raise text_budget(self.file, event.start_mark, self.limits.text_chars, alias)

    def anchor(self, event: Any) -> None:
        """Refuse an anchor given twice (checked when its value starts, as PyYAML does)."""
        name = event.anchor
        if name is not None and name in self.anchors:
            raise ComposerError(
                f"found duplicate anchor {name!r}; first occurrence",
                self.anchors[name].start,
                "second occurrence",
                event.start_mark,
            )

    def alias(self, event: Any) -> _Anchor:
        name = event.anchor
        if name not in self.anchors:
            raise ComposerError(None, None, f"found undefined alias {name!r}", event.start_mark)
        mark = yaml_mark(event.start_mark, self.file)
        self.aliases += 1
        if self.aliases > self.limits.aliases:
            raise fail(mark, (), f"more than {self.limits.aliases} aliases (*name) in one file")
        if name in self.open_anchors:
            alias = "an alias" if self.sealed else f"alias *{name}"
            raise fail(mark, (), f"{alias} refers to a value that contains it")
        target = self.anchors[name]
        self.alias_nodes += target.size
        self.expanded += target.size
        if self.alias_nodes > self.limits.alias_nodes:
            at = "" if self.sealed else f" (at alias *{name})"
            raise fail(
                mark,
                (),
                f"aliases expand to more than {self.limits.alias_nodes:,} values{at}; "
                "refusing to expand them",
            )
        self.add_text(target.chars, event, None if self.sealed else name)
        return target

    # -- values ----------------------------------------------------------------------

    def node(self, path: FieldPath) -> LocatedValue:
        """Read the next value (an alias, a scalar, a list or a mapping)."""
        event: Any = self.parser.get_event()
        if isinstance(event, AliasEvent):
            target = self.alias(event)
            if target.scalar is not None:
                return self.scalar(target.scalar, path)
            for mark, below, message in target.problems:
                self.problem(mark, (*path, *below), message)
            assert target.node is not None
            return target.node.copy(target.node.value, key=False)
        self.count(event)
        if isinstance(event, ScalarEvent):
            self.anchor(event)
            read = self.read_scalar(event)
            if event.anchor is not None:
                self.anchors[event.anchor] = _Anchor(
                    event.start_mark, scalar=read, chars=len(read.text)
                )
            return self.scalar(read, path)
        return self.collection(event, path)

    def collection(self, event: Any, path: FieldPath) -> LocatedValue:
        mark = yaml_mark(event.start_mark, self.file)
        self.depth += 1
        if self.depth > self.limits.depth:
            raise fail(
                mark, (), f"nesting deeper than {self.limits.depth} levels of lists and mappings"
            )
        self.open_anchors.append(event.anchor or "")
        self.anchor(event)
        name = event.anchor
        if name is not None:
            self.anchors[name] = _Anchor(event.start_mark)
        first_problem, first_node, first_char = len(self.log), self.expanded - 1, self.chars
        is_map = isinstance(event, MappingStartEvent)
        refused = event.tag not in (None, "!", MAP if is_map else SEQ)
        if refused:
            self.refuse(event.tag, mark, path)
            self.quiet += 1
        value: dict[Any, LocatedValue] | list[LocatedValue]
        if is_map:
            value, merged = self.mapping(path)
        else:
            value, merged = self.sequence(path), False
        self.parser.get_event()  # the end event
        if refused:
            self.quiet -= 1
        node = (
            LocatedValue(None, mark, bad=True)
            if refused
            else LocatedValue(value, mark, bad=merged)
        )
        self.depth -= 1
        self.open_anchors.pop()
        if name is not None:
            self.anchors[name] = _Anchor(
                event.start_mark,
                node=node,
                size=self.expanded - first_node,
                chars=self.chars - first_char,
                problems=tuple(
                    (m, p[len(path) :], msg)
                    for m, p, msg, q in self.log[first_problem:]
                    if q == self.quiet
                ),
            )
        return node

    def sequence(self, path: FieldPath) -> list[LocatedValue]:
        out: list[LocatedValue] = []
        while not self.parser.check_event(SequenceEndEvent):
            out.append(self.node((*path, len(out))))
        return out

    def skip(self, path: FieldPath) -> LocatedValue:
        """Read a value that is not built into the tree (its problems are quiet)."""
        self.quiet += 1
        node = self.node(path)
        self.quiet -= 1
        return node

    def key(self, path: FieldPath) -> tuple[Mark, _Scalar | None]:
        """Read a mapping key: its mark, and the scalar (None for a list or mapping)."""
        event: Any = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            self.parser.get_event()
            target = self.alias(event)
            if target.scalar is not None:
                return target.scalar.mark, target.scalar
            assert target.node is not None
            return target.node.mark, None
        if isinstance(event, ScalarEvent):
            self.parser.get_event()
            self.count(event)
            self.anchor(event)
            read = self.read_scalar(event)
            if event.anchor is not None:
                self.anchors[event.anchor] = _Anchor(
                    event.start_mark, scalar=read, chars=len(read.text)
                )
            return read.mark, read
        return self.skip(path).mark, None

    def mapping(self, path: FieldPath) -> tuple[dict[Any, LocatedValue], bool]:
        """The mapping's entries, and whether it used a (refused) merge key: its other
        problems are then not reported, as they follow from the missing merge."""
        out: dict[Any, LocatedValue] = {}
        merged = False
        while not self.parser.check_event(MappingEndEvent):
            kmark, read = self.key(path)
            if read is None:
                self.problem(
                    kmark, path, "a mapping key must be a plain value, not a list or a mapping"
                )
                self.skip(path)
                continue
            if read.text == "<<" and read.style is None:
                self.problem(
                    kmark,
                    path,
                    "merge keys ('<<') are not supported; anchor a whole "
                    "value instead, or use 'extends'",
                )
                merged = True
                self.skip(path)
                continue
            key_node = self.scalar(read, path)
            if key_node.bad:  # reported: its value is not built
                self.skip(path)
                continue
            key = key_node.value
            if key in out:
                first = out[key].key_mark or kmark
                self.problem(
                    kmark, (*path, key), f"duplicate key {key!r} (first given at line {first.line})"
                )
                self.skip((*path, key))
                continue
            child = self.node((*path, key))
            child.set_key(kmark)
            out[key] = child
        return out, merged

    def read_scalar(self, event: Any) -> _Scalar:
        start, end = event.start_mark, event.end_mark
        line, column = start.line + 1, start.column + 1
        text_column = None
        if end is not None and end.line == start.line:
            if event.style is None:
                text_column = column
            elif event.style in ('"', "'"):
                text_column = column + 1
        tag = event.tag
        if tag is None or tag == "!":
            tag = implicit_tag(event.value) if event.implicit[0] else STR
        return _Scalar(event.value, tag, event.style, Mark(self.file, line, column, text_column))

    def scalar(self, read: _Scalar, path: FieldPath) -> LocatedValue:
        tag, mark = read.tag, read.mark
        if read.style == '"':  # an escape can write what is refused raw
            bad = NON_PRINTABLE.search(read.text)
            if bad is not None:  # reported; kept as text so nothing else is reported
                lone = SURROGATE.match(bad.group())
                why = (
                    surrogate_message(read.text, bad.start())
                    if lone is not None
                    else escaped_character(bad.group())
                )
                self.problem(mark, path, why)
                return LocatedValue(NON_PRINTABLE.sub("\ufffd", read.text), mark, bad=True)
        if tag in (STR, "!"):
            return LocatedValue(read.text, mark)
        if tag == NULL:
            return LocatedValue(None, mark)
        convert = CONVERT.get(tag)
        if convert is None:
            return self.refuse(tag, mark, path)
        try:
            return LocatedValue(convert(read.text), mark)
        except ValueError as e:
            self.problem(mark, path, str(e))
            return LocatedValue(None, mark, bad=True)

    def refuse(self, tag: str, mark: Mark, path: FieldPath) -> LocatedValue:
        if not path:
            self.root_refused = True
        self.problem(
            mark,
            path,
            f"tag {show_tag(tag)!r} is not allowed: scenario files hold "
            "plain values only (strings, numbers, true/false, null, lists, "
            "mappings), never tags that construct objects",
        )
        return LocatedValue(None, mark, bad=True)


def surrogate_message(text: str, at: int) -> str:
    """What is wrong with the surrogate at ``text[at]`` and what to write instead."""
    high = ord(text[at])
    low = ord(text[at + 1]) if at + 1 < len(text) else 0
    instead = "the character itself"
    if 0xD800 <= high <= 0xDBFF and 0xDC00 <= low <= 0xDFFF:
        joined = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        instead += f" or \\U{joined:08X} (YAML does not join \\u escapes into pairs)"
    return (
        f"text that cannot be encoded as UTF-8: \\u{high:04x} is half of a surrogate "
        f"pair, not a character; write {instead}"
    )


def escaped_character(char: str) -> str:
    """The problem of a control character that a double-quoted string writes as an
    escape (``"\\0"``, ``"\\x01"``, ``"\\e"``): refused as it is refused raw."""
    return (
        f"the escape for U+{ord(char):04X} (a control character) is not allowed in a "
        "scenario file: text holds printable characters, tabs and newlines only"
    )


# -- one file --------------------------------------------------------------------------


SYNTAX_HINTS: tuple[tuple[str, str], ...] = (
    ("mapping values are not allowed here",
     "a ': ' inside an unquoted value starts a new key; put the whole value in quotes"),
    ("while parsing a flow mapping",
     "inside {...} a value holding ':', '?', '#', ',' or '}' must be in quotes"),
    ("while parsing a flow sequence",
     "inside [...] an item holding ':', '#', ',' or ']' must be in quotes"),
    ("could not find expected ':'",
     "each line of a mapping needs 'key: value'; check this line and the indentation "
     "of the one before"),
    ("expected <block end>",
     "this line does not fit the list or mapping above it: the items of one must start "
     "in the same column, and every bracket opened must be closed once"),
    ("did not find expected key",
     "the items of one mapping must start in the same column"),
    ("found undefined alias",
     "an alias '*name' must come after its anchor '&name' in the file"),
    ("found unknown escape character",
     "inside double quotes a backslash starts an escape; use single quotes or '\\\\'"),
    ("found unexpected end of stream",
     "a quote or bracket opened here is never closed"),
)
"""Plain-English hints beside the parser's words, by what the parser says."""


def syntax_problem(e: yaml.MarkedYAMLError, file: str, sealed: bool = False) -> Problem:
    """The problem of a YAML syntax error (for a sealed file, without PyYAML's words,
    which can quote the text, and without a hint)."""
    mark = yaml_mark(e.problem_mark or e.context_mark, file)
    if sealed:
        return Problem(location(mark, ()), "not a scenario file: it is not valid YAML")
    problem = e.problem or "invalid YAML"
    message = f"YAML syntax error: {problem}"
    if e.context:
        message += f" ({e.context}"
        if e.context_mark is not None:
            message += f" at line {e.context_mark.line + 1}"
        message += ")"
    if "\\t" in problem or "tab" in problem:
        message += "; YAML indentation must use spaces, not tabs"
    said = f"{problem} {e.context or ''}"
    hint = next((h for words, h in SYNTAX_HINTS if words in said), None)
    if hint is not None:
        message += f"; hint: {hint}"
    return Problem(location(mark, ()), message)


_KINDS = {STR: "text", INT: "an integer", FLOAT: "a number", BOOL: "true or false", NULL: "null"}


def _kind(event: Any) -> str:
    """What the first event of a document is, in words (never its text)."""
    if isinstance(event, SequenceStartEvent):
        return "a list"
    if isinstance(event, MappingStartEvent):
        return "a mapping"
    if isinstance(event, ScalarEvent):
        tag = event.tag
        if tag is None or tag == "!":
            tag = implicit_tag(event.value) if event.implicit[0] else STR
        return _KINDS.get(tag, f"a value tagged {show_tag(tag)}")
    return "an alias"


def parse(text: str, file: str, limits: LoadBudgets, sealed: bool = False) -> Parsed:
    """Read one file into a located tree; check the top level and the version.

    ``sealed``: the file was reached, not named by the user (a base through ``extends``,
    a session's scenario); until it shows itself a scenario (a mapping with
    ``version:``) no message quotes its text, and ``Parsed.scenario`` says whether it
    did."""
    if too_large(text, limits.file_bytes):
        raise too_large_error(Location(file=file), limits.file_bytes)
    bad = NON_PRINTABLE.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        what = "a character" if sealed else f"character U+{ord(bad.group()):04X}"
        raise fail(Mark(file, line, column), (), f"{what} is not allowed in a YAML file")
    parser = _SafeLoader(text)
    builder = _Builder(parser, file, limits, sealed)
    try:
        tree = builder.document()
    except yaml.MarkedYAMLError as e:
        raise ScenarioError([syntax_problem(e, file, sealed)]) from None
    except yaml.YAMLError as e:
        message = "not valid YAML" if sealed else f"YAML error: {e}"
        raise ScenarioError.single(message, Location(file=file)) from None
    finally:
        parser.dispose()
    if tree is None or builder.root_empty:
        raise ScenarioError.single(
            "the file is empty; a scenario is a mapping with at least 'id' and 'title'",
            Location(file, 1, 1),
        )
    if not isinstance(tree.value, dict):
        if builder.root_refused:  # a refused tag on the top level: say that
            raise ScenarioError(builder.problems[:1])
        raise fail(
            tree.mark,
            (),
            "the top level of a scenario must be a mapping of scenario fields "
            f"(id:, title:, parties:, ...), got {builder.root_kind}",
        )
    version = tree.value.get("version")
    if version is not None:
        newer = newer_version(version.value)
        if newer is not None:
            raise fail(
                version.mark,
                ("version",),
                f"schema version {newer} is newer than this negotiation package reads "
                f"({SCHEMA_VERSION}); upgrade the package",
            )
    return Parsed(tree, builder.problems, scenario=version is not None)
