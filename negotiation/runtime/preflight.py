"""What the engine refuses before the first event: the checks that need the runtime.

``negotiation.validate.check_scenario`` reads a scenario as data. These build the
engine and its initial state, as every run, exploration and sample does first, and
report what stops them:

* the engine's own refusals (its ``ScenarioError`` problems);
* reactive rules that keep firing each other on the start date (``RuleLoopError``),
  located at the ``when`` of the first looping rule in declaration order.

Problems are located by field path; ``negotiation.loader.validate_file`` adds the
file, line and column, as for every other problem.
"""

from __future__ import annotations

from negotiation.model.errors import (
    Location,
    NegotiationError,
    Problem,
    RuleLoopError,
    ScenarioError,
)
from negotiation.model.scenario import Scenario
from negotiation.runtime.engine import Engine
from negotiation.runtime.program import MAX_SETTLE_STEPS


def start_problems(scenario: Scenario) -> list[Problem]:
    """Every problem the engine finds before the first event (empty: it can start)."""
    try:
        Engine(scenario).initial_state()
    except ScenarioError as e:
        return list(e.problems)
    except RuleLoopError as e:
        return [rule_loop_problem(scenario, e, at_start=True)]
    except NegotiationError as e:
        return [Problem(Location(), str(e))]
    return []


def rule_loop_problem(scenario: Scenario, error: RuleLoopError, at_start: bool = False) -> Problem:
    """A rule loop as a problem at the ``when`` of its first rule (declaration order)."""
    position = {r.id: i for i, r in enumerate(scenario.rules)}
    looping = sorted({f for f in error.fired if f in position}, key=position.__getitem__)
    path: tuple[str | int, ...] = ("rules", position[looping[0]], "when") if looping else ()
    day = f"the start date {error.day}" if at_start else str(error.day)
    message = (
        f"reactive rules {', '.join(looping) or '(unknown)'} keep firing each other on "
        f"{day} and never settle (stopped after {MAX_SETTLE_STEPS} steps)"
    )
    if at_start:
        message += ": run, explore and sample would refuse this scenario"
    return Problem(Location(path=path), message)


__all__ = ["rule_loop_problem", "start_problems"]
