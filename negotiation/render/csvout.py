"""CSV output for what is a table (outcome counts and shares): a header row, then one row
per record; ``\n`` line ends, values as Python writes them (no thousands separators,
shares as fractions), so a spreadsheet or a data-frame library reads it as it is."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO


def write(columns: Sequence[str], rows: Iterable[Mapping[str, Any]], file: TextIO) -> None:
    """``rows`` as CSV with ``columns`` as the header (and their order)."""
    writer = csv.DictWriter(file, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row[c] for c in columns})
