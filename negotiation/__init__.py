"""negotiation: a negotiation state-tracking simulator.

Documents move through lifecycles, parties hold positions, deadline rules drive a
calendar clock, and scenario scripts step through dated events. The core is pure: the
engine neither reads files nor prints; ``load_scenario`` and the CLI sit on top of it.
"""

from __future__ import annotations

from .attribution import Attribution, ClaimStatus, Source, SourceKind
from .conditions import evaluate, explain, parse
from .dates import FuzzyDate
from .deadlines import (
    Anchor,
    ConditionalExtension,
    Consequence,
    Deadline,
    DeadlineKind,
    DeadlineStatus,
)
from .documents import Document, Guard, Point, PointStatus
from .engine import Engine, StepResult
from .errors import (
    ConditionError,
    MoveError,
    NegotiationError,
    RuleLoopError,
    ScenarioError,
    SessionError,
)
from .events import Event
from .lifecycles import Lifecycle, LifecycleSpec, TransitionSpec
from .parties import Body, Party, PartyKind, Person, Relation, RelationKind
from .positions import Position, Stance
from .rules import Rule
from .scenario import Branch, Expectation, FactSpec, Invariant, Scenario
from .state import State
from .trace import Change, Trace, TraceEntry

__version__ = "0.1.0"

__all__ = [
    "Anchor",
    "Attribution",
    "Body",
    "Branch",
    "Change",
    "ClaimStatus",
    "ConditionError",
    "ConditionalExtension",
    "Consequence",
    "Deadline",
    "DeadlineKind",
    "DeadlineStatus",
    "Document",
    "Engine",
    "Event",
    "Expectation",
    "FactSpec",
    "FuzzyDate",
    "Guard",
    "Invariant",
    "Lifecycle",
    "LifecycleSpec",
    "MoveError",
    "NegotiationError",
    "Party",
    "PartyKind",
    "Person",
    "Point",
    "PointStatus",
    "Position",
    "Relation",
    "RelationKind",
    "Rule",
    "RuleLoopError",
    "Scenario",
    "ScenarioError",
    "SessionError",
    "Source",
    "SourceKind",
    "Stance",
    "State",
    "StepResult",
    "Trace",
    "TraceEntry",
    "TransitionSpec",
    "__version__",
    "evaluate",
    "explain",
    "parse",
]
