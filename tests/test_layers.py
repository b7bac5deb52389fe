"""Imports point one way: each part of cop_widgets uses only the layers beneath it.

model (pure) <- store, io <- analysis (pure) <- services <- words, charts, export
(presentation) <- widgets, notebook <- jupyter, demo, cli. Imports under
``if TYPE_CHECKING:`` are for type hints only and do not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import cop_widgets

PACKAGE = Path(cop_widgets.__file__).parent

#: The layers, lowest first; a module may import its own layer and those before it.
LAYERS: tuple[frozenset[str], ...] = tuple(frozenset(layer) for layer in (
    {"i18n", "links"},
    {"vocabulary", "error_codes"},
    {"errors"},
    {"scales"},
    {"model"},
    {"store", "io"},
    {"analysis"},
    {"services"},
    {"words", "charts", "export"},
    {"widgets", "notebook"},
    {"jupyter", "demo", "cli", ""},  # "" is the package's own __init__
))
RANK = {part: rank for rank, layer in enumerate(LAYERS) for part in layer}


def _part(module: str) -> str:
    """The top-level part of ``cop_widgets.<part>...`` ("" for the package itself)."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else ""


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _runtime_imports(tree: ast.AST):
    """Yield every import node that runs (not under ``if TYPE_CHECKING``)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        yield from _runtime_imports(node)


def _imports(path: Path) -> list[tuple[str, int]]:
    """The cop_widgets parts ``path`` imports at run time, with line numbers."""
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    module = ".".join(relative.parts)
    package = module.removesuffix(".__init__") if module.endswith("__init__") \
        else module.rsplit(".", 1)[0]
    found = []
    for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            targets = ([".".join([*base, node.module])] if node.module
                       else [".".join([*base, alias.name]) for alias in node.names])
        elif isinstance(node, ast.ImportFrom):
            targets = [node.module or ""]
        else:
            targets = [alias.name for alias in node.names]
        found += [(_part(t), node.lineno) for t in targets if t.startswith("cop_widgets")]
    return found


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def test_every_part_of_the_package_has_a_layer():
    parts = {_part(".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts))
             for p in _modules()}
    parts = {p.removesuffix("__init__") for p in parts}
    assert parts <= set(RANK), f"parts without a layer: {sorted(parts - set(RANK))}"


def test_no_module_imports_a_layer_above_its_own():
    upward = []
    for path in _modules():
        own = _part(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        own = own.removesuffix("__init__")
        for part, line in _imports(path):
            if RANK[part] > RANK[own]:
                upward.append(f"{path.relative_to(PACKAGE)}:{line} imports {part}")
    assert not upward, "\n".join(upward)


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The test above can fail: an analysis module importing a service is reported."""
    fake = tmp_path / "cop_widgets"
    (fake / "analysis").mkdir(parents=True)
    module = fake / "analysis" / "bad.py"
    module.write_text("from ..services.analysis import ConsultationAnalysis\n"
                      "from typing import TYPE_CHECKING\n"
                      "if TYPE_CHECKING:\n    from ..widgets import dashboard\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    assert _imports(module) == [("services", 1)]
