"""End to end: /feed through the fake Bot API, and the feed it gives over real HTTP on 127.0.0.1
(the server ``build_server`` makes), read by feedparser."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import feedparser
import pytest
from botharness import BotHarness, Clock, running_bot, write_digest
from fakebotapi import FakeBotApi

from bot.delivery.ingest import ingest_raw
from bot.delivery.sources import read_input
from bot.models import Paper, Subscription, Summary
from bot.rules.atom import FeedItem
from bot.text import atom, messages
from bot.web.feeds import NOT_FOUND, feed_id, render
from bot.web.server import WebServer, build_server
from storage.atom_feed import FeedContent
from storage.store import Store

T0 = dt.datetime(2026, 1, 11, 9, 0, tzinfo=dt.UTC)
PUBLIC = "https://feeds.example.org/lab"
READER, STRANGER = 5150, 5151
LAB, ADMIN_USER, MEMBER_USER = -1009001, 31, 32
URL = re.compile(re.escape(PUBLIC) + r"/feed/([A-Za-z0-9_-]{22})\.atom")

JAN_9 = [
    {"id": "2601.09001", "title": "Pruning graph neural networks", "category": "cs.LG",
     "authors": "Ada Quill,Bo Lindqvist", "tldr": "Prune GNNs <fast> & well."},
    {"id": "2601.09002", "title": "Galaxy clusters at high redshift", "category": "astro-ph.GA"},
    {"id": "2601.09003", "title": "A survey of pruning", "category": "cs.LG"},
]  # fmt: skip
JAN_10 = [
    {"id": "2601.10001", "title": "Pruning diffusion models", "category": "cs.CV"},
    {"id": "2601.10002", "title": "A scheduler for sparse training", "category": "cs.DC"},
]


def store_digests(db_path: Path, tmp_path: Path) -> None:
    """Two days of digests, stored as an ingest from the command line (nothing is delivered)."""
    store = Store.open(db_path)
    try:
        for name, papers in (("2026-01-09.md", JAN_9), ("2026-01-10.md", JAN_10)):
            raw = read_input(str(write_digest(tmp_path / name, papers)))
            ingest_raw(store, raw, now=T0)
    finally:
        store.close()


class Feeds:
    """The bot, its HTTP server, and a client for it."""

    def __init__(self, bot: BotHarness, server: WebServer, http: aiohttp.ClientSession) -> None:
        self.bot, self.server, self.http = bot, server, http

    def local(self, token: str) -> str:
        return f"http://127.0.0.1:{self.server.port}/feed/{token}.atom"

    async def token(self, chat_id: int, text: str = "/feed", **kwargs: object) -> str:
        reply = await self.bot.ask(chat_id, text, **kwargs)
        found = URL.search(reply["text"])
        assert found is not None, reply["text"]
        return found.group(1)

    async def get(self, token: str, **headers: str) -> aiohttp.ClientResponse:
        async with self.http.get(self.local(token), headers=headers) as response:
            await response.read()
            return response

    async def feed(self, token: str) -> feedparser.FeedParserDict:
        async with self.http.get(self.local(token)) as response:
            assert response.status == 200
            assert response.content_type == "application/atom+xml"
            parsed = feedparser.parse(await response.read())
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        return parsed


@pytest.fixture
async def feeds(fake: FakeBotApi, tmp_path: Path) -> AsyncIterator[Feeds]:
    db_path = tmp_path / "bot.db"
    store_digests(db_path, tmp_path)
    async with running_bot(
        fake, db_path, clock=Clock(T0), public_url=PUBLIC, http_port=0, webhook_listen="127.0.0.1"
    ) as bot:
        server = build_server(bot.app)
        assert server is not None
        await server.start()
        try:
            async with aiohttp.ClientSession() as http:
                yield Feeds(bot, server, http)
        finally:
            await server.stop()


def subscribe(bot: BotHarness, chat_id: int, **settings: object) -> None:
    bot.store.save_subscription(Subscription(chat_id, active=True, **settings))  # type: ignore[arg-type]


async def test_feed_serves_the_chats_matches_as_valid_atom(feeds: Feeds) -> None:
    subscribe(feeds.bot, READER, keywords=("pruning",), excludes=("survey",))
    parsed = await feeds.feed(await feeds.token(READER))
    assert parsed.feed.title == "arXiv digests: pruning"
    assert parsed.feed.updated == "2026-01-10T00:00:00Z"
    assert [(e.title, e.updated) for e in parsed.entries] == [
        ("Pruning diffusion models", "2026-01-10T00:00:00Z"),
        ("Pruning graph neural networks", "2026-01-09T00:00:00Z"),
    ]
    entry = parsed.entries[1]
    assert entry.id == entry.link == "https://arxiv.org/abs/2601.09001"
    assert [a.name for a in entry.authors] == ["Ada Quill", "Bo Lindqvist"]
    assert [t.term for t in entry.tags] == ["cs.LG"]
    assert "<b>TL;DR:</b> Prune GNNs &lt;fast&gt; &amp; well." in entry.content[0].value
    assert parsed.feed.links[0].href.startswith(f"{PUBLIC}/feed/")


async def test_feed_is_the_same_link_each_time_and_answers_304_when_unchanged(
    feeds: Feeds,
) -> None:
    subscribe(feeds.bot, READER, keywords=("pruning",))
    token = await feeds.token(READER)
    assert await feeds.token(READER) == token
    first = await feeds.get(token)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert first.headers["Cache-Control"] == "private, max-age=600"
    assert (await feeds.get(token, **{"If-None-Match": etag})).status == 304
    assert (await feeds.get(token, **{"If-None-Match": f'"other", W/{etag}'})).status == 304
    assert (await feeds.get(token, **{"If-Modified-Since": modified})).status == 304
    assert (await feeds.get(token, **{"If-None-Match": '"other"'})).status == 200
    subscribe(feeds.bot, READER, keywords=("galaxy",))
    changed = await feeds.get(token, **{"If-None-Match": etag, "If-Modified-Since": modified})
    assert changed.status == 200
    assert changed.headers["ETag"] != etag


async def test_reset_revokes_the_old_link_and_unknown_links_say_nothing(feeds: Feeds) -> None:
    subscribe(feeds.bot, READER)
    old = await feeds.token(READER)
    reply = await feeds.bot.ask(READER, "/feed reset")
    assert reply["text"].startswith("A new feed link for this subscription;")
    new = await feeds.token(READER)
    assert new != old
    for token in (old, "A" * 22):
        gone = await feeds.get(token)
        assert (gone.status, await gone.text()) == (404, NOT_FOUND)
    for path in ("/feed/short.atom", f"/feed/{new}", f"/feed/{new}.rss", "/feed/"):
        async with feeds.http.get(f"http://127.0.0.1:{feeds.server.port}{path}") as response:
            assert response.status == 404
    assert len((await feeds.feed(new)).entries) == 5


async def test_feed_without_public_url_tells_the_reader_to_ask_the_operator(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    async with running_bot(fake, tmp_path / "bot.db", http_port=0) as bot:
        subscribe(bot, READER)
        reply = await bot.ask(READER, "/feed")
    assert reply["text"] == atom.FEEDS_OFF
    assert "PUBLIC_URL" in reply["text"]


async def test_feed_without_a_subscription_says_so(feeds: Feeds) -> None:
    reply = await feeds.bot.ask(STRANGER, "/feed")
    assert reply["text"] == atom.NO_SUBSCRIPTION
    assert not feeds.bot.store.has_feed(STRANGER)


async def test_feed_with_a_wrong_argument_shows_its_usage(feeds: Feeds) -> None:
    reply = await feeds.bot.ask(READER, "/feed please")
    assert reply["text"].startswith("Usage: /feed [reset]")


async def test_in_a_group_members_get_the_link_and_only_admins_reset_it(feeds: Feeds) -> None:
    feeds.bot.fake.add_chat(LAB, chat_type="supergroup", title="Lab")
    feeds.bot.fake.set_admins(LAB, ADMIN_USER)
    subscribe(feeds.bot, LAB)
    token = await feeds.token(LAB, user_id=MEMBER_USER)
    refused = await feeds.bot.ask(LAB, "/feed reset", user_id=MEMBER_USER)
    assert refused["text"] == atom.FEED_ADMINS_ONLY
    assert (await feeds.get(token)).status == 200
    new = await feeds.token(LAB, "/feed reset", user_id=ADMIN_USER)
    assert (await feeds.get(token)).status == 404
    assert (await feeds.get(new)).status == 200


async def test_a_forum_topic_has_a_feed_of_its_own(feeds: Feeds) -> None:
    feeds.bot.fake.add_chat(LAB, chat_type="supergroup", title="Lab")
    feeds.bot.fake.set_admins(LAB, ADMIN_USER)
    systems = feeds.bot.fake.add_topic(LAB)
    subscribe(feeds.bot, LAB, keywords=("pruning",))
    subscribe(feeds.bot, LAB, categories=frozenset({"cs.DC"}), thread_id=systems)
    reply = await feeds.bot.ask(LAB, "/feed", user_id=MEMBER_USER, topic=systems)
    assert reply["message_thread_id"] == systems
    topic_token = URL.search(reply["text"]).group(1)  # type: ignore[union-attr]
    general_token = await feeds.token(LAB, user_id=MEMBER_USER)
    assert topic_token != general_token
    topic_feed, general_feed = await feeds.feed(topic_token), await feeds.feed(general_token)
    assert [e.title for e in topic_feed.entries] == ["A scheduler for sparse training"]
    assert topic_feed.feed.title == "arXiv digests: cs.DC"
    assert len(general_feed.entries) == 3


async def test_a_chinese_chat_gets_its_answer_and_its_feed_in_chinese(feeds: Feeds) -> None:
    subscribe(feeds.bot, READER, keywords=("galaxy",))
    await feeds.bot.ask(READER, "/language zh")
    reply = await feeds.bot.ask(READER, "/feed")
    assert reply["text"].startswith("本订阅的私人 Atom 订阅源")
    token = URL.search(reply["text"]).group(1)  # type: ignore[union-attr]
    parsed = await feeds.feed(token)
    assert parsed.feed.title == "arXiv 日报：galaxy"
    assert parsed.entries[0].content[0].value.startswith("<p><b>要点：</b>")
    refused = await feeds.bot.ask(READER, "/feed nope")
    assert refused["text"].startswith("用法")


def test_render_shows_the_ai_text_in_the_language_the_chat_reads() -> None:
    paper = Paper("2601.09009", "Sparse experts", tldr="稀疏专家。",
                  summaries=(Summary("zh", tldr="稀疏专家。"),))  # fmt: skip
    sub = Subscription(READER, summaries="en")
    content = FeedContent(sub, (FeedItem(paper, dt.date(2026, 1, 9)),), dt.date(2026, 1, 9))
    parsed = feedparser.parse(render(content, feed_id=feed_id("A" * 22), self_url=None))
    assert parsed.bozo == 0
    note = messages.fallback_note("en", "zh")
    assert f"<b>TL;DR:</b> {note} 稀疏专家。" in parsed.entries[0].content[0].value
    assert parsed.feed.id == feed_id("A" * 22) != feed_id("B" * 22)
