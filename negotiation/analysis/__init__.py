"""Bargaining analysis over the parties' interests (floor 4: it uses the engine's public
API and never changes it).

* ``space``: a document's outcome space, the product of its points' options.
* ``utility``: each party's additive utility of a package, its delay cost, and its
  utility of a state (``state_utility``: points, document states, facts, delay), the
  one definition ``show``, the ZOPA, the frontier, Nash and the strategies call.
* ``agreement``: the world (document states, facts) an agreement on a package gives.
* ``bargaining``: the zone of agreement, the Pareto frontier, the Nash solution, pure.
* ``zopa``: all of it for a document on a day, or over a range of days (built on
  ``_packages``, ``_frontier`` and ``_zone``); ``results``: what it gives, as data.
* ``solve``: a finite alternating-offers game by backward induction (Rubinstein).
"""

from __future__ import annotations

from negotiation.analysis.solve import Solution, rubinstein_share, solve
from negotiation.analysis.space import OutcomeSpace
from negotiation.analysis.zopa import EXACT_LIMIT, Analysis, OverResult, ZopaResult

__all__ = [
    "EXACT_LIMIT",
    "Analysis",
    "OutcomeSpace",
    "OverResult",
    "Solution",
    "ZopaResult",
    "rubinstein_share",
    "solve",
]
