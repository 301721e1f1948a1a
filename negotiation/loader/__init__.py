"""The scenario loader: YAML text -> validated, checked ``Scenario``. The only yaml importer.

Pipeline
--------
1. **Read** at most ``MAX_FILE_BYTES`` of UTF-8 text (a file path, a bundled scenario
   name, or a string given to ``load_text``; see "Names and paths" below).
2. **Fast path** (``_yaml.plain_data``): read the parser's *event* stream (libyaml's C
   parser when PyYAML has it, else the pure-Python one; never an unsafe loader, never
   ``eval``) straight into plain data, enforcing the budgets below on the events;
   merge ``extends``; validate with pydantic (``Scenario.model_validate``) and the
   whole-scenario checks of ``negotiation.runtime.validate.check_scenario``. When all of that
   passes, that is the result. The fast path reports nothing: at the first thing it
   does not accept as certainly valid (any problem, any tag, a budget exceeded, a text
   on which libyaml and PyYAML's own parser are known to differ) it gives up.
3. **Located path** (``_located``), when the fast path gave up: read the text again
   with PyYAML's pure-Python parser into a tree where every value keeps where it was
   written (file, 1-based line and column, and for a one-line scalar where its text
   starts), and report every problem found at once in one ``ScenarioError``. Duplicate
   mapping keys are errors; tags other than the core ones (``!!str``, ``!!int``,
   ``!!float``, ``!!bool``, ``!!null``, ``!!seq``, ``!!map``) are refused, so
   ``!!python/object...`` and local ``!tags`` never construct anything. A ``version:``
   newer than ``SCHEMA_VERSION`` is reported alone, at its line, before anything else
   is checked (a newer file would otherwise produce a flood of unrelated errors).

The cyclic garbage collector is paused while a file loads (nothing the loader builds is
cyclic; without the pause it re-scans the growing heap of a large file over and over).

Every problem has ``Location(file, line, column, path)`` and the problems are in file
order: the file named first, then the base it extends, and so on, each by line and
column. One pass reports all it can: a value the models refuse does not hide the
whole-scenario checks (``_salvage`` runs them on the rest, keeping only what the refused
parts cannot explain), and a base that cannot be read does not hide the extending file's
own problems. Pydantic error locations are mapped onto the data (tag segments of
unions, such as the event kind in ``('timeline', 3, 'propose', 'document')``, are
dropped); an unknown field is reported at the key itself with the expected fields and a
did-you-mean; a problem inside a condition string points at the offending character
when the string is on one line. At most ``MAX_PROBLEMS`` problems are listed.

The YAML dialect (the YAML 1.2 core schema)
--------------------------------------------
* ``true``/``false`` (any case form ``True``, ``TRUE``) are booleans; ``on``, ``off``,
  ``yes``, ``no``, ``y``, ``n`` stay strings.
* Dates stay strings (no timestamp resolver); ``negotiation.model.dates.FuzzyDate`` parses
  ``2025-12-10``, ``2025-11``, ``2025-11-28..2025-12-12`` and ``{on: ..., inferred: ...}``.
* Integers are decimal, ``0o`` octal or ``0x`` hex (no YAML 1.1 sexagesimal ``1:30``, no
  leading-zero octal); floats are the core forms plus ``.inf`` and ``.nan``; ``~``,
  ``null`` and an empty value are null.
* Merge keys (``<<``) are not supported: use an anchor on a whole value, or ``extends``.

Names and paths
---------------
A scenario is named by a path or by a bundled scenario's name. An argument with a path
separator (``./talks``, ``/tmp/x``) or a ``.yaml``/``.yml`` suffix is always a path. A
bare name (``ukraine-2025-12``) is the bundled scenario of that name when there is one,
even if a file or folder of that name exists in the working directory (write
``./ukraine-2025-12`` for that one; ``shadowed`` tells the CLI to say so); a bare name
that is no bundled scenario is a path (``negotiation run -s talks`` reads ``./talks``).

Files not named by the user
---------------------------
A base reached through ``extends`` and the scenario a saved session names are read
*sealed*: until the file shows itself a scenario (a mapping with ``version:``), no
message quotes it (no value, no key, no YAML error text): its problems become one
"not a scenario ... its content is not shown" at its first problem's line. An error
message is never a way to read a file.

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
* ``timeline``, ``positions``, ``relations``, ``expect``, ``sources``, ``assumptions``,
  ``interests``: the parent's items, then the child's;
* any other field (scalars, ``start``, ``horizon``, ``title``, ...): the child's value
  replaces the parent's. The result keeps ``extends`` set to the child's value.

Before that merge, the child's corrections apply to the parent: ``remove:`` maps a list
whose items have ids (``_extends.CORRECTABLE``: those above and ``timeline``, ``sources``)
to the ids of parent items to drop, ``replace:`` to items that each take the place of
the parent item with their ``id``. An id the parent does not have (with a did-you-mean),
an id corrected twice, a list without ids, and either field in a file without
``extends`` are located problems; the merged result has neither field.

Every merged value keeps the file it came from, so a problem in the base is reported
with the base's file and line, a problem in the child's own items with the child's; and
a merged list item keeps its own file's field path (the child's first event is
``timeline.0``, a replacement ``replace.timeline.0``), whatever its merged index.

Budgets (hostile input)
-----------------------
``MAX_FILE_BYTES`` (32 MiB: a 100,000-event scenario is about 8 MiB), ``MAX_NODES``
(2,000,000 values in one file, counted while reading: such a file holds about 1.2
million), ``MAX_DEPTH`` (200 nested lists/mappings), ``MAX_ALIASES`` (100 alias uses),
``MAX_ALIAS_NODES`` (100,000 values added by expanding aliases: each anchored value's
expanded size is counted as it is read, and an alias reuses the value instead of copying
it, so a "billion laughs" file fails in milliseconds), ``MAX_TEXT_CHARS`` (32 Mi
characters of text, aliases expanded: text reached through an alias counts each time it
is reached, so ten aliases to a 10 MB string are refused, while no file without aliases
can reach it), ``MAX_TIMELINE_EVENTS`` (1,000,000). Each is a located ``ScenarioError``.
What is written from a scenario is bounded too: ``persist.MAX_OUTPUT_BYTES``.

Text: a character refused raw (a control character, a lone surrogate) is refused as
well when a double-quoted string writes it as an escape (``"\\0"``, ``"\\x01"``,
``"\\e"``, ``"\\ud800"``), at the string's line and column.

Modules: ``_yaml`` (dialect, parsers, the fast path), ``_tree`` (located values),
``_located`` (the located path's reader), ``_extends`` (base files and merging),
``_messages`` (pydantic errors and checks, located), ``_salvage`` (the checks of a file
the models refuse), ``_schema`` (the JSON Schema of the
file forms, for editors: ``scenario_json_schema``).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from negotiation.loader._compact import compact
from negotiation.loader._extends import (
    APPEND_LISTS,
    ID_LISTS,
    extends_target,
    is_name,
    is_url,
    merge,
    merge_plain,
    without_corrections,
)
from negotiation.loader._located import parse
from negotiation.loader._messages import error, locate, redact, validate
from negotiation.loader._schema import FILE_NAME as SCHEMA_FILE_NAME
from negotiation.loader._schema import SCHEMA_ID, scenario_json_schema
from negotiation.loader._tree import (
    LocatedValue,
    Mark,
    Parsed,
    location,
    newer_version,
    too_large,
    too_large_error,
)
from negotiation.loader._yaml import Defer, LoadBudgets, plain_data
from negotiation.loader._yaml import (
    _SafeLoader as _SafeLoader,  # the pure-Python parser (tests check its base)
)
from negotiation.model.errors import Location, Problem, ScenarioError, did_you_mean
from negotiation.model.scenario import Scenario
from negotiation.runtime.preflight import start_problems
from negotiation.runtime.validate import check_scenario

__all__ = [
    "APPEND_LISTS",
    "DEFAULT_SCENARIO",
    "ID_LISTS",
    "MAX_ALIASES",
    "MAX_ALIAS_NODES",
    "MAX_DEPTH",
    "MAX_EXTENDS_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "MAX_PROBLEMS",
    "MAX_TEXT_CHARS",
    "MAX_TIMELINE_EVENTS",
    "SCHEMA_FILE_NAME",
    "SCHEMA_ID",
    "Mark",
    "bundled_names",
    "load_scenario",
    "load_text",
    "locate_problems",
    "resolve",
    "scenario_json_schema",
    "shadowed",
    "validate_file",
]

DEFAULT_SCENARIO = "ukraine-2025-12"

MAX_FILE_BYTES = 32 * 1024 * 1024
"""The largest scenario file read, in bytes."""
MAX_NODES = 2_000_000
"""The most values (scalars, lists, mappings) read from one file."""
MAX_DEPTH = 200
"""The deepest nesting of lists and mappings."""
MAX_ALIASES = 100
"""The most alias uses (``*name``) in one file."""
MAX_ALIAS_NODES = 100_000
"""The most values that expanding all aliases of one file may add."""
MAX_TEXT_CHARS = 32 * 1024 * 1024
"""The most characters of text (keys and values) in one file, aliases expanded each
time they are used: no more than a file without aliases can hold."""
MAX_TIMELINE_EVENTS = 1_000_000
"""The most events in a (merged) timeline."""
MAX_EXTENDS_DEPTH = 20
"""The longest chain of ``extends``."""
MAX_PROBLEMS = 1000
"""The most problems listed in one error."""

_Chain = tuple[tuple[Path, str], ...]
"""The files of an ``extends`` chain so far: (resolved path, name as given)."""


def _limits() -> LoadBudgets:
    """The budgets, read when a load starts (tests lower them on this module)."""
    return LoadBudgets(
        MAX_FILE_BYTES, MAX_NODES, MAX_DEPTH, MAX_ALIASES, MAX_ALIAS_NODES, MAX_TEXT_CHARS
    )


# -- files and names -------------------------------------------------------------------


def _bundled_dir() -> Path:
    """The directory of the bundled scenarios (the source tree's when not installed)."""
    try:
        return Path(str(resources.files("negotiation.scenarios")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent.parent / "scenarios"


def bundled_names() -> list[str]:
    """Names of the scenarios shipped with the package."""
    root = _bundled_dir()
    if not root.is_dir():
        return []
    return sorted(p.stem for p in root.iterdir() if p.suffix == ".yaml" and p.is_file())


def _bundled(name: str, where: Location) -> Path:
    names = bundled_names()
    if name in names:
        return _bundled_dir() / f"{name}.yaml"
    listed = ", ".join(names) if names else "none"
    raise ScenarioError.single(
        f"unknown scenario {name!r}{did_you_mean(name, names)} (bundled scenarios: {listed}; "
        "or give a path to a .yaml file)",
        where,
    )


def resolve(name_or_path: str | os.PathLike[str]) -> Path:
    """A path to an existing file, or the path of a bundled scenario by name (see
    "Names and paths" in the module docstring). A path object (``os.PathLike``) always
    names a file, never a bundled scenario."""
    if not isinstance(name_or_path, str):
        return _existing_file(_fspath(name_or_path))
    where = Location(file=name_or_path)
    if not name_or_path.strip():
        raise ScenarioError.single("no scenario given: name a .yaml file or a bundled scenario")
    if is_url(name_or_path):
        raise ScenarioError.single(
            "a scenario must be a local file or a bundled scenario name, not a URL", where
        )
    if is_name(name_or_path) and name_or_path in bundled_names():
        return _bundled_dir() / f"{name_or_path}.yaml"
    path = Path(name_or_path)
    if is_name(name_or_path) and not (path.is_file() or path.is_dir()):
        return _bundled(name_or_path, where)
    return _existing_file(name_or_path)


def _fspath(value: object) -> str:
    """The text of a path object; a ``TypeError`` for anything else (a caller's bug)."""
    text = os.fspath(value) if isinstance(value, os.PathLike) else None
    if not isinstance(text, str):
        raise TypeError(
            f"a scenario is a str (a path or a bundled name) or an os.PathLike of str, "
            f"not {type(value).__name__}"
        )
    return text


def _existing_file(text: str) -> Path:
    path, where = Path(text), Location(file=text)
    if path.is_file():
        return path
    if path.is_dir():
        raise ScenarioError.single(f"{text} is a directory, not a scenario file", where)
    raise ScenarioError.single(f"no such scenario file: {text}", where)


def shadowed(name_or_path: str) -> Path | None:
    """The file or folder in the working directory that a bundled scenario's name hides
    (``resolve`` takes the bundled one), or None."""
    if not (is_name(name_or_path) and name_or_path.strip()) or is_url(name_or_path):
        return None
    local = Path(name_or_path)
    if os.path.lexists(local) and name_or_path in bundled_names():
        return local
    return None


def _read_text(path: Path, where: Location, sealed: bool = False) -> str:
    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError.single(f"no such scenario file: {path}", where) from None
    except OSError as e:
        raise ScenarioError.single(f"cannot read {path}: {e.strerror}", where) from None
    if len(data) > MAX_FILE_BYTES:
        raise too_large_error(where, MAX_FILE_BYTES)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        byte = "" if sealed else f": byte 0x{data[e.start]:02x} cannot be decoded"
        raise ScenarioError.single(f"not UTF-8 text{byte}", Location(str(path), line)) from None


# -- the fast path ---------------------------------------------------------------------


def _fast(
    text: str, file: str, chain: _Chain, limits: LoadBudgets, sealed: bool = False
) -> Scenario:
    """The scenario, or ``Defer`` (see the module docstring)."""
    data = _fast_tree(text, file, chain, limits, sealed)
    timeline = data.get("timeline")
    if isinstance(timeline, list) and len(timeline) > MAX_TIMELINE_EVENTS:
        raise Defer
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError:
        raise Defer from None
    del data, timeline  # the scenario holds what it needs
    if check_scenario(scenario):
        raise Defer
    compact(scenario)
    return scenario


def _fast_tree(
    text: str, file: str, chain: _Chain, limits: LoadBudgets, sealed: bool
) -> dict[Any, Any]:
    if too_large(text, limits.file_bytes):
        raise Defer
    data = plain_data(text, limits, file=file, sealed=sealed)
    if not isinstance(data, dict) or newer_version(data.get("version")) is not None:
        raise Defer
    value = data.get("extends")
    if value is None:
        return data
    try:
        target = extends_target(value, file, Location(file=file), _bundled)
        key = target.resolve()
        if any(key == seen for seen, _ in chain) or len(chain) >= MAX_EXTENDS_DEPTH:
            raise Defer
        base = _read_text(target, Location(file=str(target)))
    except (ScenarioError, OSError):
        raise Defer from None
    parent = _fast_tree(base, str(target), (*chain, (key, str(target))), limits, True)
    return merge_plain(parent, data)


# -- the located path ------------------------------------------------------------------


def _located(
    text: str, file: str, chain: _Chain, limits: LoadBudgets, via: str | None = None
) -> Parsed:
    """The located tree of a file and its bases; ``via`` says how a file the user did not
    name was reached (it is read sealed: see the module docstring)."""
    parsed = parse(text, file, limits, sealed=via is not None)
    if via is not None and not parsed.scenario:
        parsed.sealed[file] = via
    ext = parsed.tree.value.get("extends")
    if ext is None or ext.value is None:
        tree, problems = without_corrections(parsed.tree)
        return Parsed(tree, parsed.problems + problems, parsed.scenario, parsed.sealed, (file,))
    try:
        parent = _base(ext, file, chain, limits)
    except ScenarioError as e:  # no base to merge: what is known of this file, with it
        own = redact(parsed.problems, parsed.sealed)  # the base's are final already
        raise error(own + e.problems, MAX_PROBLEMS, files=(file,)) from None
    tree, corrections = merge(parent.tree, parsed.tree)
    return Parsed(
        tree,
        parent.problems + parsed.problems + corrections,
        parsed.scenario,
        {**parent.sealed, **parsed.sealed},
        (file, *parent.files),
    )


def _base(ext: LocatedValue, file: str, chain: _Chain, limits: LoadBudgets) -> Parsed:
    """The located tree of the base an ``extends`` value names (and of its bases)."""
    where = location(ext.mark, ("extends",))
    target = extends_target(ext.value, file, where, _bundled)
    key = target.resolve()
    if any(key == seen for seen, _ in chain):
        names = [name for _, name in chain] + [str(target)]
        raise ScenarioError.single(f"extends forms a cycle: {' -> '.join(names)}", where)
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError.single(f"extends chain longer than {MAX_EXTENDS_DEPTH}", where)
    base = _read_text(target, where, sealed=True)
    reached = f"reached through 'extends' at {where.file}:{where.line}"
    return _located(base, str(target), (*chain, (key, str(target))), limits, reached)


# -- public API ------------------------------------------------------------------------


def _load(text: str, file: str, via: str | None = None) -> Scenario:
    chain: _Chain = () if file.startswith("<") else ((Path(file).resolve(), file),)
    limits = _limits()
    try:
        return _fast(text, file, chain, limits, via is not None)
    except Defer:
        pass
    return validate(_located(text, file, chain, limits, via), MAX_TIMELINE_EVENTS, MAX_PROBLEMS)


def load_text(text: str, filename: str = "<string>") -> Scenario:
    """Load, validate and check scenario text; ``filename`` is used in messages and as
    the directory a relative ``extends`` is resolved against."""
    return _load(text, filename)


def load_scenario(
    name_or_path: str | os.PathLike[str], *, named_by: str | None = None
) -> Scenario:
    """Load, validate and check a scenario: a file (a ``str`` or ``os.PathLike`` path)
    or the name of a bundled scenario (a ``str``, see ``bundled_names``).

    ``named_by``: who named the file when the user did not (``"a saved session"``): the
    file is then read sealed (see the module docstring)."""
    path = resolve(name_or_path)
    via = None if named_by is None else f"named by {named_by}"
    text = _read_text(path, Location(file=str(path)), sealed=via is not None)
    return _load(text, str(path), via)


def validate_file(name_or_path: str | os.PathLike[str]) -> Scenario:
    """``load_scenario``, then what the engine refuses before the first event (rules
    that do not settle on the start date: ``negotiation.runtime.preflight``), located like
    every other problem in one ``ScenarioError``. What ``negotiation validate`` and the
    pytest plugin run; a plain load skips the engine's part, which costs a compile."""
    path = resolve(name_or_path)
    text = _read_text(path, Location(file=str(path)))
    scenario = _load(text, str(path))
    found = start_problems(scenario)
    if found:
        raise error(_locate_in(text, path, found), MAX_PROBLEMS)
    return scenario


def locate_problems(
    name_or_path: str | os.PathLike[str], problems: list[Problem]
) -> list[Problem]:
    """Problems located by field path only (``("expect", 2)``, ``("rules", 0, "when")``)
    with the file, line and column where that field is written (in the file, or in the
    base it ``extends``)."""
    path = resolve(name_or_path)
    return _locate_in(_read_text(path, Location(file=str(path))), path, problems)


def _locate_in(text: str, path: Path, problems: list[Problem]) -> list[Problem]:
    chain: _Chain = ((path.resolve(), str(path)),)
    tree = _located(text, str(path), chain, _limits()).tree
    return [locate(p, tree) for p in problems]
