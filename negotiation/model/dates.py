"""Dates as sources give them: exact, known to the month, or a range; stated or inferred.

Ordering rule (documented and total): an imprecise date is *ordered* at its earliest
day (``sort_date``); a due date that is imprecise is *in time* through its latest day
(``last_day``). The trace shows the imprecision with ``display()``.

Written forms accepted in scenario files::

    2025-12-10                      exact day
    2025-11                         known to the month
    2025-11-28..2025-12-12          a range (both ends inclusive)
    {on: 2025-12-10, inferred: true, note: "weekday anchored to the article's date"}
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any, Literal

from pydantic import Field, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from negotiation.model._base import Frozen

Precision = Literal["day", "month", "range"]

EARLIEST = dt.date(1000, 1, 1)
LATEST = dt.date(8999, 12, 31)
"""The calendar a scenario may use; day counts added to it (at most 100,000 days) stay
within what Python's dates can hold."""

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$")


def _written_pattern() -> str:
    """A regular expression (ECMA-262 and Python alike) of the written forms of a date:
    a real calendar day, a month or a range of days, years 1000-8999 (``EARLIEST`` to
    ``LATEST``). For the JSON Schema; the parser above is what reads them, and a test
    checks that the two agree day by day. A range's order is left to the parser."""
    year = "[1-8][0-9]{3}"
    month = "(?:0[1-9]|1[0-2])"
    any_month_day = f"{month}-(?:0[1-9]|1[0-9]|2[0-8])"
    day_29_30 = "(?:0[13-9]|1[0-2])-(?:29|30)"
    day_31 = "(?:0[13578]|1[02])-31"
    leap_year = "(?:[1-8][0-9](?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[1357][26])00)"
    day = f"(?:{year}-(?:{any_month_day}|{day_29_30}|{day_31})|{leap_year}-02-29)"
    return rf"^\s*(?:{day}|{year}-{month}|{day}\s*\.\.\s*{day})\s*$"


WRITTEN_FORM = _written_pattern()
"""The written forms of a date in a scenario file, as one regular expression."""


def parse_day(text: str) -> dt.date:
    """Parse ``YYYY-MM-DD`` strictly, with a message that says what was expected."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _parse_text(text: str) -> tuple[dt.date, dt.date, Precision]:
    text = text.strip()
    if m := _RANGE.match(text):
        lo, hi = parse_day(m.group(1)), parse_day(m.group(2))
        return lo, hi, "range"
    if m := _MONTH.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"expected a month 01-12 in {text!r}")
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, 1), dt.date(year, month, last), "month"
    day = parse_day(text)
    return day, day, "day"


class FuzzyDate(Frozen):
    """A date with its precision and provenance."""

    earliest: dt.date = Field(description="The first day the date covers.")
    latest: dt.date = Field(description="The last day the date covers.")
    precision: Precision = Field(
        "day", description="How precisely the source gives the date: day, month or range."
    )
    inferred: bool = Field(
        False, description="true when the source does not state the date and it was inferred."
    )
    note: str | None = Field(
        None, description="How the date was inferred (required when inferred is true)."
    )

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, dt.datetime):
            data = data.date()
        if isinstance(data, dt.date):
            return {"earliest": data, "latest": data, "precision": "day"}
        if isinstance(data, str):
            lo, hi, precision = _parse_text(data)
            return {"earliest": lo, "latest": hi, "precision": precision}
        if isinstance(data, dict) and "on" in data:
            rest = {k: v for k, v in data.items() if k != "on"}
            on = data["on"]
            if isinstance(on, dt.date):
                on = on.isoformat()
            if not isinstance(on, str):
                raise ValueError("expected 'on' to be a date such as 2025-12-10")
            lo, hi, precision = _parse_text(on)
            return {"earliest": lo, "latest": hi, "precision": precision, **rest}
        return data

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """In validation mode, the forms a scenario file writes (see the module
        docstring), not the stored ``earliest``/``latest`` object."""
        if handler.mode != "validation":
            return handler(core_schema)
        text = {
            "type": "string",
            "pattern": WRITTEN_FORM,
            # shown by editors (the YAML language server) instead of the long pattern
            "patternErrorMessage": "expected a date as YYYY-MM-DD, YYYY-MM or "
            "YYYY-MM-DD..YYYY-MM-DD (a real calendar day, years 1000-8999)",
        }
        fields = cls.model_fields
        inferred, note = fields["inferred"].description, fields["note"].description
        return {
            # a title and no description: an editor's hover shows the first description it
            # meets, and the field's own ("The last day run.") is the one to show
            "title": "Date: 2025-12-10, 2025-11 (the month), 2025-11-28..2025-12-12 (a range) "
            "or {on: ..., inferred: true, note: ...}",
            "anyOf": [
                text,
                {
                    "type": "object",
                    "properties": {
                        "on": {**text, "description": "The date, in one of the written forms."},
                        "inferred": {"type": "boolean", "default": False, "description": inferred},
                        "note": {"type": "string", "description": note},
                    },

                    "required": ["on"],
                    "additionalProperties": False,
                    "if": {"properties": {"inferred": {"const": True}}, "required": ["inferred"]},
                    "then": {"required": ["note"], "properties": {"note": {"minLength": 1}}},
                },
            ],
        }

    @model_validator(mode="after")
    def _ordered(self) -> FuzzyDate:
        for day in (self.earliest, self.latest):
            if not EARLIEST <= day <= LATEST:
                raise ValueError(
                    f"dates must lie between {EARLIEST} and {LATEST} (got {day}): the clock "
                    "counts days past them"
                )
        if self.latest < self.earliest:
            raise ValueError(
                f"a date range must not end ({self.latest}) before it starts ({self.earliest})"
            )
        if self.inferred and not self.note:
            raise ValueError("an inferred date needs a 'note' saying how it was inferred")
        return self

    @property
    def sort_date(self) -> dt.date:
        """Where the date is placed in the total order: its earliest day."""
        return self.earliest

    @property
    def last_day(self) -> dt.date:
        """The last day the date covers: a due date is in time through it."""
        return self.latest

    def display(self) -> str:
        """A compact human form: ``2025-12-10``, ``2025-11 (month)``, ``~`` when inferred."""
        if self.precision == "day":
            text = self.earliest.isoformat()
        elif self.precision == "month":
            text = f"{self.earliest:%Y-%m} (month)"
        else:
            text = f"{self.earliest.isoformat()}..{self.latest.isoformat()}"
        return f"~{text} (inferred)" if self.inferred else text

    @staticmethod
    def displayed_span(text: str) -> tuple[dt.date, dt.date]:
        """The first and last day of a date as ``display()`` wrote it (what a trace entry
        keeps of its event's date); a ``ValueError`` for any other text."""
        if text.startswith("~") and text.endswith(" (inferred)"):
            text = text[1 : -len(" (inferred)")]
        lo, hi, _ = _parse_text(text.removesuffix(" (month)"))
        return lo, hi

    @classmethod
    def of(cls, day: dt.date) -> FuzzyDate:
        return cls(earliest=day, latest=day)


def add_days(day: dt.date, days: int) -> dt.date:
    """Calendar days from an anchor: ``add_days(anchor, 60)`` is day 60 after it."""
    return day + dt.timedelta(days=days)
