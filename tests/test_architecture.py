"""The folders are the layers: what a module may import follows from the package it is in.

Layers, lowest first: values (``bot.models``, ``bot.arxiv_id``); the pure packages
``bot.digest``, ``bot.rules``, ``bot.ranking`` and ``bot.text``; ``storage``; the wiring's
leaves; the I/O of ``bot.delivery``; ``handlers``; the HTTP server ``bot.web``; the
composition root. Imports point down, never up, and no module reaches itself through its
imports.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "handlers", "storage")

LAYER_OF_PREFIX = {
    "bot.models": "values",
    "bot.arxiv_id": "values",
    "bot.digest": "digest",
    "bot.rules": "rules",
    "bot.ranking": "ranking",
    "bot.text": "text",
    "storage": "storage",
    "bot.config": "leaves",
    "bot.http_request": "leaves",
    "bot.instance": "leaves",
    "bot.lifecycle": "leaves",
    "bot.logsafety": "leaves",
    "bot.locales": "leaves",
    "bot.markup": "leaves",
    "bot.metrics": "leaves",
    "bot.update_processor": "leaves",
    "bot.delivery": "delivery",
    "handlers": "handlers",
    "bot.web": "web",
    "bot.app": "composition",
    "bot.cli": "composition",
}
"""Every module of the project belongs to the layer of its longest matching prefix."""

MAY_IMPORT = {
    "values": {"values"},
    "digest": {"values", "digest"},
    "rules": {"values", "rules"},
    "ranking": {"values", "rules", "ranking"},
    "text": {"values", "rules", "text"},
    "storage": {"values", "digest", "rules", "ranking", "storage"},
    "leaves": {"values", "rules", "text", "leaves"},
    "delivery": {"values", "digest", "rules", "text", "storage", "leaves", "delivery"},
    "handlers": {"values", "digest", "rules", "text", "storage", "leaves", "delivery", "handlers"},
    "web": {
        "values",
        "digest",
        "rules",
        "ranking",
        "text",
        "storage",
        "leaves",
        "delivery",
        "handlers",
        "web",
    },
    "composition": set(LAYER_OF_PREFIX.values()),
}
"""Layer -> the layers its modules may import from."""

PURE_LAYERS = {"values", "digest", "rules", "ranking", "text"}
NO_IO = {"telegram", "sqlite_utils", "sqlite3", "httpx", "aiohttp", "os", "storage", "handlers"}
"""What a pure module never imports: it takes strings and values and returns values."""
CLOCK_CALLS = {"now", "today", "utcnow", "time.monotonic", "time.time", "time.perf_counter"}
"""Reading the clock: pure code is given the time as a parameter."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    module_name(path): path
    for package in PACKAGES
    for path in sorted((ROOT / package).rglob("*.py"))
}


def layer(module: str) -> str | None:
    prefixes = [p for p in LAYER_OF_PREFIX if module == p or module.startswith(p + ".")]
    return LAYER_OF_PREFIX[max(prefixes, key=len)] if prefixes else None


def imports(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, at any depth (inside functions and TYPE_CHECKING too)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            # ``from bot.text import messages`` imports the module bot.text.messages
            yield from (
                f"{node.module}.{a.name}"
                for a in node.names
                if f"{node.module}.{a.name}" in MODULES
            )


def own_imports(module: str) -> set[str]:
    return {name for name in imports(MODULES[module]) if name in MODULES and name != module}


def test_architecture_every_module_has_a_layer() -> None:
    """A new package or wiring module must be placed in a layer before it can be imported."""
    unplaced = sorted(m for m in MODULES if layer(m) is None and m not in PACKAGES)
    assert unplaced == []


@pytest.mark.parametrize("module", sorted(MODULES), ids=str)
def test_architecture_imports_point_down(module: str) -> None:
    own = layer(module)
    if own is None:
        return
    upward = sorted(m for m in own_imports(module) if layer(m) not in MAY_IMPORT[own] | {None})
    assert upward == [], f"{module} ({own}) may import only from {sorted(MAY_IMPORT[own])}"


PURE = sorted(m for m in MODULES if layer(m) in PURE_LAYERS)


@pytest.mark.parametrize("module", PURE, ids=str)
def test_architecture_pure_modules_do_no_io(module: str) -> None:
    roots = {name.split(".")[0] for name in imports(MODULES[module])}
    assert roots & NO_IO == set()


@pytest.mark.parametrize("module", PURE, ids=str)
def test_architecture_pure_modules_never_read_the_clock(module: str) -> None:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    calls = {
        ast.unparse(node.func) if isinstance(node.func.value, ast.Name) else node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }
    calls |= {name.rpartition(".")[2] for name in calls}
    assert calls & CLOCK_CALLS == set()


@pytest.mark.parametrize("module", sorted(m for m in MODULES if layer(m) == "storage"), ids=str)
def test_architecture_storage_knows_nothing_of_telegram(module: str) -> None:
    roots = {name.split(".")[0] for name in imports(MODULES[module])}
    assert roots & {"telegram", "handlers"} == set()


@pytest.mark.parametrize("module", sorted(m for m in MODULES if layer(m) == "handlers"), ids=str)
def test_architecture_handlers_write_no_sql(module: str) -> None:
    roots = {name.split(".")[0] for name in imports(MODULES[module])}
    assert roots & {"sqlite3", "sqlite_utils"} == set()


NUMERIC = {"numpy", "scipy", "sklearn"}
"""A quarter of a second to import: only ``bot.ranking`` may, and only lazily from storage."""


@pytest.mark.parametrize("module", sorted(m for m in MODULES if layer(m) != "ranking"), ids=str)
def test_architecture_only_ranking_imports_numpy_scipy_and_sklearn(module: str) -> None:
    roots = {name.split(".")[0] for name in imports(MODULES[module])}
    assert roots & NUMERIC == set()


def top_level_imports(path: Path) -> Iterator[str]:
    """What importing ``path`` imports at once: its module-level imports but those made only
    for the type checker (``if TYPE_CHECKING:``)."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


@pytest.mark.parametrize("module", sorted(m for m in MODULES if layer(m) != "ranking"), ids=str)
def test_architecture_ranking_is_imported_only_inside_functions(module: str) -> None:
    assert not any(name.startswith("bot.ranking") for name in top_level_imports(MODULES[module]))


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_architecture_finds_a_cycle_when_there_is_one() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(graph) == [["a", "b", "c"]]


def test_architecture_has_no_import_cycle() -> None:
    graph = {module: own_imports(module) for module in MODULES}
    assert import_cycles(graph) == []
