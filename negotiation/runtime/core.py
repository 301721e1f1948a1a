"""What the engine's parts (``acts``, ``clock``) need of the engine: the ``Core``
interface. Acts and the clock depend on this interface, not on the engine module, so
the runtime has no import circle; ``Engine`` provides it."""

from __future__ import annotations

from typing import Protocol

from negotiation.model.deadlines import Deadline
from negotiation.model.documents import Document
from negotiation.model.events import Event
from negotiation.model.scenario import Scenario
from negotiation.model.state import State
from negotiation.model.trace import TraceEntry
from negotiation.runtime.lifecycles import Lifecycle
from negotiation.runtime.program import Compiled, Program
from negotiation.runtime.work import View, Work


class Core(Protocol):
    """The engine as its acts and clock see it."""

    program: Program
    scenario: Scenario
    compiled: Compiled
    documents: dict[str, Document]
    deadlines: dict[str, Deadline]
    lifecycles: dict[str, Lifecycle]

    def view(self, state: State | Work) -> View: ...

    def guard_values(self, work: Work, document: str) -> list[bool]: ...

    def why_not_trigger(self, work: Work, doc_id: str, trigger: str) -> str: ...

    def settle(self, work: Work) -> list[str]: ...

    def apply_effect(self, work: Work, event: Event, cause: str | None) -> TraceEntry: ...


__all__ = ["Core"]
