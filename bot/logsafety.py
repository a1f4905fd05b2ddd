"""Keep the bot token out of every log line.

The token is part of every Bot API URL, which HTTP clients log (httpx at INFO, should anything
send Bot API requests through it), and python-telegram-bot puts it in the message of
``InvalidToken``. A filter on the root handlers rewrites each record, traceback
included, before any handler formats it.
"""

from __future__ import annotations

import logging
import traceback

REDACTED = "<bot-token>"


class RedactingFilter(logging.Filter):
    def __init__(self, secret: str) -> None:
        super().__init__()
        self._secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        record.msg = message.replace(self._secret, REDACTED)
        record.args = None
        if record.exc_text:
            record.exc_text = record.exc_text.replace(self._secret, REDACTED)
        if record.stack_info:
            record.stack_info = record.stack_info.replace(self._secret, REDACTED)
        return True


def redact_token(token: str, logger: logging.Logger | None = None) -> RedactingFilter:
    """Install a redacting filter on every handler of ``logger`` (the root logger by default)."""
    target = logger or logging.getLogger()
    redactor = RedactingFilter(token)
    for handler in target.handlers:
        handler.addFilter(redactor)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return redactor
