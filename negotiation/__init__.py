"""negotiation: a negotiation state-tracking simulator.

Documents move through lifecycles, parties hold positions, deadline rules drive a
calendar clock, and scenario scripts step through dated events. The core is pure: the
engine neither reads files nor prints; ``load_scenario`` (a file path, ``str`` or
``os.PathLike``, or a bundled scenario's name) and the CLI sit on top of it.
"""

from __future__ import annotations

from importlib import metadata as _metadata

from negotiation.conditions import evaluate, explain, parse
from negotiation.loader import load_scenario
from negotiation.model.attribution import Attribution, ClaimStatus, Source, SourceKind
from negotiation.model.dates import FuzzyDate
from negotiation.model.deadlines import (
    Anchor,
    ConditionalExtension,
    Consequence,
    Deadline,
    DeadlineKind,
    DeadlineStatus,
)
from negotiation.model.documents import Document, Guard, Point, PointStatus
from negotiation.model.errors import (
    ConditionError,
    MoveError,
    NegotiationError,
    RuleLoopError,
    ScenarioError,
    SessionError,
)
from negotiation.model.events import Event
from negotiation.model.lifecycles import LifecycleSpec, TransitionSpec
from negotiation.model.parties import Body, Party, PartyKind, Person, Relation, RelationKind
from negotiation.model.positions import Position, Stance
from negotiation.model.rules import Rule
from negotiation.model.scenario import Branch, Expectation, FactSpec, Invariant, Scenario
from negotiation.model.state import State
from negotiation.model.trace import Change, Trace, TraceEntry
from negotiation.runtime.engine import Engine, StepResult
from negotiation.runtime.lifecycles import Lifecycle

_UNINSTALLED = "0+unknown"
"""``__version__`` of a checkout used without installing it (no package metadata)."""


def _installed_version() -> str:
    """The version pip recorded when it installed the package (pyproject's, in one place)."""
    try:
        return _metadata.version(__name__)
    except _metadata.PackageNotFoundError:
        return _UNINSTALLED


__version__ = _installed_version()

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
    "load_scenario",
    "parse",
]
