"""``FuzzyDate.displayed_span``: the first and last day of a date as ``display()`` wrote
it (what a trace entry keeps), for every written form, stated or inferred."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiation.model.dates import EARLIEST, LATEST, FuzzyDate

DAYS = st.dates(min_value=EARLIEST, max_value=LATEST)


@given(first=DAYS, length=st.integers(0, 400), month=st.booleans(), inferred=st.booleans())
def test_the_span_of_what_display_wrote_is_the_date_s(
    first: dt.date, length: int, month: bool, inferred: bool
) -> None:
    last = min(first + dt.timedelta(days=length), LATEST)
    written = f"{first:%Y-%m}" if month else f"{first}..{last}" if length else str(first)
    date = FuzzyDate.model_validate(
        {"on": written, "inferred": inferred, "note": "a test" if inferred else None}
    )
    assert FuzzyDate.displayed_span(date.display()) == (date.earliest, date.latest)


@pytest.mark.parametrize(
    "text", ["", "someday", "~2025-12-10", "2025-12-10 (inferred)", "2025-12-10 (week)"]
)
def test_other_text_is_no_span(text: str) -> None:
    with pytest.raises(ValueError, match="expected"):
        FuzzyDate.displayed_span(text)
