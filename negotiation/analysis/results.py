"""What the ZOPA analysis gives (``zopa.Analysis.at`` and ``over``), as data: no
rendering (``render.analysis`` draws it as text, the CLI as JSON)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from negotiation.analysis.space import Option
from negotiation.analysis.utility import Components


@dataclass(frozen=True)
class PartyDay:
    """One party on a day: its BATNA (and the case that set it), its delay, the best
    utility any package gives it that day."""

    party: str
    batna: float
    batna_because: str | None  # the condition of the case that set it; None: the default
    delay: str
    days: int
    best: float
    assumption: str


@dataclass(frozen=True)
class PackageView:
    """A package: its index, options, utilities on the day and gains over the BATNAs."""

    index: int
    options: dict[str, Option]
    labels: dict[str, str]
    utilities: tuple[float, ...]
    gains: tuple[float, ...]
    components: tuple[Components, ...] | None = None  # when an interest values the world


@dataclass(frozen=True)
class ZopaResult:
    scenario: str
    document: str
    day: dt.date
    branch: str | None
    parties: tuple[PartyDay, ...]
    points: tuple[str, ...]
    space_size: int
    exact: bool
    method: str
    zopa_size: int  # estimated when not exact
    zopa: tuple[PackageView, ...]  # best first (by the Nash criterion), up to the limit
    frontier: tuple[PackageView, ...]  # by the first party's utility, best first
    frontier_size: int
    nash: PackageView | None


@dataclass(frozen=True)
class DayRow:
    day: dt.date
    batnas: tuple[float, ...]
    zopa_size: int
    nash: PackageView | None


@dataclass(frozen=True)
class OverResult:
    scenario: str
    document: str
    branch: str | None
    parties: tuple[str, ...]
    space_size: int
    exact: bool
    method: str
    days: tuple[DayRow, ...]
    opens: tuple[dt.date, ...]  # days the ZOPA is non-empty after an empty day
    closes: tuple[dt.date, ...]  # days the ZOPA is empty after a non-empty day

    @property
    def ripe(self) -> dt.date | None:
        """The first day the ZOPA opens (None if it never opens in the range)."""
        return self.opens[0] if self.opens else None
