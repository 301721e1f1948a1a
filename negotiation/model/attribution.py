"""Who said a thing, through whom, what kind of statement it is, and how sure it is."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

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

    id: str = Field(description="The source's id, named by attributions' via.")
    title: str = Field(description="The source's title.")
    kind: SourceKind = Field(SourceKind.report, description="What kind of source it is.")
    author: str | None = Field(None, description="Who wrote or issued it.")
    date: str | None = Field(None, description="When it was published, as the source gives it.")
    url: str | None = Field(
        None, description="Where the source can be read: its address, as text (never fetched)."
    )
    note: str | None = Field(None, description="Anything else worth knowing about it.")


class Attribution(Frozen):
    """The provenance of an event, a fact or a judgement.

    ``speaker`` made the statement; ``via`` reported it (a source id); ``ref`` points into
    the source (e.g. ``¶18``).
    """

    speaker: str | None = Field(None, description="Who made the statement.")
    via: str | None = Field(None, description="The id of the source that reports it.")
    kind: SourceKind = Field(
        SourceKind.reported_fact,
        description="What kind of statement it is: a reported fact, an official statement, "
        "a report, an opinion or an assumption.",

    )
    status: ClaimStatus = Field(
        ClaimStatus.confirmed, description="How established the claim is."
    )
    ref: str | None = Field(None, description="Where in the source, e.g. a paragraph (¶18).")
    note: str | None = Field(None, description="A remark on the claim or its source.")

    def display(self) -> str:
        parts = [self.kind.value.replace("_", " ")]
        if self.speaker:
            parts.append(f"by {self.speaker}")
        if self.via:
            parts.append(f"via {self.via}")
        if self.ref:
            parts.append(self.ref)
        return f"{', '.join(parts)} [{self.status.value}]"
