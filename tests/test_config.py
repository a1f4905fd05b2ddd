"""Settings come from a mapping; a malformed value stops start-up with one clear sentence."""

from pathlib import Path

import pytest

from bot.config import UPSTREAM_SOURCES, ConfigError, Settings, load_settings

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcd"


def test_load_settings_defaults_when_nothing_is_set() -> None:
    settings = load_settings({})
    assert settings == Settings()
    assert settings.db_path == Path("digestbot.db")
    assert settings.digest_sources == UPSTREAM_SOURCES
    assert settings.poll_seconds == 900
    assert settings.default_timezone == "UTC"


def test_default_source_is_the_upstream_jsonl_falling_back_to_the_markdown() -> None:
    assert Settings().digest_sources == (
        "https://raw.githubusercontent.com/dw-dengwei/daily-arXiv-ai-enhanced/data/data/"
        "{date}_AI_enhanced_Chinese.jsonl"
        " | https://raw.githubusercontent.com/dw-dengwei/daily-arXiv-ai-enhanced/data/data/"
        "{date}.md",
    )


def test_load_settings_reads_every_setting() -> None:
    settings = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot",
            "DIGESTBOT_DB": "/tmp/x.db",
            "DIGEST_SOURCES": " /data , https://example.org/{date}.md ,",
            "DIGEST_POLL_SECONDS": "60",
            "ADMIN_IDS": "1, 22",
            "DEFAULT_TIMEZONE": "Asia/Shanghai",
            "DELIVERY_MESSAGES_PER_SECOND": "100",
        }
    )
    assert settings.telegram_bot_token == TOKEN
    assert settings.telegram_base_url == "http://127.0.0.1:8081/bot"
    assert settings.db_path == Path("/tmp/x.db")
    assert settings.digest_sources == ("/data", "https://example.org/{date}.md")
    assert settings.poll_seconds == 60
    assert settings.admin_ids == frozenset({1, 22})
    assert settings.default_timezone == "Asia/Shanghai"
    assert settings.messages_per_second == 100


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TELEGRAM_BOT_TOKEN", "not-a-token", "does not look like a bot token"),
        ("TELEGRAM_BASE_URL", "127.0.0.1:8081", "must start with http"),
        ("DIGEST_POLL_SECONDS", "often", "whole number of seconds"),
        ("DIGEST_POLL_SECONDS", "1", "whole number of seconds"),
        ("ADMIN_IDS", "alice", "Telegram user ids"),
        ("DELIVERY_MESSAGES_PER_SECOND", "0", "whole number from 1 to 1000"),
        ("DIGEST_SOURCES", "https://x/{date}.md | https://x/latest.md", "every alternative"),
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "IANA time zone"),
        ("DEFAULT_TIMEZONE", "Europe", "IANA time zone"),
        ("DEFAULT_TIMEZONE", "../../etc/passwd", "IANA time zone"),
        ("DEFAULT_TIMEZONE", "localtime", "IANA time zone"),
        ("DEFAULT_TIMEZONE", "Factory", "IANA time zone"),
        ("DEFAULT_TIMEZONE", "posixrules", "IANA time zone"),
        ("DEFAULT_TIMEZONE", "right/UTC", "IANA time zone"),
        ("DEFAULT_TIMEZONE", "europe/berlin", "IANA time zone"),
        ("WEBHOOK_URL", "http://bot.example.org/telegram", "https://"),
        ("WEBHOOK_URL", "bot.example.org", "https://"),
        ("WEBHOOK_URL", "https://bot.example.org:8080/telegram", "443, 80, 88 or 8443"),
        ("WEBHOOK_URL", "https://bot.example.org/healthz", "serves that path itself"),
        ("WEBHOOK_URL", "https://bot.example.org/feed/x", "serves that path itself"),
        ("WEBHOOK_SECRET", "has space", "1-256 characters"),
        ("WEBHOOK_SECRET", "x" * 257, "1-256 characters"),
        ("WEBHOOK_SECRET", "ключ", "1-256 characters"),
        ("WEBHOOK_PORT", "65536", "port number"),
        ("WEBHOOK_PORT", "http", "port number"),
        ("WEBHOOK_LISTEN", "local host", "address to listen on"),
        ("HTTP_PORT", "-1", "port number"),
        ("PUBLIC_URL", "bot.example.org", "http(s)://"),
    ],
)
def test_load_settings_rejects_malformed_value(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        load_settings({name: value})
    assert name in str(caught.value)


def test_require_token_says_how_to_set_it() -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN is not set"):
        Settings().require_token()


def test_settings_repr_never_shows_the_token() -> None:
    assert TOKEN not in repr(load_settings({"TELEGRAM_BOT_TOKEN": TOKEN}))


def test_settings_is_frozen() -> None:
    with pytest.raises(AttributeError):
        Settings().poll_seconds = 1  # type: ignore[misc]


def test_webhook_settings_are_read_and_the_secret_never_shown() -> None:
    settings = load_settings(
        {
            "WEBHOOK_URL": "https://bot.example.org:8443/telegram/hook",
            "WEBHOOK_SECRET": "s3cret_-value",
            "WEBHOOK_LISTEN": "0.0.0.0",
            "WEBHOOK_PORT": "9000",
            "PUBLIC_URL": "https://bot.example.org/",
        }
    )
    assert settings.webhook_url == "https://bot.example.org:8443/telegram/hook"
    assert settings.webhook_path == "/telegram/hook"
    assert (settings.webhook_listen, settings.server_port) == ("0.0.0.0", 9000)
    assert settings.public_url == "https://bot.example.org"
    assert "s3cret_-value" not in repr(settings)


def test_webhook_mode_needs_a_secret() -> None:
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET is not set"):
        load_settings({"WEBHOOK_URL": "https://bot.example.org/telegram"})


def test_the_http_server_runs_in_polling_mode_only_with_http_port() -> None:
    assert load_settings({}).server_port is None
    assert load_settings({"HTTP_PORT": "0"}).server_port == 0
    assert load_settings({"WEBHOOK_PORT": "0"}).webhook_port == 0
    webhook = {"WEBHOOK_URL": "https://bot.example.org", "WEBHOOK_SECRET": "s"}
    assert load_settings(webhook).server_port == 8080
    assert load_settings(webhook).webhook_path == "/"
