"""Shared pydantic configuration and id types for the frozen public models."""

from __future__ import annotations

from typing import Annotated, Literal

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
