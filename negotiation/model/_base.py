"""Shared pydantic configuration and id types for the frozen public models."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, StringConstraints

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

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


M = TypeVar("M", bound=Frozen)


def construct(cls: type[M], values: dict[str, Any]) -> M:
    """Build a frozen model from values the engine made itself, without validation.

    Like ``cls.model_construct(**values)`` (a test keeps them equal), but several times
    faster: ``values`` must hold every field. Used only on the engine's hot path."""
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", set(values))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj
