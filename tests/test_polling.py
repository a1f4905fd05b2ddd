"""Polling digest sources: new things found once, "not yet" quiet, failures reported once."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx
import pytest
from aiohttp import web
from botharness import Clock

from bot.delivery.fetch import HttpOptions, new_http_client
from bot.delivery.ingest import ingest_raw
from bot.delivery.polling import PollResult, SourcePoller
from bot.rules.polling_state import RetryPolicy, SourceProblem
from bot.rules.source_specs import (
    SourceSpecError,
    fill_date,
    parse_source,
    poll_days,
    source_alternatives,
)
from storage.store import Store

TEST_DIGESTS = Path(__file__).parent / "data" / "digests"

TODAY = dt.datetime(2026, 2, 10, 2, 0, tzinfo=dt.UTC)
FAST = HttpOptions(timeout=httpx.Timeout(5.0), retry_delay=0)
POLICY = RetryPolicy(
    backoff_base=dt.timedelta(minutes=10), backoff_max=dt.timedelta(hours=1), report_after=2
)
MD = b"# Table of Contents\n"


def open_store(path: Path) -> Store:
    return Store.open(path)


@dataclass
class Doc:
    body: bytes
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Origin:
    """A small HTTP server on 127.0.0.1 that answers conditional GETs like a static host."""

    docs: dict[str, Doc] = field(default_factory=dict)
    faults: dict[str, str] = field(default_factory=dict)
    """path -> "500", "drop" or "hang", answered to every request until removed."""
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    base: str = ""

    def url(self, path: str) -> str:
        return f"{self.base}/{path}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path.lstrip("/")
        self.requests.append((path, dict(request.headers)))
        fault = self.faults.get(path)
        if fault == "500":
            return web.Response(status=500, text="oops")
        if fault == "drop":
            assert request.transport is not None
            request.transport.abort()
            return web.Response()
        if fault == "hang":
            await self.release.wait()
        doc = self.docs.get(path)
        if doc is None:
            return web.Response(status=404, text="Not Found")
        if (doc.etag and request.headers.get("If-None-Match") == doc.etag) or (
            doc.last_modified and request.headers.get("If-Modified-Since") == doc.last_modified
        ):
            return web.Response(status=304)
        headers = {"ETag": doc.etag} if doc.etag else {}
        if doc.last_modified:
            headers["Last-Modified"] = doc.last_modified
        return web.Response(body=doc.body, headers=headers)


@pytest.fixture
async def origin() -> AsyncIterator[Origin]:
    server = Origin()
    app = web.Application()
    app.router.add_get("/{tail:.*}", server.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server.base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    yield server
    server.release.set()
    await runner.cleanup()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "state.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = open_store(db_path)
    yield opened
    opened.close()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with new_http_client(FAST) as http:
        yield http


@pytest.fixture
def clock() -> Clock:
    return Clock(TODAY)


class MakePoller(Protocol):
    def __call__(self, *sources: str, **options: Any) -> SourcePoller: ...


@pytest.fixture
def make_poller(store: Store, client: httpx.AsyncClient, clock: Clock) -> MakePoller:
    """A poller on the test's store, client and clock; keyword arguments override options."""

    def make(*sources: str, **options: Any) -> SourcePoller:
        defaults: dict[str, Any] = {
            "state": store,
            "client": client,
            "clock": clock,
            "policy": POLICY,
            "http": FAST,
        }
        return SourcePoller(sources, **(defaults | options))

    return make


async def poll_and_handle(poller: SourcePoller) -> PollResult:
    """One poll whose found digests are all handled (marked seen), as the scheduler does."""
    result = await poller.poll()
    for found in result.found:
        poller.mark_seen(found)
    return result


def names(result: PollResult) -> list[str]:
    return [Path(found.raw.name).name for found in result.found]


# --- entries and templates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("/data", ("/data",)),
        (
            "https://h/{date}.jsonl | https://h/{date}.md",
            ("https://h/{date}.jsonl", "https://h/{date}.md"),
        ),
        ("https://h/a|b.md", ("https://h/a|b.md",)),
        ("  a.md  |  b.md ", ("a.md", "b.md")),
    ],
)
def test_source_alternatives_split_on_space_pipe_space(
    entry: str, expected: tuple[str, ...]
) -> None:
    assert source_alternatives(entry) == expected


def test_poll_days_are_today_and_the_lookback_oldest_first() -> None:
    days = poll_days(dt.date(2026, 3, 1), 2)
    assert days == [dt.date(2026, 2, 27), dt.date(2026, 2, 28), dt.date(2026, 3, 1)]


def test_fill_date_replaces_every_date_field_and_keeps_other_braces() -> None:
    filled = fill_date("https://h/{date}/{x}/{date}.md", dt.date(2026, 2, 9))
    assert filled == "https://h/2026-02-09/{x}/2026-02-09.md"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("https://h/{date}.jsonl | https://h/latest.md", "every alternative contains {date}"),
        (" | ", "a digest source is empty"),
    ],
)
def test_parse_source_rejects_entries_that_make_no_sense(entry: str, message: str) -> None:
    with pytest.raises(SourceSpecError, match=message):
        parse_source(entry)


# --- folders --------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["{}", "{}/", "{}/./"])
async def test_folder_new_dated_file_is_found_once(
    tmp_path: Path, make_poller: MakePoller, spelling: str
) -> None:
    folder = tmp_path / "digests"
    folder.mkdir()
    (folder / "2026-02-09.md").write_bytes(MD)
    (folder / "README.md").write_bytes(b"# not a digest")
    (folder / "2026-02-09.txt").write_bytes(b"notes")
    poller = make_poller(spelling.format(folder))

    first = await poll_and_handle(poller)
    second = await poll_and_handle(poller)

    assert names(first) == ["2026-02-09.md"]
    assert first.found[0].raw.data == MD
    assert first.problems == []
    assert names(second) == []


async def test_folder_changed_file_is_found_again(tmp_path: Path, make_poller: MakePoller) -> None:
    digest = tmp_path / "2026-02-09.md"
    digest.write_bytes(MD)
    poller = make_poller(str(tmp_path))
    await poll_and_handle(poller)

    digest.write_bytes(MD + b"\n- [cs.LG](#cs.LG) [Total: 1]\n")

    assert names(await poll_and_handle(poller)) == ["2026-02-09.md"]


async def test_folder_file_touched_but_unchanged_is_not_found(
    tmp_path: Path, make_poller: MakePoller
) -> None:
    digest = tmp_path / "2026-02-09.md"
    digest.write_bytes(MD)
    poller = make_poller(str(tmp_path))
    await poll_and_handle(poller)

    os.utime(digest, ns=(1, 1))

    assert names(await poll_and_handle(poller)) == []


async def test_folder_same_size_and_mtime_is_not_read_again(
    tmp_path: Path, make_poller: MakePoller
) -> None:
    digest = tmp_path / "2026-02-09.md"
    digest.write_bytes(MD)
    os.utime(digest, ns=(5, 5))
    poller = make_poller(str(tmp_path))
    await poll_and_handle(poller)

    digest.write_bytes(MD.upper())
    os.utime(digest, ns=(5, 5))

    assert names(await poll_and_handle(poller)) == []


async def test_folder_found_but_not_handled_is_found_again(
    tmp_path: Path, make_poller: MakePoller
) -> None:
    (tmp_path / "2026-02-09.md").write_bytes(MD)
    poller = make_poller(str(tmp_path))

    await poller.poll()

    assert names(await poller.poll()) == ["2026-02-09.md"]


async def test_folder_files_come_oldest_first_within_the_budget(
    tmp_path: Path, make_poller
) -> None:
    for name in ("2026-02-10.md", "2026-02-08.md", "2026-02-09_AI_enhanced_Chinese.jsonl"):
        (tmp_path / name).write_bytes(MD)
    poller = make_poller(str(tmp_path), folder_budget=2 * len(MD))

    first = await poll_and_handle(poller)
    second = await poll_and_handle(poller)

    assert (names(first), first.more) == (
        ["2026-02-08.md", "2026-02-09_AI_enhanced_Chinese.jsonl"],
        True,
    )
    assert (names(second), second.more) == (["2026-02-10.md"], False)


async def test_folder_missing_is_reported_once_without_backoff(
    tmp_path: Path, make_poller: MakePoller
) -> None:
    poller = make_poller(str(tmp_path / "absent"))

    problems = [(await poller.poll()).problems for _ in range(3)]

    assert [len(p) for p in problems] == [0, 1, 0]
    assert problems[1][0].message.startswith(
        f"cannot be read: {tmp_path / 'absent'}: no such file or folder"
    )


# --- URLs -----------------------------------------------------------------------------------


async def test_url_found_then_not_modified(origin: Origin, make_poller: MakePoller) -> None:
    origin.docs["2026-02-09.md"] = Doc(MD, etag='"v1"', last_modified="Mon, 09 Feb 2026 01:40 GMT")
    poller = make_poller(origin.url("2026-02-09.md"))

    first = await poll_and_handle(poller)
    second = await poll_and_handle(poller)

    assert [f.raw.name for f in first.found] == [origin.url("2026-02-09.md")]
    assert names(second) == []
    headers = origin.requests[1][1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Mon, 09 Feb 2026 01:40 GMT"


async def test_url_found_but_not_handled_is_fetched_in_full_again(
    origin: Origin, make_poller: MakePoller
) -> None:
    origin.docs["2026-02-09.md"] = Doc(MD, etag='"v1"')
    poller = make_poller(origin.url("2026-02-09.md"))

    await poller.poll()
    again = await poller.poll()

    assert [f.raw.data for f in again.found] == [MD]
    assert "If-None-Match" not in origin.requests[1][1]


async def test_url_changed_content_is_found_again(origin: Origin, make_poller: MakePoller) -> None:
    origin.docs["2026-02-09.md"] = Doc(MD, etag='"v1"')
    poller = make_poller(origin.url("2026-02-09.md"))
    await poll_and_handle(poller)

    origin.docs["2026-02-09.md"] = Doc(MD + b"more", etag='"v2"')
    found = await poll_and_handle(poller)

    assert [f.raw.data for f in found.found] == [MD + b"more"]


async def test_url_same_content_without_validators_is_not_found(
    origin: Origin, make_poller
) -> None:
    origin.docs["2026-02-09.md"] = Doc(MD)
    poller = make_poller(origin.url("2026-02-09.md"))
    await poll_and_handle(poller)

    assert names(await poll_and_handle(poller)) == []
    assert len(origin.requests) == 2


async def test_url_not_found_is_quiet(
    origin: Origin, make_poller: MakePoller, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    poller = make_poller(origin.url("2026-02-09.md"))

    results = [await poller.poll() for _ in range(3)]

    assert [(r.found, r.problems) for r in results] == [([], [])] * 3
    assert len(origin.requests) == 3
    assert [r.getMessage() for r in caplog.records if r.name.startswith("bot.")] == []


async def test_url_failing_is_reported_once_backs_off_and_recovers(
    origin: Origin, make_poller: MakePoller, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    url = origin.url("2026-02-09.md")
    origin.faults["2026-02-09.md"] = "500"
    poller = make_poller(url)
    reports: list[list[SourceProblem]] = []
    requests: list[int] = []

    for minutes in (0, 10, 5, 14, 1, 20):
        clock.advance(minutes=minutes)
        reports.append((await poller.poll()).problems)
        requests.append(len(origin.requests))
    origin.faults.clear()
    origin.docs["2026-02-09.md"] = Doc(MD)
    clock.advance(minutes=20)
    recovered = await poller.poll()

    # t=0 fails (retry in 10 min), t=10 fails and is reported (retry in 20), t=15 and t=29 are
    # skipped, t=30 fails (retry in 40), t=50 is skipped, t=70 works.
    assert requests == [2, 4, 4, 4, 6, 6]
    assert [len(r) for r in reports] == [0, 1, 0, 0, 0, 0]
    assert reports[1][0] == SourceProblem(
        url,
        f"cannot be read: {url}: the server answered 500 (failing since 2026-02-10 02:00 UTC, "
        "2 polls)",
    )
    assert recovered.problems == [
        SourceProblem(url, "can be read again, after 3 failed polls", True)
    ]
    assert [f.raw.data for f in recovered.found] == [MD]
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.name for r in warnings] == ["bot.delivery.polling"]


@pytest.mark.parametrize("fault", ["drop", "hang"])
async def test_url_network_failure_is_retried_once_then_counted(
    origin: Origin, make_poller: MakePoller, store: Store, fault: str
) -> None:
    origin.faults["2026-02-09.md"] = fault
    quick = HttpOptions(timeout=httpx.Timeout(5.0, read=0.2), retry_delay=0)
    poller = make_poller(origin.url("2026-02-09.md"), http=quick)

    result = await poller.poll()

    assert (result.found, result.problems) == ([], [])
    assert len(origin.requests) == 2
    health = store.source_health(origin.url("2026-02-09.md"))
    assert health.failures == 1
    assert health.last_error is not None
    expected = "timed out (ReadTimeout)" if fault == "hang" else "network error"
    assert expected in health.last_error


# --- templates and alternatives -------------------------------------------------------------


async def test_template_polls_today_and_two_days_back(
    origin: Origin, make_poller: MakePoller
) -> None:
    poller = make_poller(origin.url("data/{date}.md"))

    await poller.poll()

    assert origin.paths() == ["data/2026-02-08.md", "data/2026-02-09.md", "data/2026-02-10.md"]


async def test_template_picks_up_a_late_digest(origin: Origin, make_poller: MakePoller) -> None:
    poller = make_poller(origin.url("data/{date}.md"))
    assert names(await poll_and_handle(poller)) == []

    origin.docs["data/2026-02-09.md"] = Doc(MD, etag='"late"')

    assert names(await poll_and_handle(poller)) == ["2026-02-09.md"]


async def test_alternatives_fall_back_to_markdown_when_jsonl_is_missing(
    origin: Origin, make_poller
) -> None:
    origin.docs["2026-02-10.md"] = Doc(MD)
    origin.docs["2026-02-09_AI_enhanced_Chinese.jsonl"] = Doc(b"{}\n")
    origin.docs["2026-02-09.md"] = Doc(MD)
    entry = f"{origin.url('{date}_AI_enhanced_Chinese.jsonl')} | {origin.url('{date}.md')}"
    poller = make_poller(entry, lookback_days=1)

    result = await poll_and_handle(poller)

    assert names(result) == ["2026-02-09_AI_enhanced_Chinese.jsonl", "2026-02-10.md"]
    assert origin.paths() == [
        "2026-02-09_AI_enhanced_Chinese.jsonl",
        "2026-02-10_AI_enhanced_Chinese.jsonl",
        "2026-02-10.md",
    ]


async def test_alternatives_do_not_fall_back_when_the_first_fails(
    origin: Origin, make_poller
) -> None:
    origin.docs["2026-02-10.md"] = Doc(MD)
    origin.faults["2026-02-10.jsonl"] = "500"
    poller = make_poller(
        f"{origin.url('{date}.jsonl')} | {origin.url('{date}.md')}", lookback_days=0
    )

    result = await poller.poll()

    assert result.found == []
    assert origin.paths() == ["2026-02-10.jsonl", "2026-02-10.jsonl"]


async def test_template_of_local_files_treats_missing_days_as_not_yet(
    tmp_path: Path, make_poller
) -> None:
    (tmp_path / "2026-02-09.md").write_bytes(MD)
    poller = make_poller(str(tmp_path / "{date}.md"))

    result = await poll_and_handle(poller)

    assert (names(result), result.problems) == (["2026-02-09.md"], [])


async def test_template_in_a_missing_folder_is_a_failure(
    tmp_path: Path, make_poller: MakePoller
) -> None:
    poller = make_poller(str(tmp_path / "absent" / "{date}.md"))

    problems = [(await poller.poll()).problems for _ in range(2)]

    assert [len(p) for p in problems] == [0, 1]
    assert "2026-02-08.md: no such file or folder" in problems[1][0].message


# --- with ingestion ---------------------------------------------------------------------------


async def test_found_digest_is_dated_by_its_name_and_ingests(
    origin: Origin, make_poller: MakePoller, store: Store
) -> None:
    origin.docs["2026-02-10.md"] = Doc((TEST_DIGESTS / "2026-02-10.md").read_bytes())
    poller = make_poller(origin.url("{date}.md"))

    result = await poller.poll()
    ingested = [ingest_raw(store, found.raw, now=TODAY) for found in result.found]

    assert [(r.date, r.skipped) for r in ingested] == [(dt.date(2026, 2, 10), False)]
    assert store.latest_digest() is not None


# --- restarts -------------------------------------------------------------------------------


async def test_state_survives_a_restart(
    origin: Origin, db_path: Path, client: httpx.AsyncClient, clock: Clock, tmp_path: Path
) -> None:
    origin.docs["2026-02-10.md"] = Doc(MD, etag='"v1"')
    origin.faults["broken/2026-02-10.md"] = "500"
    (tmp_path / "2026-02-10.md").write_bytes(MD)
    sources = (origin.url("{date}.md"), origin.url("broken/{date}.md"), str(tmp_path))

    def start(store: Store) -> SourcePoller:
        options = HttpOptions(retry_delay=0)
        return SourcePoller(sources, state=store, client=client, clock=clock, http=options)

    before = open_store(db_path)
    assert len((await poll_and_handle(start(before))).found) == 2
    before.close()
    sent_before_restart = len(origin.requests)
    after = open_store(db_path)
    result = await poll_and_handle(start(after))
    after.close()

    assert result.found == []
    assert origin.paths()[sent_before_restart:] == [
        "2026-02-08.md",
        "2026-02-09.md",
        "2026-02-10.md",
    ]
    assert origin.requests[-1][1]["If-None-Match"] == '"v1"'
