"""The generated scenario family the step, explore, floor and Hypothesis benchmarks share.

``family(k, n, p)``: ``k`` documents on the default lifecycle (starting
``under_negotiation``), each requiring the acceptance of all ``p`` acting parties; one
deadline (set by a mediator who never acts) requiring ``d0 is signed``, due on the day of
the middle decision, with an automatic consequence (``d0`` is withdrawn); and ``n`` free
decision points on consecutive days, at each of which one of the parties may make any
legal move (or pass). The horizon is the last decision's day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

START = dt.date(2026, 1, 1)
INITIAL = "under_negotiation"


@dataclass(frozen=True)
class Family:
    k: int  # documents
    n: int  # decision points (one a day)
    p: int = 2  # acting parties

    @property
    def parties(self) -> list[str]:
        return [f"p{i}" for i in range(self.p)]

    @property
    def documents(self) -> list[str]:
        return [f"d{i}" for i in range(self.k)]

    def decision_day(self, i: int) -> dt.date:
        return START + dt.timedelta(days=1 + i)

    @property
    def due_index(self) -> int:
        """Index of the decision on whose day the deadline falls due."""
        return self.n // 2

    @property
    def due(self) -> dt.date:
        return self.decision_day(self.due_index)

    def data(self) -> dict[str, Any]:
        """The scenario as plain data (what a YAML file would hold)."""
        parties = self.parties
        return {
            "id": f"family_k{self.k}_n{self.n}_p{self.p}",
            "title": f"Benchmark family: {self.k} documents, {self.n} decisions",
            "illustrative": True,
            "start": START.isoformat(),
            "horizon": self.decision_day(self.n - 1).isoformat(),
            "parties": [{"id": "mediator", "name": "Mediator"}]
            + [{"id": p, "name": p.upper()} for p in parties],
            "documents": [
                {
                    "id": d,
                    "title": f"Document {d}",
                    "initial_state": INITIAL,
                    "requires_acceptance": parties,
                }
                for d in self.documents
            ],
            "deadlines": [
                {
                    "id": "accord",
                    "summary": "d0 to be signed",
                    "set_by": "mediator",
                    "due": self.due.isoformat(),
                    "requirement": "d0 is signed",
                    "consequence": {
                        "mode": "automatic",
                        "summary": "d0 is withdrawn",
                        "effects": [{"kind": "withdraw", "by": ["mediator"], "document": "d0"}],
                    },
                }
            ],
            "decisions": [
                {
                    "id": f"round{i}",
                    "at": self.decision_day(i).isoformat(),
                    "free": True,
                    "parties": parties,
                }
                for i in range(self.n)
            ],
        }

    def scenario(self) -> Any:
        from negotiation import Scenario

        return Scenario.model_validate(self.data())
