"""The child process of the kill test (tests/test_persist.py): saves growing sessions to
one file until it is killed. A module of its own so a fork server can preload it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from negotiation.persist import Choice, Session, loads, save


def grown(base: Session, label: str) -> Session:
    """Save number ``i`` of round ``r`` (``label`` is ``r:i``): 1 to 400 choices."""
    n = int(label.split(":")[1]) % 400 + 1
    choices = tuple(
        Choice(on=dt.date(2025, 12, 1) + dt.timedelta(days=k % 30), move=f"ukraine signs p{k}")
        for k in range(n)
    )
    options = {**base.options, "label": label}
    return base.model_copy(update={"choices": choices, "options": options})


def saver(  # pragma: no cover - child
    path: str, base_text: str, round_no: int, ready: Any = None
) -> None:
    """Save ``grown(base, "round:1")``, ``"round:2"``, ... to ``path`` forever; ``ready``
    (an event) is set first, so the parent's random delay counts from here, whatever
    the machine's load made the start cost."""
    if ready is not None:
        ready.set()
    base = loads(base_text)
    i = 0
    while True:
        i += 1
        save(path, grown(base, f"{round_no}:{i}"))
