"""Text features of papers: tf-idf over title, AI summary and abstract, CJK as bigrams.

The vocabulary and its idf weights are fitted once on the stored papers and kept as plain
arrays (``to_bytes``), never as a pickled scikit-learn object, so a stored fit outlives an
upgrade of scikit-learn. Its ``version`` (a hash of the terms and weights) tags every model
trained on it: a model is only ever applied to rows of the very features it was trained on.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from itertools import pairwise

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from bot.models import Paper
from bot.rules.textindex import index_text

FORMAT = 2
"""The layout of ``Features.to_bytes`` and the terms ``analyze`` gives (1 had no word pairs);
a blob of another format is refused, and refitted."""
MAX_TERMS = 50_000
"""The most frequent terms kept: the rarest of a big collection only add width to every model."""
MAX_DF = 0.5
"""A term in more than half the papers says nothing about a reader's taste."""
MIN_PAPERS_FOR_MAX_DF = 10
MAX_CACHED_ROWS = 20_000
"""Rows kept in memory (a few KB each): a month of digests."""
WORD_BIGRAMS = True
"""Pairs of neighbouring words are terms too (P@15 0.284 -> 0.298 in the bench)."""
TITLE_REPEATS = 2
"""The title counts twice: it is the paper's own choice of its few most telling words."""

_TOKEN = re.compile(r"[^\W\d_][^\W_]+")
"""A word of two characters or more that starts with a letter: no numbers, no lone letters."""
_ASCII_TOKEN = re.compile(r"[a-z][a-z0-9]+")
"""``_TOKEN`` on lower-case ASCII text, twice as fast: most titles and abstracts are ASCII."""


class FeaturesFormatError(ValueError):
    """A stored blob written in another format than this code's."""


def paper_text(paper: Paper) -> str:
    """The text a paper is known by: its title (twice), TL;DR and abstract.

    The other AI-written fields (motivation, method, result, conclusion) restate the abstract,
    mostly in Chinese: they doubled each paper's terms, and the time to compute its row, for
    no better ranking in the bench.
    """
    return "\n".join([*[paper.title] * TITLE_REPEATS, paper.tldr or "", paper.abstract or ""])


def analyze(text: str) -> list[str]:
    """Lower-cased words without English stop words, and each pair of neighbouring Latin words
    on a line ("language model" says more than "language" and "model"); CJK runs as
    overlapping bigrams, the way the search index writes them (``bot.rules.textindex``), so
    强化学习 gives 强化 化学 学习. Line by line, so an ASCII title or abstract skips the CJK
    rewriting a Chinese TL;DR needs."""
    terms: list[str] = []
    for line in text.split("\n"):
        line = line.lower()
        ascii = line.isascii()
        found = _ASCII_TOKEN.findall(line) if ascii else _TOKEN.findall(index_text(line))
        words = [w for w in found if w not in ENGLISH_STOP_WORDS]
        terms.extend(words)
        if WORD_BIGRAMS and ascii:
            terms.extend(map(" ".join, pairwise(words)))
        elif WORD_BIGRAMS:
            terms.extend(f"{a} {b}" for a, b in pairwise(words) if a.isascii() and b.isascii())
    return terms


def _vectorizer(
    *, max_df: float = MAX_DF, analyzer: Callable[[str], list[str]] = analyze
) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer=analyzer,
        sublinear_tf=True,
        max_df=max_df,
        max_features=MAX_TERMS,
        dtype=np.float32,
    )


_Row = tuple[np.ndarray, np.ndarray]
"""A row's term indices and values."""


class Features:
    """A fitted vocabulary: ``matrix`` gives L2-normalised tf-idf rows, one per paper.

    Rows are remembered (the newest ``MAX_CACHED_ROWS``, keyed by the paper's text), since the
    same papers come back again and again: each chat's weak negatives are the same days' papers,
    and a model is retrained on yesterday's ratings plus today's.
    """

    def __init__(self, terms: Sequence[str], idf: np.ndarray) -> None:
        self._rows: OrderedDict[str, _Row] = OrderedDict()
        self.terms = tuple(terms)
        self.idf = np.asarray(idf, dtype=np.float64)
        vocabulary = {term: i for i, term in enumerate(self.terms)}
        # Only known terms reach the vectorizer: it looks each term up and catches a KeyError
        # for an unknown one, and most word pairs of a paper are unknown (3x the time).
        self._vectorizer = _vectorizer(
            analyzer=lambda text: list(filter(vocabulary.__contains__, analyze(text)))
        )
        self._vectorizer.vocabulary_ = vocabulary
        self._vectorizer.idf_ = self.idf
        digest = hashlib.sha256("\n".join(self.terms).encode())
        digest.update(self.idf.tobytes())
        self.version = f"{FORMAT}-{digest.hexdigest()[:16]}"
        """Names this fit; models carry it."""

    @property
    def width(self) -> int:
        return len(self.terms)

    def unknown(self, papers: Sequence[Paper]) -> list[Paper]:
        """The papers whose rows are not in memory, each once."""
        found: dict[str, Paper] = {}
        for paper in papers:
            text = paper_text(paper)
            if text not in self._rows:
                found.setdefault(text, paper)
        return list(found.values())

    def remember(self, paper: Paper, indices: bytes, data: bytes) -> None:
        """Take a row that ``stored_row`` gave before for ``paper`` as its own."""
        self._rows[paper_text(paper)] = (
            np.frombuffer(indices, dtype="<i4"),
            np.frombuffer(data, dtype="<f4"),
        )

    def stored_row(self, paper: Paper) -> tuple[bytes, bytes]:
        """The paper's row (computed now if not in memory) as bytes to store: little-endian
        int32 term indices and float32 values."""
        text = paper_text(paper)
        if text not in self._rows:
            self.matrix([paper])
        indices, data = self._rows[text]
        return indices.astype("<i4").tobytes(), data.astype("<f4").tobytes()

    def matrix(self, papers: Sequence[Paper]) -> csr_matrix:
        """One row per paper, in order: tf-idf over ``terms``, each row of unit length (or 0)."""
        texts = [paper_text(p) for p in papers]
        missing = list(dict.fromkeys(t for t in texts if t not in self._rows))
        if missing:
            new: csr_matrix = self._vectorizer.transform(missing)
            for text, start, end in zip(missing, new.indptr, new.indptr[1:], strict=False):
                self._rows[text] = (new.indices[start:end], new.data[start:end])
        rows = [self._rows[t] for t in texts]
        for text in texts:
            self._rows.move_to_end(text)
        while len(self._rows) > MAX_CACHED_ROWS:
            self._rows.popitem(last=False)
        indptr = np.cumsum([0, *(len(indices) for indices, _ in rows)])
        return csr_matrix(
            (
                np.concatenate([data for _, data in rows] or [np.zeros(0, np.float32)]),
                np.concatenate([indices for indices, _ in rows] or [np.zeros(0, np.int32)]),
                indptr,
            ),
            shape=(len(rows), self.width),
        )

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        np.savez(out, format=np.int64(FORMAT), terms=np.array(self.terms, dtype=str), idf=self.idf)
        return out.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> Features:
        """The features ``to_bytes`` wrote; FeaturesFormatError for another format."""
        with np.load(io.BytesIO(blob), allow_pickle=False) as stored:
            if int(stored["format"]) != FORMAT:
                raise FeaturesFormatError(f"features of format {int(stored['format'])}")
            return cls([str(t) for t in stored["terms"]], stored["idf"])


def text_key(paper: Paper) -> bytes:
    """A short hash of the text a paper's row is computed from: a stored row whose key differs
    was computed from other text."""
    return hashlib.blake2b(paper_text(paper).encode(), digest_size=8).digest()


def fit_features(papers: Sequence[Paper]) -> Features:
    """A vocabulary and idf weights fitted on ``papers`` (terms in at most half of them, once
    there are enough papers for that to mean something).

    Raises ValueError when the papers have no words at all.
    """
    vectorizer = _vectorizer(max_df=MAX_DF if len(papers) >= MIN_PAPERS_FOR_MAX_DF else 1.0)
    vectorizer.fit([paper_text(p) for p in papers])
    terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
    return Features(terms, vectorizer.idf_)
