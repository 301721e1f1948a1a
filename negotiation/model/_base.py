"""Shared pydantic configuration and id types for the frozen public models."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

UNKNOWN: Literal["unknown"] = "unknown"
Unknown = Literal["unknown"]
"""What a model says where its source is silent: never a guessed value."""

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)]
"""A snake_case identifier: ``ukraine``, ``twenty_point_plan``."""

Ref = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$", max_length=161)
]
"""An id, or a dotted id naming a part: a body (``uk.commons``) or a point (``plan.p1``)."""


class Frozen(BaseModel):
    """Base of every public model: immutable, and unknown fields are errors."""

    # schemas are built when a model is first used, not at import: the CLI starts about
    # a third sooner (benchmarks: cli_ratio)
    model_config = ConfigDict(
        frozen=True, extra="forbid", use_enum_values=False, defer_build=True
    )


M = TypeVar("M", bound=Frozen)


class Shown:
    """A phrase written as it is in a model's short ``repr`` (``42 entries``), where
    pydantic would quote a value."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


ReprArgs = Iterator[tuple[str | None, Any]]
"""What ``__repr_args__`` yields: pydantic builds ``repr``, ``str`` and rich's pretty
form from it (a ``None`` name writes the value's ``repr`` alone)."""


def counted(n: int, noun: str) -> Shown:
    """``1 entry``, ``42 entries``, ``0 parties``: a count with its noun, for a short repr."""
    if n == 1:
        return Shown(f"1 {noun}")
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        plural = noun[:-1] + "ies"
    elif noun.endswith(("s", "x", "ch", "sh")):
        plural = noun + "es"
    else:
        plural = noun + "s"
    return Shown(f"{n:,} {plural}")


def clipped(text: str, most: int = 60) -> str:
    """``text`` cut to ``most`` characters (an ellipsis says so), for a short repr."""
    return text if len(text) <= most else text[: most - 1] + "\u2026"

# Descriptions shared by fields of the same meaning in several models (every field has
# one: editors show it, and the scenario file's JSON Schema carries it).
SUMMARY = "A short description in neutral words."
ASSUMPTION = (
    "What this rests on that the source does not state, in words; listed by "
    "negotiation show --assumptions."
)
ATTRIBUTION = "Who said it, through which source, what kind of statement it is, how sure it is."
PRIORITY = "Order among things on the same day: lower first (default 0)."
CONDITION = "A condition in the condition language, e.g. 'beta accepts plan and not x'."


def exactly_one(*names: str) -> dict[str, Any]:
    """A JSON Schema fragment (for ``json_schema_extra``): exactly one of the fields
    ``names`` is given, and not as null; the model's own validator says the same."""
    return {
        "oneOf": [
            {"required": [name], "properties": {name: {"not": {"type": "null"}}}}
            for name in names
        ]
    }


def _plural(what: str) -> str:
    return what[:-1] + "ies" if what.endswith("y") else what + "s"


def assumption_field(what: str) -> Any:
    """The required ``assumption`` of something that is never a fact (an interest, a
    strategy)."""
    return Field(
        description=f"Required: what the {what} assumes, in words ({_plural(what)} are never "
        "facts).",
        json_schema_extra={"pattern": r"\S"},
    )


def require_assumption(data: Any, what: str) -> Any:
    """Refuse input without an ``assumption`` (the ``before`` validator of such models)."""
    if isinstance(data, dict) and not str(data.get("assumption") or "").strip():
        raise ValueError(
            f"a{'n' if what[0] in 'aeiou' else ''} {what} needs an 'assumption': "
            f"{_plural(what)} are never facts, so say what this one assumes (for example "
            "'invented for teaching')"
        )
    return data


_ALL_FIELDS: dict[type, set[str]] = {}


def construct(cls: type[M], values: dict[str, Any]) -> M:
    """Build a frozen model from values the engine made itself, without validation.

    Like ``cls.model_construct(**values)`` (a test keeps them equal), but several times
    faster: ``values`` must hold every field. Used only on the engine's hot path."""
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    # every field is set, so every object of the class can share one set of their names
    # (a third of a trace entry's memory otherwise); pydantic copies it before changing
    # it (model_copy), and a frozen model never changes it
    fields = _ALL_FIELDS.get(cls)
    if fields is None or len(fields) != len(values):
        fields = _ALL_FIELDS[cls] = set(values)
    object.__setattr__(obj, "__pydantic_fields_set__", fields)
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj
