"""Button payloads that the bot can recognise as its own (pure).

Telegram hands ``callback_data`` back verbatim, and any client can send any bytes as a button
press. Each payload therefore carries a short HMAC over the chat id and its fields: a forged or
altered press, or one copied from another chat, fails to decode and changes nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

MAX_BYTES = 64
"""Telegram's limit for ``callback_data``."""
_SEPARATOR = "|"
_SIGNATURE_CHARS = 10


class CallbackTooLongError(ValueError):
    """A payload would not fit in Telegram's 64 bytes (a bug: payloads must hold ids, not text)."""


class CallbackCodec:
    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    def for_token(cls, token: str) -> CallbackCodec:
        """A codec keyed by the bot token, so signatures survive restarts and stay secret."""
        return cls(hashlib.sha256(b"digestbot-callback|" + token.encode()).digest())

    def _sign(self, chat_id: int, payload: str) -> str:
        # surrogatepass: a forged payload may hold lone surrogates (JSON can carry them).
        message = f"{chat_id}{_SEPARATOR}{payload}".encode("utf-8", "surrogatepass")
        mac = hmac.new(self._key, message, hashlib.sha256)
        return base64.urlsafe_b64encode(mac.digest()).decode()[:_SIGNATURE_CHARS]

    def encode(self, chat_id: int, *fields: str) -> str:
        if any(_SEPARATOR in field for field in fields):
            raise ValueError(f"a callback field may not contain {_SEPARATOR!r}: {fields!r}")
        payload = _SEPARATOR.join(fields)
        data = f"{payload}{_SEPARATOR}{self._sign(chat_id, payload)}"
        if len(data.encode()) > MAX_BYTES:
            raise CallbackTooLongError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data

    def decode(self, chat_id: int, data: str | None) -> tuple[str, ...] | None:
        """The fields of a payload this codec made for ``chat_id``, or None for anything else."""
        if not data or _SEPARATOR not in data:
            return None
        payload, _, signature = data.rpartition(_SEPARATOR)
        # compare_digest raises TypeError on a str that is not ASCII; ours always is.
        if not signature.isascii() or not hmac.compare_digest(
            signature, self._sign(chat_id, payload)
        ):
            return None
        return tuple(payload.split(_SEPARATOR))
