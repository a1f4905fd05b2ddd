"""Index terms of words, from SQLite's own tokenizer: the terms the full-text index holds."""

import sqlite3

import pytest

from bot.rules.textindex import index_text
from storage.schema import FTS_TOKENIZER
from storage.stemmer import Stemmer


@pytest.fixture
def stemmer() -> Stemmer:
    return Stemmer()


def test_stemmer_gives_the_terms_the_index_holds(stemmer: Stemmer) -> None:
    stems = stemmer.stems(["pruning", "pruned", "acceleration", "naïve", "gnns", "3d"])
    assert {word: stems[word] for word in ("pruning", "pruned", "acceleration")} == {
        "pruning": ("prune",),
        "pruned": ("prune",),
        "acceleration": ("acceler",),
    }
    assert (stems["naïve"], stems["gnns"], stems["3d"]) == (("naiv",), ("gnn",), ("3d",))
    stemmer.close()


def test_stemmer_passes_cjk_bigrams_through_as_the_tokenizer_does(stemmer: Stemmer) -> None:
    """CJK words skip the tokenizer; this checks that it would have left them as they are."""
    text = "强化学习 強化学習とは 강화학습을 카타카나 々〆〇"
    memory = sqlite3.connect(":memory:")
    memory.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{FTS_TOKENIZER}')")
    memory.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
    memory.execute("INSERT INTO t (x) VALUES (?)", [index_text(text)])
    tokenized = [term for (term,) in memory.execute("SELECT term FROM v ORDER BY offset")]
    words = index_text(text).split()
    assert tokenized == words
    assert all(stemmer.stems(words)[word] == (word,) for word in words)
    memory.close()


def test_stemmer_still_answers_once_its_memory_is_full() -> None:
    stemmer = Stemmer(known_max=3)
    assert stemmer.stems(["graphs", "nodes"])["graphs"] == ("graph",)
    stems = stemmer.stems(["graphs", "edges", "walks"])
    assert [stems[w] for w in ("graphs", "edges", "walks")] == [("graph",), ("edg",), ("walk",)]
    stemmer.close()


def test_stemmer_of_no_words_is_empty(stemmer: Stemmer) -> None:
    assert dict(stemmer.stems([])) == {}
    stemmer.close()
