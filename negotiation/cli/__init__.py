"""The ``negotiation`` command line: typer wiring over the loader, engine and renderers.

Exit codes: 0 success; 1 an expectation failed (``run``); 2 bad input: any
``NegotiationError`` (an invalid scenario, an unknown branch, a move that does not
parse), a bad date or option (typer's usage errors), an invalid file (``validate``).
User errors are caught in one place, ``_GuardedGroup.invoke``, and printed to stderr as
one message, never as a traceback.

Each command lives in a module of this package, declared there with its typer options;
``COMMANDS`` says where. A command's module is imported only when that command runs (or
its help is shown), so ``negotiation run`` does not pay for the explorer, the teaching
sessions or the report renderers.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperGroup

from negotiation.cli.common import err
from negotiation.model.errors import NegotiationError
from negotiation.runtime import collect

BAD_INPUT = 2

COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("run", "run"),
    "show": ("query", "show"),
    "why": ("query", "why"),
    "diff": ("run", "diff"),
    "validate": ("files", "validate"),
    "list": ("files", "list_scenarios"),
    "schema": ("files", "schema"),
    "explore": ("explore", "explore_cmd"),
    "sample": ("explore", "sample_cmd"),
    "check": ("explore", "check_cmd"),
    "step": ("teach", "step"),
    "play": ("teach", "play"),
    "diagram": ("teach", "diagram"),
    "report": ("teach", "report"),
    "resume": ("session", "resume"),
}
"""Command name -> (module of this package, function), in the order ``--help`` lists them."""

_SETTINGS: dict[str, Any] = {
    "add_completion": False,
    "pretty_exceptions_show_locals": False,
}


def command(name: str) -> Any:
    """The click command of ``name``, built by typer from its function (importing its
    module now)."""
    module, function = COMMANDS[name]
    callback = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    one = typer.Typer(**_SETTINGS)
    one.command(name)(callback)
    return typer.main.get_command(one)


class _GuardedGroup(TyperGroup):
    """The command group: commands built on first use; a ``NegotiationError`` becomes a
    message and exit 2."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.add_command(command(cmd_name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in COMMANDS:  # a mistyped command: typer suggests the
            for name in COMMANDS:  # closest from the commands built, so build them all
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except NegotiationError as e:
            from negotiation.render import text  # noqa: PLC0415 - only for an error

            text.error(str(e), err())
            raise typer.Exit(BAD_INPUT) from None


app = typer.Typer(
    name="negotiation",
    cls=_GuardedGroup,
    help="A negotiation state-tracking simulator: run, inspect and compare scenarios.",
    no_args_is_help=True,
    **_SETTINGS,
)


@app.callback()
def _group() -> None:
    """The commands are in ``COMMANDS`` (typer needs a callback for a group of them)."""


def main() -> None:
    """Entry point of the ``negotiation`` script. The process is the command's own, so
    its long runs and searches pause the cyclic garbage collector (``runtime.collect``)."""
    with collect.paused():
        app(prog_name="negotiation")


__all__ = ["COMMANDS", "app", "main"]
