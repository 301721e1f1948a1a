"""A document's outcome space: the product of its points' options.

A package names one option per point with options, in the document's order; here it is
a tuple of option indices. The space is enumerated lazily (``packages``), in the order
of ``itertools.product`` (the first point varies slowest), and a package's position in
that order is its ``index``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass

from negotiation.model.documents import Document, NumericRange, Point
from negotiation.model.errors import AnalysisError

Option = str | float
"""An option: a label, or a number of a numeric range."""
Package = tuple[int, ...]
"""One option index per point of the space."""


def option_values(point: Point) -> list[Option]:
    """A point's options: its labels, or the numbers of its range (none if it has none)."""
    opts = point.options
    if opts is None:
        return []
    if isinstance(opts, NumericRange):
        return [round(opts.min + i * opts.step, 10) for i in range(opts.count)]
    return list(opts)


def option_label(point: Point, option: Option) -> str:
    """An option as text: the label, or the number with the range's unit."""
    if isinstance(option, str):
        return option
    unit = point.options.unit if isinstance(point.options, NumericRange) else None
    return f"{option:g} {unit}" if unit else f"{option:g}"


@dataclass(frozen=True)
class OutcomeSpace:
    """The points with options of one document and their options."""

    document: str
    points: tuple[Point, ...]
    options: tuple[tuple[Option, ...], ...]

    @classmethod
    def of(cls, document: Document) -> OutcomeSpace:
        points = tuple(p for p in (document.points if document.points != "unknown" else [])
                       if p.options is not None)  # fmt: skip
        if not points:
            raise AnalysisError(f"document {document.id!r} has no point with options")
        return cls(document.id, points, tuple(tuple(option_values(p)) for p in points))

    @property
    def size(self) -> int:
        """How many packages the space holds."""
        return math.prod(len(o) for o in self.options)

    @property
    def point_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.points)

    def packages(self) -> Iterator[Package]:
        """Every package, lazily, in index order."""
        return itertools.product(*(range(len(o)) for o in self.options))

    def index(self, package: Package) -> int:
        """A package's position in ``packages()``."""
        out = 0
        for i, n in zip(package, self.options, strict=True):
            out = out * len(n) + i
        return out

    def package(self, index: int) -> Package:
        """The package at a position of ``packages()``."""
        out: list[int] = []
        for opts in reversed(self.options):
            index, i = divmod(index, len(opts))
            out.append(i)
        return tuple(reversed(out))

    def describe(self, package: Package) -> dict[str, Option]:
        """A package as point id -> option."""
        return {
            p.id: self.options[k][i]
            for k, (p, i) in enumerate(zip(self.points, package, strict=True))
        }

    def labels(self, package: Package) -> dict[str, str]:
        """A package as point id -> option text."""
        return {
            p.id: option_label(p, self.options[k][i])
            for k, (p, i) in enumerate(zip(self.points, package, strict=True))
        }
