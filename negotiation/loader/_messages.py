"""Pydantic errors and the whole-scenario checks, mapped onto the located tree.

Pydantic error locations are walked through the data (tag segments of unions, such as
the event kind in ``('timeline', 3, 'propose', 'document')``, are skipped); an unknown
field is reported at the key itself with the expected fields and a did-you-mean; union
alternatives are folded into one problem; a problem inside a condition string points at
the offending character when the string is on one line.
"""

from __future__ import annotations

import dataclasses
import re
import types
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, NamedTuple, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from negotiation.loader._salvage import salvaged_problems
from negotiation.loader._tree import (
    FieldPath,
    LocatedValue,
    Parsed,
    fail,
    location,
    plain,
    show,
)
from negotiation.model.dates import FuzzyDate
from negotiation.model.errors import Location, Problem, ScenarioError, did_you_mean
from negotiation.model.scenario import Scenario
from negotiation.runtime.validate import check_scenario


def _child(node: LocatedValue, seg: Any) -> LocatedValue | None:
    value = node.value
    if isinstance(value, dict):
        try:
            return value.get(seg)
        except TypeError:
            return None
    if isinstance(value, list) and type(seg) is int and 0 <= seg < len(value):
        found: LocatedValue = value[seg]
        return found
    return None


@dataclasses.dataclass
class _Landing:
    """Where a pydantic ``loc`` lands in the data."""

    node: LocatedValue
    path: FieldPath  # in the (merged) tree
    skipped: list[int]  # indices of loc segments that are not in the data (union tags)
    bad: bool
    shown: FieldPath  # ``path`` as the value's own file writes it (``LocatedValue.origin``)
    full: FieldPath  # ``loc`` so, the segments not in the data kept


def _walk(tree: LocatedValue, loc: Sequence[Any]) -> _Landing:
    node, path, skipped, bad = tree, [], [], tree.bad
    shown: list[Any] = []
    full: list[Any] = []
    for i, seg in enumerate(loc):
        child = _child(node, seg)
        if child is None:
            skipped.append(i)
            full.append(seg)
            continue
        node = child
        path.append(seg)
        if child.origin is not None:
            shown, full = [*child.origin], [*child.origin]
        else:
            shown, full = [*shown, seg], [*full, seg]
        bad = bad or child.bad
    return _Landing(node, tuple(path), skipped, bad, tuple(shown), tuple(full))


def _pick(tp: Any, value: Any) -> Any:
    """Resolve ``Annotated`` and unions of a type against the data written for it
    (``value`` is a located value: a ``dict`` of ``LocatedValue``, a ``list`` or a scalar)."""
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
    tag = tag.value if isinstance(tag, LocatedValue) else tag
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


def _fields_at(tree: LocatedValue, path: FieldPath) -> list[str]:
    """The fields the model at a data path accepts (empty if it cannot be told)."""
    tp: Any = Scenario
    node: LocatedValue | None = tree
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


def _expected(err: ErrorDetails) -> str:
    """What a type error expected, as a phrase (``a valid integer``, ``'unknown'``)."""
    ctx = err.get("ctx") or {}
    if err["type"] == "string_pattern_mismatch":
        return _PATTERNS.get(str(ctx.get("pattern")), f"text matching {ctx.get('pattern')}")
    if err["type"] == "model_type":
        name = str(ctx.get("class_name"))
        return _MODELS.get(name, f"a mapping of {name} fields")
    return err["msg"].removeprefix("Input should be ")


def _choicehint(err: ErrorDetails) -> str:
    ctx = err.get("ctx") or {}
    if err["type"] in ("literal_error", "enum") and isinstance(err["input"], str):
        return did_you_mean(err["input"], re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
    return ""


def _message(err: ErrorDetails, walk: _Landing, tree: LocatedValue) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "missing":
        return f"missing required field {err['loc'][-1]!r}"
    if kind == "extra_forbidden":
        key = walk.path[-1]
        fields = _fields_at(tree, walk.path[:-1])
        expected = f" (expected one of: {', '.join(fields)})" if fields else ""
        return f"unknown field {key!r}{did_you_mean(str(key), fields)}{expected}"
    if kind == "union_tag_invalid":
        tags = re.findall(r"'([^']*)'", str(ctx.get("expected_tags", "")))
        tag = str(ctx.get("tag"))
        disc = str(ctx.get("discriminator", "")).strip("'")
        expected = f" (expected one of: {', '.join(tags)})"
        return f"unknown {disc} {tag!r}{did_you_mean(tag, tags)}{expected}"
    if kind == "union_tag_not_found":
        disc = str(ctx.get("discriminator", "")).strip("'")
        return f"missing required field {disc!r} (it says which kind of item this is)"
    if kind in ("value_error", "assertion_error"):
        return err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "invalid_key":
        key = walk.path[-1] if walk.path and not walk.skipped else err["input"]
        return f"field names must be text, got {show(key)}"
    return f"expected {_expected(err)}, got {show(err['input'])}{_choicehint(err)}"


def _pydantic_problem(err: ErrorDetails, tree: LocatedValue) -> tuple[Problem, _Landing] | None:
    loc = err["loc"]
    walk = _walk(tree, loc)
    if walk.bad:
        return None
    node, path = walk.node, walk.shown
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
    return Problem(location(mark, path), _message(err, walk, tree)), walk


def _pydantic_problems(error: ValidationError, tree: LocatedValue) -> list[Problem]:
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
    for at, members in unions.items():
        deeper = any(len(other) > len(at) and other[: len(at)] == at for other in unions)
        if deeper and max(m.depth for m in members) == 0:
            continue  # an alternative of this union got into a union inside it: that explains
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
    message = f"expected {expected}, got {show(simple[0].err['input'])}"
    rest = [m.problem for m in members if m not in simple]
    return [Problem(simple[0].problem.location, message), *rest]


def locate(problem: Problem, tree: LocatedValue) -> Problem:
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
    return Problem(location(mark, walk.full, column), problem.message, problem.offset)


def _key(p: Problem, files: Sequence[str] = ()) -> tuple[int, str, int, int]:
    """Problems in file order: the files in ``files``' order (the named one, then its
    bases), any other by name; in a file by line and column."""
    file = p.location.file or ""
    rank = files.index(file) if file in files else len(files)
    return (rank, file, p.location.line or 0, p.location.column or 0)


def redact(problems: list[Problem], sealed: Mapping[str, str]) -> list[Problem]:
    """The problems, those in a sealed file (see ``Parsed.sealed``) replaced by one per
    file that says what is wrong and quotes nothing of it (not even a key)."""
    hidden: dict[str, list[Problem]] = {}
    out: list[Problem] = []
    for p in problems:
        file = p.location.file
        if file is not None and file in sealed:
            hidden.setdefault(file, []).append(p)
        else:
            out.append(p)
    for file, found in hidden.items():
        first = min(found, key=_key).location
        n = len(found)
        out.append(
            Problem(
                Location(file, first.line, first.column),
                f"not a scenario (this file was {sealed[file]}): it has no 'version:' field "
                f"and {n} problem{'s' * (n != 1)} as a scenario, the first here; its "
                "content is not shown",
            )
        )
    return out


def error(
    problems: list[Problem],
    max_problems: int,
    sealed: Mapping[str, str] | None = None,
    files: Sequence[str] = (),
) -> ScenarioError:
    """One error listing the problems by file (in ``files``' order) and line (at most
    ``max_problems``), none quoting a sealed file."""
    ordered = sorted(redact(problems, sealed or {}), key=lambda p: _key(p, files))
    if len(ordered) > max_problems:
        extra = len(ordered) - max_problems
        ordered = [
            *ordered[:max_problems],
            Problem(Location(ordered[0].location.file), f"... and {extra} more problems"),
        ]
    return ScenarioError(ordered)


def validate(parsed: Parsed, max_events: int, max_problems: int) -> Scenario:
    """Validate a located tree: the Scenario, or every problem found, located."""
    tree, problems = parsed.tree, list(parsed.problems)
    timeline = tree.value.get("timeline")
    if (
        timeline is not None
        and isinstance(timeline.value, list)
        and len(timeline.value) > max_events
    ):
        raise fail(
            timeline.key_mark or timeline.mark,
            ("timeline",),
            f"more than {max_events:,} timeline events",
        )
    try:
        scenario = Scenario.model_validate(plain(tree))
    except ValidationError as e:
        found = problems + _pydantic_problems(e, tree)
        found += [locate(p, tree) for p in salvaged_problems(plain(tree), e)]
        raise error(found, max_problems, parsed.sealed, parsed.files) from None
    problems += [locate(p, tree) for p in check_scenario(scenario)]
    if problems:
        raise error(problems, max_problems, parsed.sealed, parsed.files)
    return scenario
