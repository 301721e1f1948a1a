"""Who said a thing, through whom, what kind of statement it is, and how sure it is."""

from __future__ import annotations

from enum import StrEnum

from negotiation.model._base import Frozen


class ClaimStatus(StrEnum):
    """How established a claim is."""

    confirmed = "confirmed"
    claimed = "claimed"
    disputed = "disputed"


class SourceKind(StrEnum):
    """What kind of statement carries the claim."""

    reported_fact = "reported_fact"
    official_statement = "official_statement"
    report = "report"
    opinion = "opinion"
    assumption = "assumption"


class Source(Frozen):
    """A source a scenario draws on (an article, a communiqué, a report)."""

    id: str
    title: str
    kind: SourceKind = SourceKind.report
    author: str | None = None
    date: str | None = None
    note: str | None = None


class Attribution(Frozen):
    """The provenance of an event, a fact or a judgement.

    ``speaker`` made the statement; ``via`` reported it (a source id); ``ref`` points into
    the source (e.g. ``¶18``).
    """

    speaker: str | None = None
    via: str | None = None
    kind: SourceKind = SourceKind.reported_fact
    status: ClaimStatus = ClaimStatus.confirmed
    ref: str | None = None
    note: str | None = None

    def display(self) -> str:
        parts = [self.kind.value.replace("_", " ")]
        if self.speaker:
            parts.append(f"by {self.speaker}")
        if self.via:
            parts.append(f"via {self.via}")
        if self.ref:
            parts.append(self.ref)
        return f"{', '.join(parts)} [{self.status.value}]"
