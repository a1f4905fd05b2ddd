"""A paper's AI text in several languages: kept side by side, merged within a language, found by
search in any of them."""

import datetime as dt
from pathlib import Path

import pytest

from bot.digest.language import summary_language, text_language
from bot.models import Digest, Paper, Summary
from bot.rules.query import parse_query
from storage.store import Store

NOW = dt.datetime(2026, 6, 2, tzinfo=dt.UTC)
DAY = dt.date(2026, 6, 2)
ZH = Paper("2606.00001", "Sparse experts", tldr="稀疏专家模型的剪枝方法。", method="逐层剪枝。")
EN = Paper("2606.00001", "Sparse experts", tldr="Pruning sparse mixtures of experts.")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2026-06-02_AI_enhanced_Chinese.jsonl", "zh"),
        ("2026-06-02_AI_enhanced_English.jsonl", "en"),
        ("2026-06-02_AI_enhanced_japanese.jsonl", "ja"),
        ("2026-06-02.md", None),
    ],
)
def test_the_file_name_says_the_language(name: str, expected: str | None) -> None:
    assert summary_language(name, []) == expected


def test_without_a_name_the_tldrs_decide() -> None:
    assert text_language("稀疏专家。") == "zh"
    assert text_language("スパースな専門家。") == "ja"
    assert text_language("Sparse experts.") == "en"
    assert text_language("2026") is None
    assert summary_language("2026-06-02.md", [ZH, ZH, EN]) == "zh"
    assert summary_language("2026-06-02.md", [Paper("1", "t")]) is None


def ingest(store: Store, paper: Paper, language: str | None, content: str) -> None:
    digest = Digest(date=DAY, papers=(paper,), language=language)
    store.ingest(digest, source=content, content_hash=content, now=NOW)


def found(store: Store, text: str) -> list[str]:
    return [hit.paper.id for hit in store.search(parse_query(text)).hits]


def test_each_language_is_kept_and_searchable(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "bot.db")
    ingest(store, ZH, "zh", "a")
    ingest(store, EN, "en", "b")
    paper = store.paper(ZH.id)
    assert paper is not None
    assert paper.summaries == (
        Summary("en", tldr="Pruning sparse mixtures of experts."),
        Summary("zh", tldr="稀疏专家模型的剪枝方法。", method="逐层剪枝。"),
    )
    assert paper.tldr == EN.tldr  # the latest run's text stays the paper's own, as before
    assert found(store, "剪枝") == [ZH.id]
    assert found(store, "mixtures") == [ZH.id]


def test_a_new_run_replaces_its_own_language_only(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "bot.db")
    ingest(store, ZH, "zh", "a")
    ingest(store, EN, "en", "b")
    rerun = Paper(ZH.id, ZH.title, tldr="量化专家模型。")
    ingest(store, rerun, "zh", "c")
    paper = store.paper(ZH.id)
    assert paper is not None
    assert [s.tldr for s in paper.summaries] == [EN.tldr, "量化专家模型。"]
    assert found(store, "量化") == [ZH.id]
    assert found(store, "剪枝") == []  # the old Chinese text left the index
    assert found(store, "mixtures") == [ZH.id]


def test_a_record_without_ai_text_keeps_the_language_it_had(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "bot.db")
    ingest(store, ZH, "zh", "a")
    ingest(store, Paper(ZH.id, ZH.title, abstract="An abstract."), "zh", "b")
    paper = store.paper(ZH.id)
    assert paper is not None
    assert paper.summaries == (Summary("zh", tldr=ZH.tldr, method=ZH.method),)
    assert paper.abstract == "An abstract."


def test_a_digest_of_unknown_language_adds_no_summary(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "bot.db")
    ingest(store, ZH, None, "a")
    paper = store.paper(ZH.id)
    assert paper is not None
    assert paper.summaries == ()
    assert paper.tldr == ZH.tldr
