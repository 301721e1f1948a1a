"""``validate`` (scenario files), ``list`` (bundled scenarios) and ``schema``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from negotiation import loader
from negotiation.cli.common import Format, FormatOpt, out
from negotiation.model.errors import Location, NegotiationError, Problem, ScenarioError
from negotiation.model.scenario import Scenario
from negotiation.render import jsonout, text, views
from negotiation.runtime.engine import Engine
from negotiation.runtime.validate import check_scenario

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
    """Every located problem of one scenario file (empty when it is valid)."""
    try:
        scenario = loader.load_scenario(path)
    except ScenarioError as e:
        return [_problem_row(p, path) for p in e.problems]
    except NegotiationError as e:
        return [_problem_row(Problem(Location(path), str(e)), path)]
    found = check_scenario(scenario)
    if not found:
        try:
            Engine(scenario)
        except ScenarioError as e:
            found = e.problems
        except NegotiationError as e:
            found = [Problem(Location(path), str(e))]
    return [_problem_row(p, path) for p in found]


def validate(
    paths: Annotated[list[str], typer.Argument(metavar="PATH...", help="Scenario files.")],
    fmt: FormatOpt = Format.text,
) -> None:
    """Validate scenario files: OK, or every problem with its file, line and field.

    Exits 2 if any file is invalid.
    """
    results = []
    for path in paths:
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


def schema() -> None:
    """Print the JSON Schema of the scenario file format."""
    make = getattr(loader, "scenario_json_schema", None)
    data: dict[str, Any] = make() if callable(make) else Scenario.model_json_schema()
    jsonout.write(data, out())
