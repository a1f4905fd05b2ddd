"""Keep secrets out of every log line: the bot token, the webhook secret, and the credentials a
digest source's URL may carry.

The token is part of every Bot API URL, which HTTP clients log (httpx at INFO, should anything
send Bot API requests through it), and python-telegram-bot puts it in the message of
``InvalidToken``; PTB logs request parameters (``secret_token`` among them) at DEBUG. A source
URL may hold a user and password (``https://user:pass@host/…``) or a key in its query, and the
poller logs the source it failed to read. A filter on the root handlers rewrites each record,
traceback included, before any handler formats it.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable

from bot.rules.redaction import HIDDEN, redact_urls

REDACTED = "<bot-token>"
"""What a bot token becomes; any other secret becomes ``HIDDEN``."""


class RedactingFilter(logging.Filter):
    def __init__(self, token: str | None, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._token = token
        self._secrets = tuple(s for s in secrets if s)

    def redact(self, text: str) -> str:
        if self._token:
            text = text.replace(self._token, REDACTED)
        for secret in self._secrets:
            text = text.replace(secret, HIDDEN)
        return redact_urls(text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        record.msg = self.redact(message)
        record.args = None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def redact_secrets(
    token: str | None, secrets: Iterable[str] = (), logger: logging.Logger | None = None
) -> RedactingFilter:
    """Install a redacting filter on every handler of ``logger`` (the root logger by default):
    ``token`` and ``secrets`` never appear, nor a URL's credentials."""
    target = logger or logging.getLogger()
    redactor = RedactingFilter(token, secrets)
    for handler in target.handlers:
        handler.addFilter(redactor)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return redactor
