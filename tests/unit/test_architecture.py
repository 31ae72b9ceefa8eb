"""The harness's imports go one way: each package imports only those below it, no
module imports itself back through others, and the steps import no server code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "maimbot_acceptance"

MAY_IMPORT: dict[str, set[str]] = {
    "errors": set(),
    "wire": {"errors"},
    "judging": {"errors", "wire"},
    "server": {"errors", "wire"},
    "llm_tap": {"errors", "wire", "judging", "server"},
    "targets": {"errors", "wire", "server", "llm_tap"},
    "scenario": {"errors", "wire", "judging", "server", "targets", "llm_tap"},
    "reports": {"errors", "wire", "judging", "targets", "scenario"},
    "tools": {"errors", "wire", "judging", "server", "targets", "llm_tap"},
    "record": {"errors", "wire", "judging", "server"},
    "rehearsal": {"errors"},
}
"""Package -> the packages it may import (the docstring of each says the same)."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """The harness modules ``path`` imports (relative imports resolved)."""
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{a.name}" for a in node.names)  # 'from . import x'
    known = {module_name(p) for p in PACKAGE.rglob("*.py")}
    return {name for name in found if name in known and name != module_name(path)}


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


HARNESS = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", HARNESS, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_module_imports_only_the_packages_below_its_own(path: Path):
    own = layer(module_name(path))
    if not own:  # maimbot_acceptance/__init__.py
        return
    wrong = sorted(
        name
        for name in imports_of(path)
        if layer(name) and layer(name) != own and layer(name) not in MAY_IMPORT[own]
    )
    assert not wrong, f"{own} may import {sorted(MAY_IMPORT[own])}, not {wrong}"


def test_every_package_is_in_the_table():
    packages = {layer(module_name(p)) for p in HARNESS} - {""}
    assert packages == set(MAY_IMPORT)


def test_no_modules_import_each_other_in_a_circle():
    graph = {module_name(p): imports_of(p) for p in HARNESS}
    # A package's __init__ and its modules are one unit for this check.
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> None:
        if module in path:
            raise AssertionError(
                "import circle: " + " -> ".join([*path[path.index(module) :], module])
            )
        if module in done:
            return
        path.append(module)
        for imported in sorted(graph.get(module, ())):
            if not module.startswith(imported + "."):  # a module's own package __init__
                visit(imported)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)


def test_steps_and_environment_import_no_server_code():
    files = [
        ROOT / "features" / "environment.py",
        *sorted((ROOT / "features" / "steps").glob("*.py")),
    ]
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in files
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom | ast.Import)
        for name in (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [a.name for a in node.names]
        )
        if name.startswith("maimbot_acceptance.server")
    ]
    assert not offenders


MAX_LINES = 400
MAX_METHODS = 25
"""A module a newcomer reads in one sitting; a class that does one thing."""


@pytest.mark.parametrize("path", HARNESS, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_module_stays_readable(path: Path):
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_LINES, f"{lines} lines: cut it where its jobs part"
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ClassDef):
            methods = [
                b for b in node.body if isinstance(b, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
            assert len(methods) <= MAX_METHODS, f"{node.name} has {len(methods)} methods"


STEP_DECORATORS = {"given", "when", "then", "step"}


def test_every_step_reaches_the_world_through_a_typed_step_context():
    """mypy checks a step's harness calls only when its context is typed."""
    untyped = []
    for path in sorted((ROOT / "features" / "steps").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef):
                continue
            decorators = {
                d.func.id
                for d in node.decorator_list
                if isinstance(d, ast.Call) and isinstance(d.func, ast.Name)
            }
            if not decorators & STEP_DECORATORS:
                continue
            first = node.args.args[0] if node.args.args else None
            annotation = first.annotation if first is not None else None
            if not (isinstance(annotation, ast.Name) and annotation.id == "StepContext"):
                untyped.append(f"{path.name}:{node.lineno} {node.name}")
    assert untyped == []
