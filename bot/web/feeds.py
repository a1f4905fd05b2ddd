"""``GET /feed/<token>.atom``: a subscription's private Atom feed, with ETag, Last-Modified, 304.

A feed is built in a worker thread of its own, on a store it keeps open there: it reads two
weeks of digests (kept indexed between polls, ``storage.atom_feed``) and may store the rows
the chat's model scores papers with, which a read-only reader of ``ReadPool`` could not. One
thread serves every feed in turn; a poll that finds the digests unchanged costs a few
milliseconds. Nothing here logs a path or a token: the token is the feed's only secret.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hashlib
import logging
import sqlite3
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from aiohttp import web

from bot.locales import SOURCE_LANGUAGE, locale
from bot.rules.summaries import in_language, reading
from bot.text import messages
from bot.text.atom import FeedHead, atom_feed, feed_subtitle, feed_title
from handlers.context import BotApplication, Services
from storage.atom_feed import FeedContent, FeedMatches, feed_content
from storage.feed_tokens import TOKEN, token_hash
from storage.store import Store

log = logging.getLogger(__name__)

REMEMBERED = 10_000
"""Feeds whose last body and its first serving are remembered, for ``Last-Modified``."""
HEADERS = {"Cache-Control": "private, max-age=600", "X-Robots-Tag": "noindex"}
"""A feed is one reader's: no shared cache keeps it, no search engine lists it."""
NOT_FOUND = "404: no such feed\n"
"""The same answer for every token that opens nothing, revoked, unknown or malformed."""


class FeedServer:
    """Serve the feeds of ``services``' store."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feeds")
        self._store: Store | None = None
        self._matches = FeedMatches()
        self._served: OrderedDict[str, tuple[str, dt.datetime]] = OrderedDict()

    async def handle(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        token = name.removesuffix(".atom")
        if token == name or not TOKEN.fullmatch(token):
            return web.Response(status=404, text=NOT_FOUND)
        loop = asyncio.get_running_loop()
        try:
            body = await loop.run_in_executor(self._executor, self._build, token)
        except sqlite3.OperationalError as exc:  # the database is busy or locked: try later
            log.warning("a feed could not be read from the database (%s)", exc)
            busy = "503: the feed is busy; try again in a minute\n"
            return web.Response(status=503, text=busy, headers={"Retry-After": "60"})
        if body is None:
            return web.Response(status=404, text=NOT_FOUND)
        etag = hashlib.sha256(body).hexdigest()[:32]
        modified = self._modified(token_hash(token), etag)
        if _unchanged(request, etag, modified):
            response = web.Response(status=304, headers=HEADERS)
        else:
            response = web.Response(
                body=body, content_type="application/atom+xml", charset="utf-8", headers=HEADERS
            )
        response.etag = etag
        response.last_modified = modified
        return response

    def _build(self, token: str) -> bytes | None:
        """The feed's body, or None when ``token`` opens none (in the worker thread)."""
        settings = self._services.settings
        if self._store is None:
            self._store = Store.open(settings.db_path)
        content = feed_content(
            self._store,
            token,
            matches=self._matches,
            default_timezone=settings.default_timezone,
        )
        if content is None:
            return None
        self_url = f"{settings.public_url}/feed/{token}.atom" if settings.public_url else None
        return render(content, feed_id=feed_id(token), self_url=self_url)

    def _modified(self, key: str, etag: str) -> dt.datetime:
        """When this feed's body was first served as it is now (by this process)."""
        known = self._served.pop(key, None)
        if known is None or known[0] != etag:
            known = (etag, self._services.now().replace(microsecond=0))
        self._served[key] = known
        if len(self._served) > REMEMBERED:
            self._served.popitem(last=False)
        return known[1]

    async def close(self, _: web.Application) -> None:
        """Close the worker's store in its thread, then the thread."""
        await asyncio.get_running_loop().run_in_executor(self._executor, self._close_store)
        self._executor.shutdown(wait=True)

    def _close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def render(content: FeedContent, *, feed_id: str, self_url: str | None) -> bytes:
    """The feed in its chat's language, each AI summary in the language the chat reads."""
    sub = content.sub
    tr = locale(sub.language or SOURCE_LANGUAGE)
    wanted, said = reading(sub.summaries, tr.code)
    note = partial(messages.fallback_note, tr=tr) if said else None
    items = [
        dataclasses.replace(item, paper=in_language(item.paper, wanted, note=note))
        for item in content.items
    ]
    head = FeedHead(
        id=feed_id,
        title=feed_title(sub, tr=tr),
        subtitle=feed_subtitle(tr=tr),
        updated=content.newest,
        self_url=self_url,
    )
    return atom_feed(head, items, tr=tr)


def feed_id(token: str) -> str:
    """The feed's Atom id: stable for as long as its token, and telling nothing of it."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"digestbot-feed:{token_hash(token)}").urn


def _unchanged(request: web.Request, etag: str, modified: dt.datetime) -> bool:
    """Whether the reader's copy is current: by If-None-Match when sent (weak comparison),
    else by If-Modified-Since (RFC 9110, 13.2.2)."""
    copies = request.if_none_match
    if copies is not None:
        return any(copy.value in (etag, "*") for copy in copies)
    since = request.if_modified_since
    return since is not None and modified <= since


def add_routes(web_app: web.Application, application: BotApplication) -> None:
    """Serve ``/feed/<token>.atom``; the worker thread and its store end with the server."""
    server = FeedServer(application.bot_data)
    web_app.router.add_get("/feed/{name}", server.handle)
    web_app.on_cleanup.append(server.close)
