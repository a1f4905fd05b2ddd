"""Each subscription's private Atom feed: the token in its URL (mixed into ``Store``).

A feed's URL is its only secret, and the database (and every backup of it) must not give the
URLs away, so a token is stored only as its SHA-256 hash, which the feed's requests are looked
up by. ``/feed`` must still show a chat the same URL each time: the token is therefore not
kept but made again from a random 128-bit nonce stored beside the hash, with a key derived from
the bot token (``feed_key``). A copy of the database alone yields no feed URL; whoever also has
the bot token controls the bot anyway. Should the bot token change, the token made again no
longer matches its hash, and ``/feed`` gives the chat a new one (the old one keeps working until
then).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

import sqlite_utils

from bot.models import SubscriberKey
from storage.chats import thread_column, thread_value

FEED_TOKENS_SCHEMA = (
    """CREATE TABLE feed_tokens (
        chat_id INTEGER NOT NULL,
        thread_id INTEGER NOT NULL DEFAULT 0,
        token_hash TEXT NOT NULL UNIQUE,
        nonce TEXT NOT NULL,
        PRIMARY KEY (chat_id, thread_id)
    )""",
)
"""One token per chat and forum topic (``thread_id`` 0: the chat itself); ``token_hash`` is the
hex SHA-256 of the token, ``nonce`` the hex random bytes it is made from."""

TOKEN_BYTES = 16
"""128 bits: a token is 22 characters of URL-safe base64."""
TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")


def feed_key(bot_token: str) -> bytes:
    """The key feed tokens are made with, from the bot token (as ``CallbackCodec``'s is)."""
    return hashlib.sha256(b"digestbot-feed|" + bot_token.encode()).digest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _token(key: bytes, nonce: bytes) -> str:
    digest = hmac.new(key, nonce, hashlib.sha256).digest()[:TOKEN_BYTES]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class FeedTokensMixin:
    db: sqlite_utils.Database

    def feed_token(
        self, key: bytes, chat_id: int, *, thread_id: int | None = None, reset: bool = False
    ) -> str:
        """The token of the chat's (or its topic's) feed: the one it has, else a new one. With
        ``reset``, always a new one, and the old one stops working at once."""
        thread = thread_column(thread_id)
        if not reset:
            row = self.db.execute(
                "SELECT token_hash, nonce FROM feed_tokens WHERE chat_id = ? AND thread_id = ?",
                [chat_id, thread],
            ).fetchone()
            if row is not None:
                token = _token(key, bytes.fromhex(row[1]))
                if hmac.compare_digest(token_hash(token), row[0]):
                    return token
        nonce = secrets.token_bytes(TOKEN_BYTES)
        token = _token(key, nonce)
        self.db.execute(
            "INSERT INTO feed_tokens (chat_id, thread_id, token_hash, nonce) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (chat_id, thread_id) DO UPDATE SET"
            " token_hash = excluded.token_hash, nonce = excluded.nonce",
            [chat_id, thread, token_hash(token), nonce.hex()],
        )
        return token

    def has_feed(self, chat_id: int, *, thread_id: int | None = None) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM feed_tokens WHERE chat_id = ? AND thread_id = ?",
            [chat_id, thread_column(thread_id)],
        ).fetchone()
        return row is not None

    def feed_subscriber(self, token: str) -> SubscriberKey | None:
        """The chat and topic whose feed ``token`` opens; None for anything else (a revoked or
        unknown token, or text that is no token at all)."""
        if not TOKEN.fullmatch(token):
            return None
        row = self.db.execute(
            "SELECT chat_id, thread_id FROM feed_tokens WHERE token_hash = ?", [token_hash(token)]
        ).fetchone()
        return None if row is None else (row[0], thread_value(row[1]))
