"""Packaging: every subpackage and the scenarios are shipped, the extras are split by
purpose and named right everywhere, the licence and the version come from one place, and
the wheel holds what it must."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

import negotiation
from tests.conftest import ROOT


def test_every_subpackage_is_listed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "negotiation").rglob("__init__.py")
    }
    assert found <= listed, f"missing from [tool.setuptools] packages: {sorted(found - listed)}"
    assert "negotiation.scenarios" in listed
    assert config["tool"]["setuptools"]["package-dir"]["negotiation.scenarios"] == "scenarios"


# -- extras, licence, version, the wheel ---------------------------------------------------

CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
EXTRAS: dict[str, list[str]] = CONFIG["project"]["optional-dependencies"]


def _names(requirements: list[str]) -> set[str]:
    """Distribution names of requirements, self-references expanded (``negotiation[a,b]``)."""
    out: set[str] = set()
    for req in requirements:
        match = re.match(r"([A-Za-z0-9_.-]+)(?:\[([^\]]*)\])?", req)
        assert match is not None, req
        name, extras = match.group(1), match.group(2) or ""
        if name == "negotiation":
            for extra in filter(None, (e.strip() for e in extras.split(","))):
                out |= _names(EXTRAS[extra])
        else:
            out.add(name.lower())
    return out


def test_extras_are_split_by_purpose() -> None:
    assert set(EXTRAS) == {"check", "dask", "classroom", "dev"}
    assert _names(EXTRAS["check"]) == {"hypothesis"}  # `negotiation check` asks for this alone
    assert _names(EXTRAS["dask"]) == {"dask"}
    assert "dask[distributed]" in "".join(EXTRAS["dask"])
    assert {"pytest", "hypothesis", "dask", "ruff", "mypy", "types-pyyaml"} <= _names(EXTRAS["dev"])


def test_negotiation_testing_needs_only_the_check_extra() -> None:
    core = {"pydantic", "transitions"}
    tree = ast.parse((ROOT / "negotiation" / "testing.py").read_text(encoding="utf-8"))
    used = {
        name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom) and not getattr(node, "level", 0)
        for name in (
            [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        )
    }
    third_party = used - set(sys.stdlib_module_names) - {"negotiation", "__future__"}
    assert third_party <= core | _names(EXTRAS["check"])


def _texts() -> list[Path]:
    skip = {".venv", ".git", "build", "dist", "node_modules"}
    found = [ROOT / "README.md", ROOT / ".ci" / "run", ROOT / "pyproject.toml"]
    for folder in ("negotiation", "docs", "benchmarks"):
        found += [
            p
            for p in (ROOT / folder).rglob("*")
            if p.suffix in (".py", ".md") and not skip & set(p.parts)
        ]
    return found


def test_every_extra_named_in_messages_and_docs_exists() -> None:
    named = re.compile(r"(?:negotiation|\.)\[([a-z,]+)\]")
    seen: dict[str, str] = {}
    for path in _texts():
        text = path.read_text(encoding="utf-8")
        for match in named.finditer(text):
            for extra in match.group(1).split(","):
                seen.setdefault(extra, f"{path.relative_to(ROOT)}: {match.group(0)}")
    unknown = {e: where for e, where in seen.items() if e not in EXTRAS}
    assert not unknown, f"extras that pyproject.toml does not declare: {unknown}"
    assert {"check", "dask", "dev"} <= seen.keys()


def test_license_is_mit_and_listed() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "Copyright (c)" in text and "the negotiation authors" in text
    assert CONFIG["project"]["license"] == "MIT"
    assert CONFIG["project"]["license-files"] == ["LICENSE"]
    classifiers = CONFIG["project"]["classifiers"]
    assert "Typing :: Typed" in classifiers
    assert not any(c.startswith("License ::") for c in classifiers)  # PEP 639: the expression


def test_version_comes_from_the_package_metadata() -> None:
    assert negotiation.__version__ == metadata.version("negotiation")
    assert negotiation.__version__ == CONFIG["project"]["version"]


def test_version_of_an_uninstalled_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", missing)
    assert negotiation._installed_version() == "0+unknown"


@pytest.mark.slow
def test_the_wheel_ships_licence_types_and_scenarios(tmp_path: Path) -> None:
    """Build the wheel from a copy of the sources (the checkout stays clean) and open it."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, src / name)
    junk = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for folder in ("negotiation", "scenarios"):
        shutil.copytree(ROOT / folder, src / folder, ignore=junk)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(src)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("negotiation-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        info = f"negotiation-{CONFIG['project']['version']}.dist-info"
        meta = z.read(f"{info}/METADATA").decode("utf-8")
    assert f"{info}/licenses/LICENSE" in names
    assert "negotiation/py.typed" in names
    bundled = {p.name for p in (ROOT / "scenarios").glob("*.yaml")}
    assert bundled and {f"negotiation/scenarios/{n}" for n in bundled} <= names
    assert "negotiation/scenarios/scenario.schema.json" in names
    assert "License-Expression: MIT" in meta
    assert "Classifier: Typing :: Typed" in meta
    extras = set(re.findall(r"^Provides-Extra: (\S+)$", meta, flags=re.M))
    assert extras == {"check", "dask", "classroom", "dev"}
