"""The import graph stays one-way: pure core, storage without Telegram, handlers without SQL."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

IMPURE_BOT_MODULES = {
    "app",
    "cli",
    "cli_commands",
    "http_request",
    "ingest",
    "instance",
    "lifecycle",
    "polling",
    "ratelimit",
    "scheduler",
    "sender",
    "sources",
}
"""Modules of bot/ (and their ``<name>_*`` parts) allowed to do I/O; the rest must stay pure."""


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).glob("*.py"))


PURE = [
    p
    for p in modules("bot")
    if p.stem.split("_")[0] not in IMPURE_BOT_MODULES
    and p.stem not in IMPURE_BOT_MODULES
    and p.stem != "__init__"
]


@pytest.mark.parametrize("path", PURE, ids=lambda p: p.stem)
def test_pure_module_imports_no_io(path: Path) -> None:
    forbidden = {"telegram", "sqlite_utils", "sqlite3", "storage", "handlers", "httpx", "os"}
    assert imported_roots(path) & forbidden == set()


@pytest.mark.parametrize("path", modules("storage"), ids=lambda p: p.stem)
def test_storage_knows_nothing_of_telegram(path: Path) -> None:
    assert imported_roots(path) & {"telegram", "handlers"} == set()


@pytest.mark.parametrize("path", modules("handlers"), ids=lambda p: p.stem)
def test_handlers_write_no_sql(path: Path) -> None:
    assert imported_roots(path) & {"sqlite3", "sqlite_utils"} == set()
