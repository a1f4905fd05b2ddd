"""The bot token never reaches a log line, in messages, arguments or tracebacks."""

import io
import logging

import pytest

from bot.logsafety import REDACTED, redact_token

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcd"


@pytest.fixture
def logged() -> io.StringIO:
    stream = io.StringIO()
    logger = logging.getLogger("test_logsafety")
    logger.handlers = [logging.StreamHandler(stream)]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    redact_token(TOKEN, logger)
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
