"""The ``negotiation`` command line: typer wiring over the loader, engine and renderers.

Exit codes: 0 success; 1 an expectation failed (``run``); 2 bad input: any
``NegotiationError`` (an invalid scenario, an unknown branch, a move that does not
parse), a bad date or option (typer's usage errors), an invalid file (``validate``).
User errors are caught in one place, ``_GuardedGroup.main``, and printed to stderr in
one style (``common.show_error``: ``error: MESSAGE``, then the usage for a usage
error), never as a traceback. Everything the commands print goes through
``common.out()`` and ``common.err()``: control characters made visible, an encoding
fallback, the output bound (``render.escape.TerminalStream``).

Conventions: ``--version``; shell completion (``--install-completion``,
``--show-completion``) that offers bundled scenario, branch, party and document names;
``NEGOTIATION_SCENARIO`` is the default of ``--scenario``; help text is reflowed (the
docstrings' line breaks are not the terminal's) and never read as rich markup.

Each command lives in a module of this package, declared there with its typer options;
``COMMANDS`` says where. A command's module is imported only when that command runs (or
its help is shown), so ``negotiation run`` does not pay for the explorer, the teaching
sessions or the report renderers.
"""

from __future__ import annotations

import atexit
import functools
import gc
import importlib
import inspect
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

import negotiation
from negotiation.cli.common import BAD_INPUT, out, show_error, whole_output
from negotiation.model.errors import NegotiationError
from negotiation.runtime import collect

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
    "zopa": ("analysis", "zopa"),
    "solve": ("analysis", "solve"),
    "simulate": ("simulate", "simulate"),
    "step": ("teach", "step"),
    "play": ("teach", "play"),
    "diagram": ("teach", "diagram"),
    "report": ("teach", "report"),
    "roles": ("teach", "roles"),
    "classroom": ("classroom", "classroom"),
    "resume": ("session", "resume"),
}
"""Command name -> (module of this package, function), in the order ``--help`` lists them."""

INTERACTIVE = frozenset({"step", "play", "resume", "classroom"})
"""Commands that write as they go: ``step`` and ``play`` answer as they read their
input, ``classroom`` prints its link and then serves until stopped. Every other
command's standard output is held and written whole when it ends
(``common.whole_output``): never a partial output followed by an error. ``resume``
holds the output of a resumed run itself."""

_CLICK_ERROR: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)
"""click's exception base (typer vendors click in recent versions and does not export it)."""

_SETTINGS: dict[str, Any] = {
    "add_completion": False,  # the group alone offers --install/--show-completion
    "pretty_exceptions_show_locals": False,
}


def plain_help(text: str | None) -> str | None:
    """Help text as typer should show it: each paragraph on one line (the terminal
    wraps it, not the docstring's line breaks) and brackets kept literally (rich would
    read ``negotiation[dask]`` as markup and drop ``[dask]``)."""
    if not text:
        return text
    paragraphs = [" ".join(p.split()) for p in inspect.cleandoc(text).split("\n\n")]
    # text without a bracket or a trailing backslash is what escaping returns, and rich
    # need not be imported for it (~20 ms of every command's start-up)
    if any("[" in p or p.endswith("\\") for p in paragraphs):
        from rich.markup import escape  # noqa: PLC0415

        paragraphs = [escape(p) for p in paragraphs]
    return "\n\n".join(paragraphs)


def command(name: str) -> Any:
    """The click command of ``name``, built by typer from its function (importing its
    module now), its help reflowed and escaped."""
    module, function = COMMANDS[name]
    callback = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    if name not in INTERACTIVE:
        callback = _held(callback)
    one = typer.Typer(**_SETTINGS)
    one.command(name)(callback)
    built = typer.main.get_command(one)
    built.help = plain_help(built.help)
    for param in built.params:
        if getattr(param, "help", None):
            setattr(param, "help", plain_help(getattr(param, "help")))  # noqa: B009, B010
    return built


def _held(callback: Callable[..., Any]) -> Callable[..., Any]:
    """``callback`` with its standard output held and written whole at the end (typer
    reads the options from the wrapped function's signature)."""

    @functools.wraps(callback)
    def held(*args: Any, **kwargs: Any) -> Any:
        with whole_output():
            return callback(*args, **kwargs)

    return held


def _usage_error(e: Any) -> None:
    """A usage error (typer's, or a ``BadParameter`` of ours) in the style of our errors."""
    ctx = getattr(e, "ctx", None)
    notes = []
    if ctx is not None:
        notes.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            notes.append(f"Try '{ctx.command_path} {ctx.help_option_names[0]}' for help.")
    show_error(e.format_message(), *notes)


class _GuardedGroup(TyperGroup):
    """The command group: commands built on first use; a ``NegotiationError`` becomes a
    message and exit 2, and usage errors are reported the same way."""

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
            show_error(str(e))
            raise typer.Exit(BAD_INPUT) from None

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **kwargs: Any,
    ) -> Any:
        """typer's main, with its boxed usage errors printed as ``error: ...`` instead."""
        if not standalone_mode:
            return super().main(
                args, prog_name, complete_var, False, windows_expand_args, **kwargs
            )
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **kwargs)
        except _CLICK_ERROR as e:
            if type(e).__name__ != "NoArgsIsHelpError":  # that one has printed the help
                _usage_error(e)
            sys.exit(getattr(e, "exit_code", BAD_INPUT))
        except typer.Abort:
            show_error("aborted")
            sys.exit(1)
        # typer returns an exit code, or the command's result (None) when it just returns
        sys.exit(code if isinstance(code, int) else 0)


def _show_version(value: bool) -> None:
    if value:
        out().write(f"negotiation {negotiation.__version__}\n")
        raise typer.Exit


app = typer.Typer(
    name="negotiation",
    cls=_GuardedGroup,
    help="A negotiation state-tracking simulator: run, inspect and compare scenarios.",
    no_args_is_help=True,
    **{**_SETTINGS, "add_completion": True},
)


@app.callback()
def _group(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            callback=_show_version,
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    """The commands are in ``COMMANDS`` (typer needs a callback for a group of them)."""


def main() -> None:
    """Entry point of the ``negotiation`` script. The process is the command's own, so
    its long runs and searches pause the cyclic garbage collector (``runtime.collect``),
    and as the process exits it freezes the heap: the interpreter's last collection
    would scan all of it only to free what the exit frees anyway (measured: 0.4 to 0.6 s
    after a search stopped by a signal, a third of the two seconds it has to end)."""
    atexit.unregister(gc.freeze)  # once, however often main runs in one process
    atexit.register(gc.freeze)
    with collect.paused():
        app(prog_name="negotiation")


__all__ = ["COMMANDS", "app", "main"]
