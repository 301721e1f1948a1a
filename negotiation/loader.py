"""The scenario loader: the only module that imports yaml. (Minimal first version.)"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from .errors import Location, Problem, ScenarioError
from .scenario import Scenario

DEFAULT_SCENARIO = "ukraine-2025-12"


def bundled_names() -> list[str]:
    """Names of the scenarios shipped with the package."""
    root = resources.files("negotiation.scenarios")
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml"))


def resolve(name_or_path: str) -> Path:
    """A path to an existing file, or the path of a bundled scenario by name."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    root = resources.files("negotiation.scenarios")
    return Path(str(root.joinpath(f"{name_or_path}.yaml")))


def load_scenario(name_or_path: str) -> Scenario:
    """Load, validate and check a scenario file or bundled scenario name."""
    path = resolve(name_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ScenarioError.single(f"cannot read: {e.strerror}", Location(file=str(path))) from None
    data = yaml.safe_load(text)
    try:
        return Scenario.model_validate(data)
    except ValidationError as e:
        raise ScenarioError(
            [Problem(Location(file=str(path), path=tuple(err["loc"])), err["msg"]) for err in e.errors()]
        ) from None
