"""CSV output for what is a table (outcome counts and shares): a header row, then one row
per record; ``\n`` line ends, values as Python writes them (no thousands separators,
shares as fractions), so a spreadsheet or a data-frame library reads it as it is.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some,
a tab or a carriage return) as a formula: a label made of scenario text could then call
out to the network or run a command when the file is opened (CSV injection). So every
text cell that starts with one of those characters is written with a single quote in
front (OWASP's rule; ``cell``), header included; the numbers we write (counts, shares,
bounds, a negative number too) are written as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a text cell may not start with (a spreadsheet would read a formula)."""


def cell(value: Any) -> Any:
    """``value`` as it is written: a text that a spreadsheet would read as a formula gets
    a leading single quote; anything else (a number, None) is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write(columns: Sequence[str], rows: Iterable[Mapping[str, Any]], file: TextIO) -> None:
    """``rows`` as CSV with ``columns`` as the header (and their order). Rows end in
    ``\n``; a cell holding a carriage return or a newline is quoted (the csv module
    quotes only the characters of its line terminator, so each row is written with
    ``\r\n`` and that ending replaced)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for values in ([cell(c) for c in columns], *([cell(r[c]) for c in columns] for r in rows)):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        file.write(buffer.getvalue()[:-2] + "\n")
