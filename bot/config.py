"""Settings, read once from a mapping (the environment merged with ``.env``) into a frozen value."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.rules.filters import is_timezone
from bot.rules.source_specs import SourceSpecError, parse_source

_UPSTREAM_DATA = "https://raw.githubusercontent.com/dw-dengwei/daily-arXiv-ai-enhanced/data/data/"
UPSTREAM_SOURCES = (
    f"{_UPSTREAM_DATA}{{date}}_AI_enhanced_Chinese.jsonl | {_UPSTREAM_DATA}{{date}}.md",
)
"""The upstream project's published daily files: one source whose alternatives (`` | ``) are the
AI-enhanced JSONL and, when that is missing for a day, the Markdown digest."""

_TOKEN = re.compile(r"\d{1,20}:[A-Za-z0-9_-]{20,}")


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names it and says what is accepted."""


@dataclass(frozen=True, slots=True)
class Settings:
    db_path: Path = Path("digestbot.db")
    telegram_bot_token: str | None = field(default=None, repr=False)
    telegram_base_url: str | None = None
    digest_sources: tuple[str, ...] = UPSTREAM_SOURCES
    poll_seconds: int = 900
    admin_ids: frozenset[int] = frozenset()
    default_timezone: str = "UTC"
    messages_per_second: int = 30
    """The overall send budget; Telegram allows more to bots with paid broadcasts."""

    def require_token(self) -> str:
        """The bot token, or a ConfigError saying how to provide it."""
        if not self.telegram_bot_token:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: put the token @BotFather gave you in the "
                "environment or in .env."
            )
        return self.telegram_bot_token


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Build Settings from ``environ``; unset or empty values take their defaults."""

    def get(name: str) -> str | None:
        value = environ.get(name, "").strip()
        return value or None

    token = get("TELEGRAM_BOT_TOKEN")
    if token is not None and not _TOKEN.fullmatch(token):
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then at least "
            "20 letters, digits, '_' or '-')."
        )
    base_url = get("TELEGRAM_BASE_URL")
    if base_url is not None and not re.match(r"https?://", base_url):
        raise ConfigError(
            "TELEGRAM_BASE_URL must start with http:// or https://, e.g. http://127.0.0.1:8081/bot."
        )
    sources = get("DIGEST_SOURCES")
    return Settings(
        db_path=Path(get("DIGESTBOT_DB") or "digestbot.db"),
        telegram_bot_token=token,
        telegram_base_url=base_url,
        digest_sources=_sources(sources) if sources else UPSTREAM_SOURCES,
        poll_seconds=_poll_seconds(get("DIGEST_POLL_SECONDS")),
        admin_ids=_admin_ids(get("ADMIN_IDS")),
        default_timezone=_timezone(get("DEFAULT_TIMEZONE") or "UTC"),
        messages_per_second=_messages_per_second(get("DELIVERY_MESSAGES_PER_SECOND")),
    )


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _sources(value: str) -> tuple[str, ...]:
    entries = _split(value)
    for entry in entries:
        try:
            parse_source(entry)
        except SourceSpecError as exc:
            raise ConfigError(f"DIGEST_SOURCES: {exc}") from None
    return entries


def _poll_seconds(value: str | None) -> int:
    if value is None:
        return 900
    if not value.isdigit() or not 10 <= int(value) <= 86_400:
        raise ConfigError("DIGEST_POLL_SECONDS must be a whole number of seconds from 10 to 86400.")
    return int(value)


def _messages_per_second(value: str | None) -> int:
    if value is None:
        return 30
    if not value.isdigit() or not 1 <= int(value) <= 1000:
        raise ConfigError(
            "DELIVERY_MESSAGES_PER_SECOND must be a whole number from 1 to 1000 (30 unless the "
            "bot pays for broadcasts)."
        )
    return int(value)


def _admin_ids(value: str | None) -> frozenset[int]:
    if value is None:
        return frozenset()
    parts = _split(value)
    if not all(re.fullmatch(r"-?\d{1,20}", part) for part in parts):
        raise ConfigError(
            "ADMIN_IDS must be Telegram user ids separated by commas, e.g. 12345678,87654321."
        )
    return frozenset(int(part) for part in parts)


def _timezone(name: str) -> str:
    if not is_timezone(name):
        raise ConfigError(
            f"DEFAULT_TIMEZONE {name!r} is not an IANA time zone name such as UTC or Europe/Berlin."
        )
    return name
