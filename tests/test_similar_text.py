"""The /similar list (pure): a header naming the paper, numbered entries, the words each shares."""

import dataclasses
import datetime as dt

import pytest
from test_formatting import GNN, NASTY, NASTY_TITLE
from test_telegram_text import assert_telegram_html

from bot.models import Paper, SimilarHit, SimilarPapers
from bot.text.limits import visible_text
from bot.text.lists import similar_papers

SPARSE = Paper(
    id="2510.19261",
    title="Sparse GNNs",
    category="cs.LG",
    tldr="Pruned GNNs stay accurate.",
    date=dt.date(2025, 10, 23),
)


def test_similar_papers_numbers_each_with_category_date_tldr_and_shared_words() -> None:
    text = similar_papers(SimilarPapers(GNN, (SimilarHit(SPARSE, 3.5, ("GNNs", "Sparse")),)))
    assert visible_text(text) == (
        "1 paper like Graph Neural Networks at Scale\n\n"
        "1. Sparse GNNs\n"
        "cs.LG · 2025-10-23\n"
        "Pruned GNNs stay accurate.\n"
        "shared: GNNs · Sparse"
    )
    assert '<a href="https://arxiv.org/abs/2510.19260">' in text
    assert '<a href="https://arxiv.org/abs/2510.19261">' in text


def test_similar_papers_header_counts_the_papers() -> None:
    hits = tuple(SimilarHit(dataclasses.replace(SPARSE, id=f"2510.{n:05d}"), 1.0) for n in range(8))
    assert visible_text(similar_papers(SimilarPapers(GNN, hits))).startswith(
        "8 papers like Graph Neural Networks at Scale\n"
    )


def test_similar_papers_joins_chinese_bigrams_back_into_words() -> None:
    asked = dataclasses.replace(GNN, tldr="图神经网络的结构化剪枝")
    like = dataclasses.replace(SPARSE, tldr="稀疏图神经网络剪枝")
    hit = SimilarHit(like, 1.0, ("剪枝", "神经", "网络"))
    assert visible_text(similar_papers(SimilarPapers(asked, (hit,)))).endswith(
        "shared: 剪枝 · 神经网络"
    )


def test_similar_papers_with_none_says_so_in_one_sentence() -> None:
    assert visible_text(similar_papers(SimilarPapers(GNN))) == (
        "No other paper I have is like Graph Neural Networks at Scale: "
        "none shares enough of its telling words."
    )


@pytest.mark.parametrize("count", [1, 8])
def test_similar_papers_of_nasty_papers_fit_one_message(count: int) -> None:
    long_title = dataclasses.replace(NASTY, title=NASTY_TITLE * 40)
    hits = tuple(SimilarHit(long_title, 1.0, ("<EOS>", "a&b", "x" * 500)) for _ in range(count))
    text = similar_papers(SimilarPapers(long_title, hits))
    assert_telegram_html(text)
    assert text.count("<a href=") == count + 1
