"""Settings, read once from a mapping (the environment merged with ``.env``) into a frozen value."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

from bot.rules.filters import is_timezone
from bot.rules.source_specs import SourceSpecError, parse_source

_UPSTREAM_DATA = "https://raw.githubusercontent.com/dw-dengwei/daily-arXiv-ai-enhanced/data/data/"
UPSTREAM_SOURCES = (
    f"{_UPSTREAM_DATA}{{date}}_AI_enhanced_Chinese.jsonl | {_UPSTREAM_DATA}{{date}}.md",
)
"""The upstream project's published daily files: one source whose alternatives (`` | ``) are the
AI-enhanced JSONL and, when that is missing for a day, the Markdown digest."""

_TOKEN = re.compile(r"\d{1,20}:[A-Za-z0-9_-]{20,}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
"""What Telegram accepts as a webhook's ``secret_token``."""
_URL = re.compile(
    r"(?P<scheme>https?)://(?P<host>[^/:?#\s]+)(?::(?P<port>\d{1,5}))?(?P<path>/[^?#\s]*)?"
)
WEBHOOK_PORTS = frozenset({443, 80, 88, 8443})
"""The only ports Telegram posts webhook updates to."""
RESERVED_PATHS = ("/healthz", "/metrics", "/feed/")
"""Paths the bot's HTTP server serves itself; a webhook path cannot take them."""


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
    webhook_url: str | None = None
    """Public HTTPS URL Telegram posts updates to; unset, the bot polls."""
    webhook_listen: str = "127.0.0.1"
    """Address the bot's HTTP server listens on (webhook, health, metrics, feeds)."""
    webhook_port: int = 8080
    webhook_secret: str | None = field(default=None, repr=False)
    http_port: int | None = None
    """In polling mode, the port of the HTTP server (health, metrics, feeds); unset, none runs."""
    public_url: str | None = None
    """Where readers reach the HTTP server from outside, without a trailing slash (feed links)."""

    @property
    def server_port(self) -> int | None:
        """The port the bot's HTTP server listens on, or None when it runs none (0: any free)."""
        return self.webhook_port if self.webhook_url else self.http_port

    @property
    def webhook_path(self) -> str:
        """The path of ``webhook_url``: where the HTTP server takes Telegram's posts."""
        match = _URL.fullmatch(self.webhook_url or "")
        return (match and match["path"]) or "/"

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
    webhook_url = _webhook_url(get("WEBHOOK_URL"))
    webhook_secret = _webhook_secret(get("WEBHOOK_SECRET"), required=webhook_url is not None)
    return Settings(
        db_path=Path(get("DIGESTBOT_DB") or "digestbot.db"),
        telegram_bot_token=token,
        telegram_base_url=base_url,
        digest_sources=_sources(sources) if sources else UPSTREAM_SOURCES,
        poll_seconds=_poll_seconds(get("DIGEST_POLL_SECONDS")),
        admin_ids=_admin_ids(get("ADMIN_IDS")),
        default_timezone=_timezone(get("DEFAULT_TIMEZONE") or "UTC"),
        messages_per_second=_messages_per_second(get("DELIVERY_MESSAGES_PER_SECOND")),
        webhook_url=webhook_url,
        webhook_listen=_listen(get("WEBHOOK_LISTEN") or "127.0.0.1"),
        webhook_port=_port("WEBHOOK_PORT", get("WEBHOOK_PORT"), default=8080),
        webhook_secret=webhook_secret,
        http_port=_port("HTTP_PORT", get("HTTP_PORT"), default=None),
        public_url=_public_url(get("PUBLIC_URL")),
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


def _webhook_url(value: str | None) -> str | None:
    if value is None:
        return None
    match = _URL.fullmatch(value)
    if match is None or match["scheme"] != "https":
        raise ConfigError(
            "WEBHOOK_URL must be a public https:// URL, e.g. https://bot.example.org/telegram."
        )
    if match["port"] is not None and int(match["port"]) not in WEBHOOK_PORTS:
        raise ConfigError(
            "WEBHOOK_URL may name only the port 443, 80, 88 or 8443: Telegram posts to no other."
        )
    path = match["path"] or "/"
    if any(path == p.rstrip("/") or path.startswith(p) for p in RESERVED_PATHS):
        raise ConfigError(
            f"WEBHOOK_URL cannot end in {path}: the bot serves that path itself; "
            "use another, e.g. /telegram."
        )
    return value


def _webhook_secret(value: str | None, *, required: bool) -> str | None:
    if value is None:
        if required:
            raise ConfigError(
                "WEBHOOK_SECRET is not set: webhook mode needs a secret of 1-256 letters, "
                "digits, '_' or '-' (e.g. from `openssl rand -hex 32`)."
            )
        return None
    if not _SECRET.fullmatch(value):
        raise ConfigError("WEBHOOK_SECRET must be 1-256 characters, each a letter, digit, _ or -.")
    return value


def _listen(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9.:_-]+", value):
        raise ConfigError(
            "WEBHOOK_LISTEN must be an address to listen on, e.g. 127.0.0.1, 0.0.0.0 or ::."
        )
    return value


@overload
def _port(name: str, value: str | None, *, default: int) -> int: ...
@overload
def _port(name: str, value: str | None, *, default: None) -> int | None: ...
def _port(name: str, value: str | None, *, default: int | None) -> int | None:
    if value is None:
        return default
    if not value.isdigit() or not 0 <= int(value) <= 65_535:
        raise ConfigError(f"{name} must be a port number from 1 to 65535 (0: any free port).")
    return int(value)


def _public_url(value: str | None) -> str | None:
    if value is None:
        return None
    if _URL.fullmatch(value) is None:
        raise ConfigError(
            "PUBLIC_URL must be the http(s):// address readers reach the bot's HTTP server at, "
            "e.g. https://bot.example.org."
        )
    return value.rstrip("/")
