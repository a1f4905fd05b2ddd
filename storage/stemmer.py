"""Words as the full-text index holds them, told by SQLite's own tokenizer.

The index stems English (``pruning`` -> ``prune``) with FTS5's porter tokenizer; to weigh a
paper's terms the way the index counts them, its words go through that very tokenizer, in a small
FTS5 table in memory, instead of a stemmer of our own that could disagree with it. CJK bigrams
(``bot.rules.textindex``) pass that tokenizer unchanged (porter stems Latin letters only; a test
checks it), so they skip it, and are not remembered either: they are most of a Chinese
summary's words.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable

from bot.rules.textindex import is_cjk
from storage.schema import FTS_TOKENIZER

KNOWN_MAX = 50_000
"""Words remembered with their terms (about 10 MB); past this many the memory starts again."""


class Stemmer:
    """Index terms of words, remembered: most words of a paper were seen in earlier ones.

    One per ``Store``, so one per thread, like the store's connection.
    """

    def __init__(self, *, known_max: int = KNOWN_MAX) -> None:
        self._db: sqlite3.Connection | None = None
        self._known: dict[str, tuple[str, ...]] = {}
        self._known_max = known_max

    def stems(self, words: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Each lower-case word -> the index terms the tokenizer makes of it (usually one)."""
        wanted = set(words)
        cjk = {word for word in wanted if not word.isascii() and is_cjk(word)}
        latin = wanted - cjk
        new = latin.difference(self._known)
        if new:
            if len(self._known) + len(new) > self._known_max:
                self._known.clear()
                new = latin
            self._known.update(self._tokenize(sorted(new)))
        return {word: (word,) for word in cjk} | {word: self._known[word] for word in latin}

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _tokenize(self, words: list[str]) -> dict[str, tuple[str, ...]]:
        if not words:
            return {}
        db = self._connection()
        found: dict[int, list[str]] = defaultdict(list)
        with db:
            db.execute("DELETE FROM words")
            db.executemany("INSERT INTO words (rowid, word) VALUES (?, ?)", enumerate(words))
            rows = db.execute("SELECT term, doc FROM word_terms ORDER BY doc, offset")
            for term, row in rows:
                found[row].append(term)
        return {word: tuple(found[row]) for row, word in enumerate(words)}

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            # Closed by the thread that opened it or, once it is done, by another (ReadPool).
            self._db = sqlite3.connect(":memory:", check_same_thread=False)
            self._db.execute(
                f"CREATE VIRTUAL TABLE words USING fts5(word, tokenize='{FTS_TOKENIZER}')"
            )
            self._db.execute("CREATE VIRTUAL TABLE word_terms USING fts5vocab(words, instance)")
        return self._db
