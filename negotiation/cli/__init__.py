"""The ``negotiation`` command line: typer wiring over the loader, engine and renderers.

Exit codes: 0 success; 1 an expectation failed (``run``); 2 bad input: any
``NegotiationError`` (an invalid scenario, an unknown branch, a move that does not
parse), a bad date or option (typer's usage errors), an invalid file (``validate``).
User errors are caught in one place, ``_GuardedGroup.invoke``, and printed to stderr as
one message, never as a traceback.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from negotiation.errors import NegotiationError
from negotiation.render import text

from . import explore, files, query, run, session, teach
from .common import err

BAD_INPUT = 2


class _GuardedGroup(TyperGroup):
    """The command group: turns a ``NegotiationError`` into a message and exit 2."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except NegotiationError as e:
            text.error(str(e), err())
            raise typer.Exit(BAD_INPUT) from None


app = typer.Typer(
    name="negotiation",
    cls=_GuardedGroup,
    help="A negotiation state-tracking simulator: run, inspect and compare scenarios.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

app.command("run")(run.run)
app.command("show")(query.show)
app.command("why")(query.why)
app.command("diff")(run.diff)
app.command("validate")(files.validate)
app.command("list")(files.list_scenarios)
app.command("schema")(files.schema)
app.command("explore")(explore.explore_cmd)
app.command("sample")(explore.sample_cmd)
app.command("check")(explore.check_cmd)
app.command("step")(teach.step)
app.command("play")(teach.play)
app.command("diagram")(teach.diagram)
app.command("report")(teach.report)
app.command("resume")(session.resume)


def main() -> None:
    """Entry point of the ``negotiation`` script."""
    app(prog_name="negotiation")


__all__ = ["app", "main"]
