"""The SQLite store on real files: schema, idempotent and atomic ingest, re-publication, lookups."""

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from bot.models import CategoryCount, Digest, DigestSummary, IngestResult, Paper
from bot.rules.query import parse_query
from storage.schema import MIGRATIONS, SCHEMA_VERSION, SchemaTooNewError, schema_version
from storage.store import Store, StoreStats

FRI, SAT = dt.date(2026, 1, 9), dt.date(2026, 1, 10)
NOW = dt.datetime(2026, 1, 10, 2, 0, tzinfo=dt.UTC)

PAPER = Paper(
    id="2601.00001",
    title="Structured Pruning of Large Language Models",
    version=2,
    authors=("Geoffrey Hinton", "Ada Lovelace"),
    category="cs.LG",
    categories=("cs.LG",),
    tldr="提出一种结构化剪枝方法。",
    motivation="大模型推理成本高。",
    method="按通道剪枝。",
    result="速度提升两倍。",
    conclusion="剪枝有效。",
    abstract="We prune channels of large language models.",
    comment="12 pages",
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "digestbot.db")
    yield opened
    opened.close()


def digest(date: dt.date | None, *papers: Paper, warnings: tuple[str, ...] = ()) -> Digest:
    return Digest(date=date, papers=papers, warnings=warnings, layout="canonical")


def ingest(store: Store, d: Digest, content_hash: str, source: str = "d.md") -> IngestResult:
    return store.ingest(d, source=source, content_hash=content_hash, now=NOW)


def search_ids(store: Store, text: str) -> list[str]:
    return [hit.paper.id for hit in store.search(parse_query(text)).hits]


def dump(store: Store) -> list[str]:
    return list(store.db.conn.iterdump())


def test_store_open_creates_the_schema_once(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store.open(path).close()
    again = Store.open(path)
    assert schema_version(again.db) == SCHEMA_VERSION == len(MIGRATIONS)
    assert again.db.journal_mode == "wal"
    assert {"digests", "digest_files", "papers", "paper_categories", "paper_digests"} <= set(
        again.db.table_names()
    )
    again.close()


def test_store_refuses_a_database_from_a_newer_version(tmp_path: Path) -> None:
    db = sqlite_utils.Database(tmp_path / "new.db")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(SchemaTooNewError):
        Store(db)


def test_store_ingest_stores_papers_with_their_digest_date(store: Store) -> None:
    result = ingest(store, digest(FRI, PAPER, warnings=("odd heading",)), "h1")
    assert result == IngestResult(date=FRI, source="d.md", papers_new=1, warnings=("odd heading",))
    assert store.paper("2601.00001") == dataclasses.replace(PAPER, date=FRI)
    assert store.paper("2601.99999") is None


def test_store_ingest_of_the_same_content_twice_changes_nothing(store: Store) -> None:
    ingest(store, digest(FRI, PAPER), "h1")
    before = dump(store)
    result = ingest(store, digest(FRI, PAPER), "h1", source="again.md")
    assert result == IngestResult(date=FRI, source="again.md", skipped=True)
    assert dump(store) == before
    assert store.is_ingested(FRI, "h1")
    assert not store.is_ingested(SAT, "h1")


def test_store_ingest_without_a_date_raises_and_writes_nothing(store: Store) -> None:
    before = dump(store)
    with pytest.raises(ValueError, match="date"):
        ingest(store, digest(None, PAPER), "h1")
    assert dump(store) == before


def test_store_ingest_failing_half_way_leaves_the_database_as_it_was(store: Store) -> None:
    ingest(store, digest(FRI, PAPER), "h1")
    before = dump(store)
    republished = dataclasses.replace(PAPER, tldr="新的摘要。")
    unstorable = Paper(id="2601.00009", title="lone surrogate \ud800 cannot be encoded")
    fresh = Paper(id="2601.00002", title="A fresh paper")
    with pytest.raises(UnicodeEncodeError):
        ingest(store, digest(SAT, republished, fresh, unstorable), "h2")
    assert dump(store) == before
    assert search_ids(store, "新的摘要") == []
    assert ingest(store, digest(SAT, republished, fresh), "h2").papers_new == 1


def test_store_republication_replaces_a_placeholder_with_real_text(store: Store) -> None:
    missing = dataclasses.replace(PAPER, tldr=None, motivation=None, method=None, result=None,
                                  conclusion=None)  # fmt: skip
    ingest(store, digest(FRI, missing), "h1")
    result = ingest(store, digest(FRI, PAPER), "h2")
    assert (result.papers_new, result.papers_updated, result.papers_unchanged) == (0, 1, 0)
    assert store.paper(PAPER.id) == dataclasses.replace(PAPER, date=FRI)
    assert search_ids(store, "结构化剪枝") == [PAPER.id]


def test_store_republication_never_replaces_real_text_with_missing(store: Store) -> None:
    ingest(store, digest(FRI, PAPER), "h1")
    missing = dataclasses.replace(PAPER, tldr=None, motivation=None, method=None, result=None,
                                  conclusion=None, abstract=None)  # fmt: skip
    result = ingest(store, digest(FRI, missing), "h2")
    assert (result.papers_updated, result.papers_unchanged) == (0, 1)
    assert store.paper(PAPER.id) == dataclasses.replace(PAPER, date=FRI)


def test_store_weekend_republication_takes_new_ai_text_and_keeps_the_first_date(
    store: Store,
) -> None:
    ingest(store, digest(FRI, PAPER), "fri")
    saturday = dataclasses.replace(PAPER, tldr="周六重新生成的摘要。", method="逐层剪枝。")
    result = ingest(store, digest(SAT, saturday), "sat")
    assert (result.papers_new, result.papers_updated) == (0, 1)
    stored = store.paper(PAPER.id)
    assert stored is not None
    assert (stored.tldr, stored.method, stored.date) == ("周六重新生成的摘要。", "逐层剪枝。", FRI)
    assert search_ids(store, "周六重新生成") == [PAPER.id]
    assert search_ids(store, "结构化剪枝") == []
    assert store.digest_dates() == [FRI, SAT]
    assert store.papers_in_digest(SAT) == [stored]


def test_store_jsonl_adds_cross_listed_categories(store: Store) -> None:
    ingest(store, digest(FRI, PAPER), "md")
    from_jsonl = dataclasses.replace(PAPER, categories=("cs.LG", "cs.CL", "cs.AI"))
    assert ingest(store, digest(FRI, from_jsonl), "jsonl").papers_updated == 1
    stored = store.paper(PAPER.id)
    assert stored is not None
    assert (stored.category, stored.categories) == ("cs.LG", ("cs.LG", "cs.CL", "cs.AI"))
    assert store.papers_in_digest(FRI, category="cs.AI") == [stored]
    assert search_ids(store, "cat:cs.CL") == [PAPER.id]


def test_store_unchanged_republication_counts_papers_as_unchanged(store: Store) -> None:
    ingest(
        store, digest(FRI, dataclasses.replace(PAPER, categories=("cs.LG", "cs.CL", "cs.AI"))), "h1"
    )
    reordered = dataclasses.replace(PAPER, categories=("cs.AI", "cs.CL"))
    result = ingest(store, digest(FRI, reordered), "h2")
    assert (result.papers_new, result.papers_updated, result.papers_unchanged) == (0, 0, 1)
    assert store.stats().files == 2


def test_store_digest_keeps_the_warnings_of_all_its_files(store: Store) -> None:
    ingest(store, digest(FRI, PAPER, warnings=("a", "b")), "h1")
    ingest(store, digest(FRI, PAPER, warnings=("b", "c")), "h2", source="second.md")
    stats = store.stats()
    assert (stats.last_source, stats.last_warnings) == ("second.md", ("b", "c"))
    row = store.db.execute("SELECT warnings FROM digests").fetchone()
    assert row[0] == '["a", "b", "c"]'


def test_store_paper_finds_old_style_ids(store: Store) -> None:
    old = Paper(id="hep-th/9901001", title="Dualities", category="hep-th")
    ingest(store, digest(FRI, old), "h1")
    assert store.paper("hep-th/9901001") == dataclasses.replace(
        old, categories=("hep-th",), date=FRI
    )


def test_store_summaries_count_cross_listed_papers_in_each_category(store: Store) -> None:
    first = dataclasses.replace(PAPER, categories=("cs.LG", "cs.CL"))
    second = Paper(id="2601.00002", title="B", category="cs.CL", categories=("cs.CL", "cs.AI"))
    third = Paper(id="2601.00003", title="C", category="cs.RO")
    ingest(store, digest(FRI, third), "fri")
    ingest(store, digest(SAT, first, second), "sat")
    latest = DigestSummary(
        date=SAT,
        papers=2,
        categories=(
            CategoryCount("cs.CL", 2),
            CategoryCount("cs.AI", 1),
            CategoryCount("cs.LG", 1),
        ),
    )
    assert store.latest_digest() == latest
    assert store.digest_summary(SAT) == latest
    assert store.digest_summary(dt.date(2020, 1, 1)) is None
    assert store.categories() == [
        CategoryCount("cs.CL", 2),
        CategoryCount("cs.AI", 1),
        CategoryCount("cs.LG", 1),
        CategoryCount("cs.RO", 1),
    ]
    assert store.stats() == StoreStats(
        digests=2, papers=3, categories=4, files=2, last_ingest=NOW, last_source="d.md"
    )


def test_store_latest_digest_skips_a_day_without_papers(store: Store) -> None:
    ingest(store, digest(FRI, PAPER), "fri")
    ingest(store, digest(SAT), "empty")
    assert store.digest_dates() == [FRI, SAT]
    assert store.latest_digest() == DigestSummary(FRI, 1, (CategoryCount("cs.LG", 1),))
    assert store.digest_summary(SAT) == DigestSummary(SAT, 0)


def test_store_papers_in_digest_pages_by_id(store: Store) -> None:
    papers = [Paper(id=f"2601.0000{i}", title=f"P{i}", category="cs.LG") for i in range(5)]
    ingest(store, digest(FRI, *reversed(papers)), "h1")
    page = store.papers_in_digest(FRI, category="CS.lg", limit=2, offset=1)
    assert [p.id for p in page] == ["2601.00001", "2601.00002"]
    assert store.papers_in_digest(FRI, category="cs.CV") == []


def test_store_on_an_empty_database_has_nothing_to_report(store: Store) -> None:
    assert store.latest_digest() is None
    assert store.categories() == []
    assert store.digest_dates() == []
    assert store.stats() == StoreStats(digests=0, papers=0, categories=0, files=0)
