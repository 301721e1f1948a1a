"""Bargaining over utility vectors, pure: the zone of agreement, the Pareto frontier and
the Nash bargaining solution, and a local search for spaces too large to enumerate.

A package is a candidate ``(index, vector)``: its position in the outcome space and one
utility per party. All functions are deterministic: ties go to the lowest index.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

EPS = 1e-9
"""Slack for comparing a utility with a BATNA: a package worth its BATNA (to 1e-9) is in
the zone of agreement."""

Vector = tuple[float, ...]
Candidate = tuple[int, Vector]


def acceptable(vector: Vector, floors: Sequence[float]) -> bool:
    """Every party gets at least its floor (its BATNA, or the undelayed utility that
    reaches it)."""
    return all(u >= f - EPS for u, f in zip(vector, floors, strict=True))


def gains(vector: Vector, batnas: Sequence[float]) -> Vector:
    """Each party's gain over its BATNA (0 where it is at the BATNA)."""
    return tuple(max(0.0, u - b) for u, b in zip(vector, batnas, strict=True))


def nash_key(vector: Vector, batnas: Sequence[float]) -> tuple[float, float]:
    """What the Nash bargaining solution maximises: the product of the gains over the
    BATNAs, then (to break ties, and to stay Pareto-optimal when a gain is 0) their sum."""
    g = gains(vector, batnas)
    return (math.prod(g), math.fsum(g))


def nash(candidates: Iterable[Candidate], batnas: Sequence[float]) -> Candidate | None:
    """The acceptable candidate with the greatest ``nash_key`` (the lowest index among
    equals), or None if none is acceptable."""
    best: Candidate | None = None
    best_key = (-1.0, -1.0)
    for index, vector in candidates:
        if not acceptable(vector, batnas):
            continue
        key = nash_key(vector, batnas)
        if key > best_key or (key == best_key and best is not None and index < best[0]):
            best, best_key = (index, vector), key
    return best


def pareto(candidates: Iterable[Candidate]) -> list[int]:
    """The indices of the candidates no other candidate dominates (at least as good for
    every party, better for one), in increasing order. Equal vectors are all kept."""
    items = list(candidates)
    if not items:
        return []
    k = len(items[0][1])
    if k <= 2:  # best first: a vector's dominators all come before it
        items.sort(key=lambda c: c[1], reverse=True)
    else:  # by the sum first: a dominator's sum is at least as great
        items.sort(key=lambda c: (math.fsum(c[1]), c[1]), reverse=True)
    kept: list[int] = []
    front: list[Vector] = []
    best = -math.inf  # two parties: the best second utility among the vectors before
    previous: Vector | None = None
    keep = False
    for index, v in items:
        if v != previous:  # equal vectors share one verdict
            if k == 1:
                keep = v[0] == items[0][1][0]
            elif k == 2:
                keep = v[1] > best
                best = max(best, v[1])
            else:
                keep = not any(all(f >= x for f, x in zip(w, v, strict=True)) for w in front)
                if keep:
                    front.append(v)
            previous = v
        if keep:
            kept.append(index)
    return sorted(kept)


def climb(
    start: tuple[int, ...],
    options: Sequence[int],
    key: Callable[[tuple[int, ...]], tuple[float, ...]],
    seen: dict[tuple[int, ...], tuple[float, ...]],
    max_steps: int = 1000,
) -> tuple[int, ...]:
    """Steepest ascent from ``start``: move to the best package that differs in one
    point's option while that improves ``key``. Every package looked at is recorded in
    ``seen`` (with its key)."""
    current = start
    current_key = seen.setdefault(current, key(current))
    for _ in range(max_steps):
        best, best_key = current, current_key
        for k, count in enumerate(options):
            for option in range(count):
                if option == current[k]:
                    continue
                candidate = (*current[:k], option, *current[k + 1 :])
                value = seen.get(candidate)
                if value is None:
                    value = seen[candidate] = key(candidate)
                if value > best_key:
                    best, best_key = candidate, value
        if best == current:
            break
        current, current_key = best, best_key
    return current
