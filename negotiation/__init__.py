"""negotiation: a negotiation state-tracking simulator.

Documents move through lifecycles, parties hold positions, deadline rules drive a
calendar clock, and scenario scripts step through dated events. The core is pure: the
engine neither reads files nor prints; ``load_scenario`` (a file path, ``str`` or
``os.PathLike``, or a bundled scenario's name) and the CLI sit on top of it.

The names below are imported on first use (PEP 562), so that ``import negotiation``
(and the pytest plugin, which lives in this package) costs next to nothing until a
name is used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    __version__: str
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
    """The version pip recorded when it installed the package (pyproject's, in one place).
    Read on first use of ``__version__``: ``importlib.metadata`` costs ~20 ms to import,
    which every command would pay for at start-up."""
    from importlib import metadata  # noqa: PLC0415 - lazy, see above

    try:
        return metadata.version(__name__)
    except metadata.PackageNotFoundError:
        return _UNINSTALLED

_EXPORTS: dict[str, str] = {
    "evaluate": "negotiation.conditions",
    "explain": "negotiation.conditions",
    "parse": "negotiation.conditions",
    "load_scenario": "negotiation.loader",
    "Attribution": "negotiation.model.attribution",
    "ClaimStatus": "negotiation.model.attribution",
    "Source": "negotiation.model.attribution",
    "SourceKind": "negotiation.model.attribution",
    "FuzzyDate": "negotiation.model.dates",
    "Anchor": "negotiation.model.deadlines",
    "ConditionalExtension": "negotiation.model.deadlines",
    "Consequence": "negotiation.model.deadlines",
    "Deadline": "negotiation.model.deadlines",
    "DeadlineKind": "negotiation.model.deadlines",
    "DeadlineStatus": "negotiation.model.deadlines",
    "Document": "negotiation.model.documents",
    "Guard": "negotiation.model.documents",
    "Point": "negotiation.model.documents",
    "PointStatus": "negotiation.model.documents",
    "ConditionError": "negotiation.model.errors",
    "MoveError": "negotiation.model.errors",
    "NegotiationError": "negotiation.model.errors",
    "RuleLoopError": "negotiation.model.errors",
    "ScenarioError": "negotiation.model.errors",
    "SessionError": "negotiation.model.errors",
    "Event": "negotiation.model.events",
    "LifecycleSpec": "negotiation.model.lifecycles",
    "TransitionSpec": "negotiation.model.lifecycles",
    "Body": "negotiation.model.parties",
    "Party": "negotiation.model.parties",
    "PartyKind": "negotiation.model.parties",
    "Person": "negotiation.model.parties",
    "Relation": "negotiation.model.parties",
    "RelationKind": "negotiation.model.parties",
    "Position": "negotiation.model.positions",
    "Stance": "negotiation.model.positions",
    "Rule": "negotiation.model.rules",
    "Branch": "negotiation.model.scenario",
    "Expectation": "negotiation.model.scenario",
    "FactSpec": "negotiation.model.scenario",
    "Invariant": "negotiation.model.scenario",
    "Scenario": "negotiation.model.scenario",
    "State": "negotiation.model.state",
    "Change": "negotiation.model.trace",
    "Trace": "negotiation.model.trace",
    "TraceEntry": "negotiation.model.trace",
    "Engine": "negotiation.runtime.engine",
    "StepResult": "negotiation.runtime.engine",
    "Lifecycle": "negotiation.runtime.lifecycles",
}
"""Each public name and the module that defines it."""


def __getattr__(name: str) -> Any:
    if name == "__version__":
        version = globals()["__version__"] = _installed_version()
        return version
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


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
