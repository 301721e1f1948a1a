"""The one error family of the package.

::

    NegotiationError
    ├── ScenarioError (ValueError)      a scenario file or model is invalid; carries
    │                                   file, line, column and field path per problem
    ├── ConditionError (ValueError)     a condition does not parse or names unknowns
    ├── MoveError (ValueError)          a move string does not parse
    ├── RuleLoopError (RuntimeError)    reactive rules did not settle; carries what fired
    ├── SessionError (ValueError)       a saved session is corrupt, foreign or newer
    ├── AnalysisError (ValueError)      an analysis cannot be made: no interests, an
    │                                   unknown document, a day outside the scenario
    └── OutputError                     an output file exists (and no --force) or
                                        cannot be written; carries the path

Every error builds its message from the context it carries, so a caller (the CLI) can
print ``str(error)`` and exit with code 2. A message about an unknown name ends its
first clause with ``did_you_mean``: ``unknown document 'plann'; did you mean 'plan'?``.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """``; did you mean 'x'?`` for the known name closest to ``name``, or nothing."""
    close = difflib.get_close_matches(name, known, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


class NegotiationError(Exception):
    """Root of every error this package raises on purpose."""


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, a 1-based line and column, and a field path."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: tuple[str | int, ...] = field(default_factory=tuple)

    def __str__(self) -> str:
        where = self.file or "<scenario>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.path:
            where += " (" + ".".join(str(p) for p in self.path) + ")"
        return where


@dataclass(frozen=True)
class Problem:
    """One located problem: where it is and what was expected."""

    location: Location
    message: str
    offset: int | None = None  # a character offset inside the located string value

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class ScenarioError(NegotiationError, ValueError):
    """A scenario is invalid. Holds every problem found, each located."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)

    @classmethod
    def single(cls, message: str, location: Location | None = None) -> ScenarioError:
        return cls([Problem(location or Location(), message)])


class ConditionError(NegotiationError, ValueError):
    """A condition failed to parse or named something the scenario does not have."""

    def __init__(
        self,
        message: str,
        text: str,
        position: int,
        more: tuple[tuple[str, int], ...] = (),
    ) -> None:
        self.text = text
        self.position = position
        self.reason = message
        self.problems: tuple[tuple[str, int], ...] = ((message, position), *more)
        """Every problem found in the condition, (reason, position), the first first:
        all its unknown names, and at most one syntax error (where parsing stopped)."""
        also = "".join(f"; also {m} at column {p + 1}" for m, p in more)
        super().__init__(f"{message} at column {position + 1} of condition {text!r}{also}")


class MoveError(NegotiationError, ValueError):
    """A move string (``ukraine signs twenty_point_plan``) does not parse."""


class RuleLoopError(NegotiationError, RuntimeError):
    """Reactive rules kept firing without settling: on ``day``, ``fired`` the ids of the
    last rules and deadlines that fired, the latest last."""

    def __init__(
        self, message: str, fired: tuple[str, ...] = (), day: dt.date | None = None
    ) -> None:
        self.fired = fired
        self.day = day
        super().__init__(message)


class SessionError(NegotiationError, ValueError):
    """A saved session cannot be resumed."""


class AnalysisError(NegotiationError, ValueError):
    """An analysis (``zopa``, ``solve``) cannot be made from what the scenario gives."""


class OutputError(NegotiationError):
    """An output file cannot be written, or exists and may not be replaced."""

    def __init__(self, message: str, path: str) -> None:
        self.path = path
        super().__init__(message)
