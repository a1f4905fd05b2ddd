"""A chat's model: a linear classifier over the features, and the papers it liked.

Positives are the papers the chat rated 👍 or saved, negatives those it rated 👎; weak negatives
are papers of the same days it left unrated (as arxiv-sanity-lite trains on every paper not
tagged), weighted less, since an unrated paper may simply not have been seen. The weights are
kept sparse: a term absent from every training paper gets no weight, so a model holds only the
few thousand terms its papers use, whatever the vocabulary's width.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.svm import LinearSVC

from bot.models import Paper
from bot.ranking.features import Features

FORMAT = 1
"""The layout of ``ChatModel.to_bytes``."""
WEAK_NEGATIVE_WEIGHT = 0.3
"""An unrated paper counts this much against a 👎."""
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


def default_classifier() -> LinearClassifier:
    """A linear SVM as arxiv-sanity-lite trains per tag; classes balanced, as a reader's 👍 are
    far fewer than the papers they pass over (the bench compares it with logistic regression)."""
    svm: LinearClassifier = LinearSVC(C=0.1, class_weight="balanced", random_state=0)
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
        out = io.BytesIO()
        np.savez(
            out,
            format=np.int64(FORMAT),
            features=np.array(self.features_version),
            intercept=np.float64(self.intercept),
            weight_terms=self.weights.indices,
            weight_values=self.weights.data,
            titles=np.array(self.liked_titles, dtype=str),
            liked_data=self.liked.data,
            liked_indices=self.liked.indices,
            liked_indptr=self.liked.indptr,
            width=np.int64(self.weights.shape[1]),
        )
        return out.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> ChatModel:
        """The model ``to_bytes`` wrote; ModelFormatError for another format."""
        with np.load(io.BytesIO(blob), allow_pickle=False) as stored:
            if int(stored["format"]) != FORMAT:
                raise ModelFormatError(f"a model of format {int(stored['format'])}")
            width = int(stored["width"])
            terms = stored["weight_terms"]
            weights = csr_matrix(
                (stored["weight_values"], terms, np.array([0, len(terms)])), shape=(1, width)
            )
            titles = tuple(str(t) for t in stored["titles"])
            liked = csr_matrix(
                (stored["liked_data"], stored["liked_indices"], stored["liked_indptr"]),
                shape=(len(titles), width),
            )
            return cls(str(stored["features"]), weights, float(stored["intercept"]), titles, liked)


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
    weak_negatives: Sequence[Paper],
    *,
    classifier: LinearClassifier | None = None,
) -> ChatModel:
    """A model that scores papers like ``positives`` above the others.

    Raises ValueError without a positive, or without any negative of either kind. Deterministic:
    the same papers give the same weights.
    """
    if not positives or not (negatives or weak_negatives):
        raise ValueError("a model needs a positive and a negative paper")
    papers = [*positives, *negatives, *weak_negatives]
    rows = features.matrix(papers)
    labels = np.zeros(len(papers), dtype=np.int8)
    labels[: len(positives)] = 1
    weights = np.ones(len(papers))
    weights[len(positives) + len(negatives) :] = WEAK_NEGATIVE_WEIGHT
    fitted = classifier or default_classifier()
    fitted.fit(rows, labels, sample_weight=weights)
    liked = positives[-MAX_LIKED:]
    return ChatModel(
        features_version=features.version,
        weights=_heaviest(csr_matrix(np.asarray(fitted.coef_, dtype=np.float32)), MAX_WEIGHTS),
        intercept=float(np.ravel(fitted.intercept_)[0]),
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
