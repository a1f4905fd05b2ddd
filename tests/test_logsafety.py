"""No secret reaches a log line, in messages, arguments or tracebacks: the bot token, the
webhook secret, a source URL's password or query key."""

import io
import logging

import pytest

from bot.logsafety import REDACTED, redact_secrets
from bot.rules.redaction import HIDDEN, redact_urls

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcd"
WEBHOOK_SECRET = "wh-s3cret_value"


@pytest.fixture
def logged() -> io.StringIO:
    stream = io.StringIO()
    logger = logging.getLogger("test_logsafety")
    logger.handlers = [logging.StreamHandler(stream)]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    redact_secrets(TOKEN, [WEBHOOK_SECRET], logger)
    return stream


def test_redact_token_hides_it_in_messages_and_arguments(logged: io.StringIO) -> None:
    logger = logging.getLogger("test_logsafety")
    logger.info("POST http://127.0.0.1/bot%s/getMe", TOKEN)
    logger.warning(f"The token `{TOKEN}` was rejected by the server.")
    assert TOKEN not in logged.getvalue()
    assert logged.getvalue().count(REDACTED) == 2


def test_redact_token_hides_it_in_tracebacks(logged: io.StringIO) -> None:
    logger = logging.getLogger("test_logsafety")
    try:
        raise RuntimeError(f"bad url /bot{TOKEN}/sendMessage")
    except RuntimeError:
        logger.exception("failed")
    assert TOKEN not in logged.getvalue()
    assert "RuntimeError" in logged.getvalue()


def test_the_webhook_secret_and_source_credentials_never_reach_the_log(logged: io.StringIO) -> None:
    logger = logging.getLogger("test_logsafety")
    logger.debug("setWebhook {'secret_token': '%s'}", WEBHOOK_SECRET)
    logger.warning(
        "digest source %s failed: %s",
        "https://reader:pa55word@example.org/d/{date}.md?key=k3y&x=1",
        "https://reader:pa55word@example.org/d/2026-02-10.md?key=k3y: not found (404)",
    )
    text = logged.getvalue()
    for secret in (WEBHOOK_SECRET, "pa55word", "reader", "k3y"):
        assert secret not in text
    assert f"https://{HIDDEN}@example.org/d/{{date}}.md?key={HIDDEN}&x={HIDDEN}" in text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("no url here", "no url here"),
        ("see https://example.org/a/b.md.", "see https://example.org/a/b.md."),
        ("ftp://u@h/x", f"ftp://{HIDDEN}@h/x"),
        ("'http://h/x?a=1#frag'", f"'http://h/x?a={HIDDEN}#frag'"),
        ("/srv/digests/2026-02-10.md", "/srv/digests/2026-02-10.md"),
    ],
)
def test_redact_urls_keeps_what_is_not_a_credential(text: str, shown: str) -> None:
    assert redact_urls(text) == shown
