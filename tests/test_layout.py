"""The layout is the architecture (README, "Layout"): inputs → extract → store → serve → cli.

Each layer may import the layers before it, never one after it, and no module imports
itself back through others — function-level imports included, since an import hidden in
a function is still a circle. Extraction never touches the database: it runs in worker
processes and in `parkstat extract`, where there is none.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ETL = Path(__file__).resolve().parent.parent / "etl"
# The order of the layers; the top-level helpers (messages, paths, progress) come first.
LAYERS = ["etl", "etl.inputs", "etl.extract", "etl.store", "etl.serve", "etl.cli"]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ETL.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, set[str]]:
    """Every etl module and the etl modules it imports (anywhere in its body)."""
    found = {_module_name(p): p for p in ETL.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in found.items():
        imports: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imports.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imports.add(node.module)
                imports.update(f"{node.module}.{a.name}" for a in node.names)
        graph[name] = {i for i in imports if i in found and i != name}
    return graph


def _layer(module: str) -> int:
    if module == "etl.cli":
        return LAYERS.index("etl.cli")
    top = ".".join(module.split(".")[:2])
    return LAYERS.index(top) if top in LAYERS else 0


def test_the_pipeline_has_its_folders() -> None:
    for folder in ("inputs", "extract", "store", "serve"):
        assert (ETL / folder / "__init__.py").is_file(), folder


def test_no_layer_imports_a_later_one() -> None:
    wrong = [
        f"{module} imports {imported}"
        for module, imports in _modules().items()
        for imported in sorted(imports)
        if _layer(imported) > _layer(module)
    ]
    assert wrong == []


@pytest.mark.parametrize("layer", ["etl.inputs", "etl.extract"])
def test_reading_and_extraction_do_not_touch_the_database(layer: str) -> None:
    for module in _modules():
        if module.startswith(layer):
            source = (ETL.parent / (module.replace(".", "/") + ".py"))
            if not source.is_file():
                source = ETL.parent / module.replace(".", "/") / "__init__.py"
            text = source.read_text(encoding="utf-8")
            assert "import psycopg" not in text and "sqlalchemy" not in text.lower(), module


def test_no_import_circle() -> None:
    graph = _modules()
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append([*path[path.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert circles == []
