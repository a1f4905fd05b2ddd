"""A chat's model: linear classifiers over the features, and the papers it liked.

Positives are the papers the chat rated 👍 or saved, negatives those it rated 👎; weak negatives
are papers of the same days it left unrated (as arxiv-sanity-lite trains on every paper not
tagged), weighted less, since an unrated paper may simply not have been seen. A chat with only 👎
takes its unrated papers as weak positives instead: a model of what it does not want.

Two linear SVMs are fitted and summed into one weight vector. The dense one (L2) spreads weight
over every term its papers share: it carries a broad taste and learns from a handful of ratings.
The sparse one (L1), fitted once a chat has liked ``SPARSE_FROM`` papers, keeps only the few
terms that decide: "reinforcement learning", where the dense one also weighs "policy", "reward"
and "agent", which many papers of other subjects use too. The weights are kept sparse: a term
absent from every training paper gets no weight, so a model holds only the few thousand terms
its papers use, whatever the vocabulary's width.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.svm import LinearSVC

from bot.models import Paper
from bot.ranking.features import Features

FORMAT = 2
"""The layout of ``ChatModel.to_bytes`` (1 was an ``.npz``, never shipped)."""
TRAINING = 2
"""How ``train`` learns (1: the dense SVM alone; 2: the sparse one joins from ``SPARSE_FROM``
liked papers). The store keeps it beside each model and trains a model of another again at the
next refresh, as it does one of older features: a change here must count it up."""
WEAK_WEIGHT = 0.01
"""An unrated paper counts this much beside a rated one: 300 of them together weigh 3 ratings.
Many unrated papers are of the reader's interest, only not on the page they saw (P@15 in the
bench: 0.3 -> 0.1 -> 0.01, 0.302 -> 0.319 -> 0.338)."""
SPARSE_FROM = 10
"""Papers a chat must have liked (and one it rejected) before the sparse model joins in: a few
terms stand for a subject only once they are seen in enough of its papers. The bench could not
tell 5 from 10 or 20 (P@15 0.363, 0.363, 0.361); alone, the sparse model failed the chats that
had liked nothing yet."""
MAX_WEIGHTS = 4096
"""The heaviest weights a model keeps (by magnitude): stacked for thousands of chats, every
weight kept costs memory and time in each digest's product."""
MAX_LIKED = 50
"""The newest liked papers kept to explain a score ("like: <title>")."""
LIKED_TERMS = 32
"""The weightiest terms of a liked paper kept to find the papers most like it."""


class ModelFormatError(ValueError):
    """A stored model written in another format than this code's."""


class LinearClassifier(Protocol):
    """What ``train`` needs of a scikit-learn linear classifier."""

    coef_: np.ndarray
    intercept_: np.ndarray

    def fit(self, X: csr_matrix, y: np.ndarray, sample_weight: np.ndarray) -> object: ...


def dense_classifier() -> LinearClassifier:
    """A linear SVM as arxiv-sanity-lite trains per tag; classes balanced, as a reader's 👍 are
    far fewer than the papers they pass over. In the bench, logistic regression (C 1 or 10), C 0.3,
    1 or 10, or unbalanced classes did no better (within 0.01 of precision@15)."""
    svm: LinearClassifier = LinearSVC(C=0.1, class_weight="balanced", random_state=0)
    return svm


def sparse_classifier() -> LinearClassifier:
    """A linear SVM with an L1 penalty: most of its weights are zero. L1 logistic regression
    (C 3) did as well in the bench; alone, C 0.3 did worse than C 1 (P@15 0.188, 0.263)."""
    svm: LinearClassifier = LinearSVC(
        C=1.0, penalty="l1", dual=False, class_weight="balanced", random_state=0, max_iter=5000
    )
    return svm


@dataclass(frozen=True, eq=False)
class ChatModel:
    """One chat's weights over the terms of the features ``features_version`` names."""

    features_version: str
    weights: csr_matrix
    """1 x width: a paper's score is its row's dot product with this, plus ``intercept``."""
    intercept: float
    liked_titles: tuple[str, ...]
    liked: csr_matrix
    """One row per liked title: the papers a score is explained by."""

    def scores(self, rows: csr_matrix) -> np.ndarray:
        """A score per row of ``Features.matrix``: higher is more to the chat's taste."""
        return np.asarray((rows @ self.weights.T).toarray()).ravel() + self.intercept

    def most_like(self, rows: csr_matrix) -> list[str | None]:
        """Per row, the title of the liked paper closest to it (cosine), None if none shares
        a term with it."""
        best = closest(np.asarray((self.liked @ rows.T).toarray()))
        return [self.liked_titles[i] if i >= 0 else None for i in best.tolist()]

    def to_bytes(self) -> bytes:
        """A JSON header, then the arrays' raw bytes: read back in microseconds, where an
        ``.npz`` took 2 ms (thousands of models are read for every digest)."""
        pairs = zip(self._arrays(), _TYPES, strict=True)
        arrays = [np.ascontiguousarray(a, dtype=kind) for a, kind in pairs]
        header = json.dumps(
            {
                "format": FORMAT,
                "features": self.features_version,
                "intercept": self.intercept,
                "width": self.weights.shape[1],
                "titles": self.liked_titles,
                "lengths": [len(a) for a in arrays],
            }
        ).encode()
        return b"".join([len(header).to_bytes(4, "little"), header, *(a.tobytes() for a in arrays)])

    def _arrays(self) -> tuple[np.ndarray, ...]:
        w, liked = self.weights, self.liked
        return w.indices, w.data, liked.indices, liked.data, liked.indptr

    @classmethod
    def from_bytes(cls, blob: bytes) -> ChatModel:
        """The model ``to_bytes`` wrote; ModelFormatError for another format."""
        size = int.from_bytes(blob[:4], "little")
        try:
            header = json.loads(blob[4 : 4 + size])
        except ValueError as error:
            raise ModelFormatError("not a model") from error
        if header.get("format") != FORMAT:
            raise ModelFormatError(f"a model of format {header.get('format')}")
        arrays, offset = [], 4 + size
        for length, kind in zip(header["lengths"], _TYPES, strict=True):
            arrays.append(np.frombuffer(blob, dtype=kind, count=length, offset=offset))
            offset += length * np.dtype(kind).itemsize
        terms, values, liked_terms, liked_values, liked_rows = arrays
        width, titles = header["width"], tuple(header["titles"])
        return cls(
            features_version=header["features"],
            weights=csr_matrix((values, terms, [0, len(terms)]), shape=(1, width)),
            intercept=header["intercept"],
            liked_titles=titles,
            liked=csr_matrix((liked_values, liked_terms, liked_rows), shape=(len(titles), width)),
        )


_TYPES = (np.int32, np.float32, np.int32, np.float32, np.int32)
"""The dtype of each of ``ChatModel._arrays``, as stored."""


def closest(similarity: np.ndarray) -> np.ndarray:
    """For each column of ``similarity`` (liked papers x rows), the row of the most similar
    liked paper, or -1 where none shares a term with it."""
    if similarity.shape[0] == 0:
        return np.full(similarity.shape[1], -1)
    best = similarity.argmax(axis=0)
    return np.where(similarity[best, np.arange(similarity.shape[1])] > 0, best, -1)


def train(
    features: Features,
    positives: Sequence[Paper],
    negatives: Sequence[Paper],
    unrated: Sequence[Paper],
) -> ChatModel:
    """A model that scores papers like ``positives`` above the others.

    The ``unrated`` papers (of the days the chat rated) are weak negatives, weighted less. A chat
    with only 👎 gets a model too: its unrated papers are then weak positives, so its next page
    moves away from what it rejected, the only way a reader of a rare subject ever meets a paper
    of it to like. Raises ValueError unless there are papers of both kinds. Deterministic: the
    same papers give the same weights.
    """
    papers = [*positives, *negatives, *unrated]
    rows = features.matrix(papers)
    labels = np.zeros(len(papers), dtype=np.int8)
    labels[: len(positives)] = 1
    labels[len(positives) + len(negatives) :] = int(not positives)
    if len(np.unique(labels)) < 2:
        raise ValueError("a model needs a positive and a negative paper")
    weights = np.ones(len(papers))
    weights[len(positives) + len(negatives) :] = WEAK_WEIGHT
    classifiers = [dense_classifier()]
    if len(positives) >= SPARSE_FROM and negatives:
        classifiers.append(sparse_classifier())
    coef, intercept = np.zeros(features.width), 0.0
    for classifier in classifiers:
        classifier.fit(rows, labels, sample_weight=weights)
        one = np.ravel(classifier.coef_)
        spread = float(np.std(rows @ one)) or 1.0
        coef += one / spread
        intercept += float(np.ravel(classifier.intercept_)[0]) / spread
    liked = positives[-MAX_LIKED:]
    return ChatModel(
        features_version=features.version,
        weights=_heaviest(csr_matrix(coef[np.newaxis].astype(np.float32)), MAX_WEIGHTS),
        intercept=intercept,
        liked_titles=tuple(p.title for p in liked),
        liked=_heaviest(rows[len(positives) - len(liked) : len(positives)], LIKED_TERMS),
    )


def _heaviest(rows: csr_matrix, keep: int) -> csr_matrix:
    """``rows`` with only the ``keep`` values of largest magnitude of each row, the rest zero."""
    rows = rows.tocsr(copy=True)
    for start, end in zip(rows.indptr, rows.indptr[1:], strict=False):
        if end - start > keep:
            values = rows.data[start:end]
            values[np.argsort(np.abs(values))[: end - start - keep]] = 0
    rows.eliminate_zeros()
    return rows
