"""The README and .env.example tell the truth about the commands and settings that exist."""

import re
from pathlib import Path

import pytest

from bot.cli import build_parser
from bot.text.language import ENGLISH
from handlers.registry import COMMANDS, Command

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ENV_EXAMPLE = (ROOT / ".env.example").read_text(encoding="utf-8")
SETTINGS = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_BASE_URL",
    "DIGESTBOT_DB",
    "DIGEST_SOURCES",
    "DIGEST_POLL_SECONDS",
    "ADMIN_IDS",
    "DEFAULT_TIMEZONE",
    "DELIVERY_MESSAGES_PER_SECOND",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "WEBHOOK_LISTEN",
    "WEBHOOK_PORT",
    "HTTP_PORT",
    "PUBLIC_URL",
)


def cli_commands() -> list[str]:
    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    return sorted(subparsers.choices)  # type: ignore[arg-type]


@pytest.mark.parametrize("command", cli_commands())
def test_readme_documents_every_cli_command(command: str) -> None:
    assert f"digestbot {command}" in README


@pytest.mark.parametrize("setting", SETTINGS)
def test_every_setting_is_documented_with_a_comment(setting: str) -> None:
    assert f"`{setting}`" in README
    line = re.search(rf"^(.*)\n{setting}=", ENV_EXAMPLE, re.MULTILINE)
    assert line is not None
    assert line.group(1).startswith("# ")


def test_env_example_lists_only_known_settings() -> None:
    names = re.findall(r"^([A-Z_]+)=", ENV_EXAMPLE, re.MULTILINE)
    assert sorted(names) == sorted(SETTINGS)


def test_ci_runs_the_readme_test_command() -> None:
    command = re.search(r"Pass the tests:\n\n```sh\n(.+)\n```", README)
    assert command is not None
    assert command.group(1) in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_readme_lists_every_chat_command_as_the_table_says(command: Command) -> None:
    names = " ".join(f"`/{name}`" for name in (command.name, *command.aliases))
    assert f"| {names} | {command.describe(ENGLISH)}" in README


def readme_map() -> str:
    built = README.split("## How it is built", 1)[1]
    return built.split("```", 2)[1]


def test_readme_map_names_every_package_and_wiring_module_of_bot() -> None:
    """The map of "How it is built" lists each folder of bot/ and each module at its top."""
    listed = set(re.findall(r"^\s{2}(\w+)(?:/|\.py)", readme_map(), re.MULTILINE))
    packages = {p.name for p in (ROOT / "bot").iterdir() if (p / "__init__.py").exists()}
    wiring = {p.stem for p in (ROOT / "bot").glob("*.py") if p.stem != "__init__"}
    assert listed == packages | wiring


def test_readme_map_names_only_modules_that_exist_in_each_package() -> None:
    for package, body in re.findall(r"^\s{2}(\w+)/\s+[\w/]+\s+(.*?)(?=^\s{2}\w|^\S)", readme_map(),
                                    re.MULTILINE | re.DOTALL):  # fmt: skip
        modules = {p.stem for p in (ROOT / "bot" / package).glob("*.py")} - {"__init__"}
        named = {m for m in re.findall(r"\b([a-z_]+)\b", body) if m in modules}
        assert named == modules, package
