"""The house rules, checked on the source: floors, pure core, no eval/exec, one conftest."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "negotiation"

FLOORS = {
    "model": 1,  # the scenario as data, snapshots, errors
    "conditions": 2,  # the condition language
    "runtime": 3,  # the engine, clock, acts, lifecycles, legal moves, the explorer's space
    "search": 4,  # explore, sample, Dask, the search record
    "analysis": 4,  # utilities, ZOPA, Pareto frontier, Nash, alternating offers
    "behaviour": 4,  # strategies and the protocols they bargain by
    "teach": 4,
    "persist": 4,
    "testing": 4,
    "loader": 5,  # the edges
    "render": 5,
    "cli": 5,
    "classroom": 5,  # the web server of a class (the only web-framework importer)
    "pytest_plugin": 5,
    "__main__": 5,
    "__init__": 5,  # the package root re-exports the public API
}


def floor(module: str) -> int:
    top = module.split(".", maxsplit=1)[0]
    assert top in FLOORS, f"{top} belongs to no floor: add it to FLOORS"
    return FLOORS[top]


def modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        parts = [p for p in rel.parts if p != "__init__"]
        out.append((".".join(parts) or "__init__", path))
    return out


MODULES = modules()
"""(dotted module name, file) of every module; the name is the test id, so ids do not
depend on where the checkout is."""


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:`` (type-only imports are no
    runtime arrows)."""
    out: list[ast.AST] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if (
            isinstance(node, ast.If)
            and isinstance(node.test, ast.Name)
            and (node.test.id == "TYPE_CHECKING")
        ):
            stack.extend(node.orelse)
            continue
        out.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return out


def imports(path: Path, module: str) -> list[tuple[str, int]]:
    """Package-internal modules imported at run time by a file: (module, line)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    here = module.split(".") if module != "__init__" else []
    base = here if is_pkg else here[:-1]
    found = []
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = [*anchor, *(node.module.split(".") if node.module else [])]
                names = (
                    [".".join([*target, a.name]) for a in node.names]
                    if not node.module
                    else [".".join(target)]
                )
                found += [(n, node.lineno) for n in names]
            elif node.module and node.module.startswith("negotiation."):
                found.append((node.module.removeprefix("negotiation."), node.lineno))
        elif isinstance(node, ast.Import):
            found += [
                (a.name.removeprefix("negotiation."), node.lineno)
                for a in node.names
                if a.name.startswith("negotiation.")
            ]
    return found


def external_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            out.add(node.module.split(".")[0])
    return out


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_arrows_only_point_down(module: str, path: Path) -> None:
    if module == "__init__":
        return  # the package root re-exports the public API
    mine = floor(module)
    for target, line in imports(path, module):
        if target in ("", "__init__"):
            continue
        assert floor(target) <= mine, (
            f"{path.name}:{line}: floor {mine} module {module} imports {target} "
            f"(floor {floor(target)})"
        )


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_only_the_edges_touch_yaml_typer_rich(module: str, path: Path) -> None:
    top = module.split(".", maxsplit=1)[0]
    used = external_imports(path)
    if top != "loader":
        assert "yaml" not in used, f"{module} imports yaml"
    if top != "cli":
        assert "typer" not in used, f"{module} imports typer"
    if top not in ("cli", "render"):
        assert "rich" not in used, f"{module} imports rich"


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_core_neither_prints_nor_opens_files(module: str, path: Path) -> None:
    if floor(module) > 3:
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in ("print", "open", "input"), (
                f"{path.name}:{node.lineno}: the core must not call {node.func.id}()"
            )
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and (
                node.func.attr
                in ("read_text", "write_text", "read_bytes", "now", "today", "utcnow", "time")
            )
        ):
            pytest.fail(f"{path.name}:{node.lineno}: the core must not call .{node.func.attr}()")


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_no_eval_exec_or_unsafe_loading(module: str, path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            bare = node.func.id if isinstance(node.func, ast.Name) else ""
            name = node.func.attr if isinstance(node.func, ast.Attribute) else bare
            assert bare not in ("eval", "exec", "compile", "__import__"), (
                f"{path.name}:{node.lineno}: {bare}() is not allowed"
            )
            assert name != "unsafe_load", f"{path.name}:{node.lineno}: unsafe_load"
            if name in ("load", "load_all") and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                assert not (isinstance(owner, ast.Name) and owner.id == "yaml"), (
                    f"{path.name}:{node.lineno}: yaml.{name}() is not allowed; use safe loading"
                )
    assert "pickle" not in external_imports(path), f"{module} imports pickle"


def _module_classes(tree: ast.Module) -> list[ast.ClassDef]:
    """Classes a module defines at its top level, ``if``/``try`` blocks included (not
    those nested in a function or a class)."""
    out: list[ast.ClassDef] = []
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.ClassDef):
            out.append(node)
        elif isinstance(node, (ast.If, ast.Try)):
            for block in ast.iter_child_nodes(node):
                if isinstance(block, ast.stmt):
                    stack.append(block)
            if isinstance(node, ast.Try):
                for handler in node.handlers:
                    stack.extend(handler.body)
    return out


def test_no_two_classes_share_a_name() -> None:
    """One name, one class (issue 10): a reader who meets ``Outcome`` knows which."""
    where: dict[str, dict[str, int]] = {}  # name -> file -> line (one per file: a
    # class defined in both arms of an ``if``/``try`` is one class)
    for _, path in MODULES:
        rel = path.relative_to(ROOT).as_posix()
        for cls in _module_classes(ast.parse(path.read_text(encoding="utf-8"))):
            where.setdefault(cls.name, {}).setdefault(rel, cls.lineno)
    shared = [
        f"  {name}: " + ", ".join(f"{rel}:{line}" for rel, line in sorted(files.items()))
        for name, files in sorted(where.items())
        if len(files) > 1
    ]
    assert not shared, "classes sharing a name:\n" + "\n".join(shared)


def _all_imports(path: Path, module: str) -> set[str]:
    """Package-internal modules a file imports, ``if TYPE_CHECKING:`` blocks included,
    each resolved to the module it names (``from negotiation import x`` to ``x`` where
    ``x`` is a module)."""
    known = {m for m, _ in modules()}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    here = module.split(".") if module != "__init__" else []
    base = here if is_pkg else here[:-1]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join([*anchor, *(node.module.split(".") if node.module else [])])
            elif node.module and (node.module + ".").startswith("negotiation."):
                target = node.module.removeprefix("negotiation").removeprefix(".")
            else:
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target else alias.name
                out.add(sub if sub in known else target or "__init__")
        elif isinstance(node, ast.Import):
            out |= {
                a.name.removeprefix("negotiation.")
                for a in node.names
                if a.name.startswith("negotiation.")
            }
    return out - {module}


def test_no_import_circle_not_even_for_the_type_checker() -> None:
    graph = {m: _all_imports(p, m) for m, p in modules() if m != "__init__"}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert not circles, f"import circles: {circles}"


def test_the_suite_has_one_conftest() -> None:
    """Every fixture and hook the tests share is in ``tests/conftest.py``; a folder's plain
    helpers are an ordinary module that its tests import (``tests/classroom/web.py``)."""
    found = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "tests").rglob("conftest.py"))
    assert found == ["tests/conftest.py"], f"a second conftest.py: {found}"
