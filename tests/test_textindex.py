"""Text preparation for the full-text index: CJK bigrams on both sides, quoting for FTS5."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.textindex import fts_phrase, index_text


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("强化学习", ["强化", "化学", "学习", "习"]),
        ("剪枝", ["剪枝", "枝"]),
        ("中", ["中"]),
        ("强化学习的GPU调度", ["强化", "化学", "学习", "习的", "的", "GPU", "调度", "度"]),
        ("強化学習とは", ["強化", "化学", "学習", "習と", "とは", "は"]),
        ("강화학습을 통한", ["강화", "화학", "학습", "습을", "을", "통한", "한"]),
        ("a中b", ["a", "中", "b"]),
        ("Ｇｒａｐｈ　ＧＮＮ", ["Graph", "GNN"]),
        ("ｶﾀｶﾅ", ["カタ", "タカ", "カナ", "ナ"]),
        ("Plain English text.", ["Plain", "English", "text."]),
    ],
)
def test_index_text_rewrites_cjk_runs_into_bigrams(text: str, tokens: list[str]) -> None:
    assert index_text(text).split() == tokens


@pytest.mark.parametrize(
    ("term", "phrase"),
    [
        ("强化学习", '"强化 化学 学习"'),
        ("剪枝", '"剪枝"'),
        ("枝", '"枝"*'),
        ("GPU加速", '"GPU 加速"'),
        ("GPU加", '"GPU 加"*'),
        ("学习GPU", '"学习 习 GPU"'),
        ("中GPU", '"中 GPU"'),
        ("강화학습", '"강화 화학 학습"'),
        ("graph neural network", '"graph neural network"'),
        ('say "hi"', '"say ""hi"""'),
        ("NEAR(a b)", '"NEAR(a b)"'),
        ("a\x00b", '"a b"'),
    ],
)
def test_fts_phrase_quotes_every_term(term: str, phrase: str) -> None:
    assert fts_phrase(term) == phrase


@pytest.mark.parametrize("term", ["", " ", "*", "-", '""', "()", "—", "\x00", "\ud800", "🙂"])
def test_fts_phrase_drops_terms_without_searchable_characters(term: str) -> None:
    assert fts_phrase(term) is None


@given(st.text(st.characters(exclude_categories=())))
def test_fts_phrase_is_always_one_quoted_string(term: str) -> None:
    phrase = fts_phrase(term)
    if phrase is not None:
        body = phrase.removesuffix("*")
        assert body.startswith('"')
        assert body.endswith('"')
        assert '"' not in body[1:-1].replace('""', "")
        assert "\x00" not in phrase
