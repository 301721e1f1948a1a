"""``validate`` (scenario files), ``list`` (bundled scenarios) and ``schema``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from negotiation import loader
from negotiation.cli.common import Format, FormatOpt, err, note_shadowed, out
from negotiation.model.errors import (
    Location,
    NegotiationError,
    OutputError,
    Problem,
    ScenarioError,
)
from negotiation.persist import write_new
from negotiation.render import jsonout, text, views

INVALID = 2


def _problem_row(p: Problem, path: str) -> views.Row:
    loc = (
        p.location
        if p.location.file
        else Location(path, p.location.line, p.location.column, p.location.path)
    )
    return {
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        "path": list(loc.path),
        "message": p.message,
        "text": str(Problem(loc, p.message)),
    }


def problems_of(path: str) -> list[views.Row]:
    """Every located problem of one scenario file (empty when it is valid): what the
    loader finds, and what the engine would refuse before the first event."""
    try:
        loader.validate_file(path)
    except ScenarioError as e:
        return [_problem_row(p, path) for p in e.problems]
    except NegotiationError as e:
        return [_problem_row(Problem(Location(path), str(e)), path)]
    return []


def validate(
    paths: Annotated[list[str], typer.Argument(metavar="PATH...", help="Scenario files.")],
    fmt: FormatOpt = Format.text,
) -> None:
    """Validate scenario files: OK, or every problem with its file, line and field.

    Exits 2 if any file is invalid.
    """
    results = []
    for path in paths:
        note_shadowed(path)
        problems = problems_of(path)
        results.append({"path": path, "ok": not problems, "problems": problems})
    if fmt is Format.json:
        jsonout.write(results, out())
    else:
        text.validation(results, out())
    if any(not r["ok"] for r in results):
        raise typer.Exit(INVALID)


def list_scenarios(fmt: FormatOpt = Format.text) -> None:
    """List the bundled scenarios: name, title, id, whether illustrative, horizon."""
    rows: list[views.Row] = []
    for name in loader.bundled_names():
        row: views.Row = {
            "name": name,
            "id": None,
            "title": None,
            "illustrative": None,
            "horizon": None,
            "error": None,
        }
        try:
            s = loader.load_scenario(name)
        except NegotiationError as e:
            row["error"] = str(e).splitlines()[0]
        else:
            row.update(
                id=s.id,
                title=s.title,
                illustrative=s.illustrative,
                horizon=s.horizon.display() if s.horizon else None,
            )
        rows.append(row)
    if fmt is Format.json:
        jsonout.write(rows, out())
    else:
        text.scenario_list(rows, out())


def schema(
    folder: Annotated[
        Path | None,
        typer.Argument(
            metavar="DIR",
            help="With --write: the folder to write it to (default: the current one).",
            show_default=False,
        ),
    ] = None,
    write: Annotated[
        bool,
        typer.Option(
            "--write", help=f"Write it to DIR/{loader.SCHEMA_FILE_NAME} instead of printing it."
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="With --write: replace an existing file.")
    ] = False,
) -> None:
    """Print the JSON Schema of scenario files, or write it where your scenarios are.

    Editors with the YAML language server check and complete a scenario file that
    starts with the line: # yaml-language-server: $schema=scenario.schema.json
    """
    if not write:
        if folder is not None or force:
            raise typer.BadParameter("DIR and --force go with --write")
        jsonout.write(loader.scenario_json_schema(), out())
        return
    folder = folder or Path()
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise OutputError(f"{folder} {what}: give the folder to write the schema to", str(folder))
    target = folder / loader.SCHEMA_FILE_NAME
    write_new(target, jsonout.dumps(loader.scenario_json_schema()) + "\n", force)
    err().write(
        f"wrote {target}; start each scenario file in {folder} with the line\n"
        f"# yaml-language-server: $schema={loader.SCHEMA_FILE_NAME}\n"
    )

