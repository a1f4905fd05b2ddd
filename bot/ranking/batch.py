"""One digest ranked for many chats at once: the papers are turned into rows once, every chat's
weights are stacked, and one sparse product scores every paper for every chat.

The answers are views over the product's columns and over one small array of "like" indices per
chat, not dicts: 2,000 chats of 500 papers would otherwise be two million Python objects. The
store calls this for a few hundred chats at a time, so only their models are in memory at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from itertools import pairwise

import numpy as np
from scipy.sparse import csr_matrix, vstack

from bot.models import Paper, Ranking
from bot.ranking.features import Features
from bot.ranking.model import ChatModel, closest

LIKE_BLOCK = 64
"""Chats whose liked papers are compared with the digest in one product (bounds its memory)."""


class _Scores(Mapping[str, float]):
    def __init__(self, positions: Mapping[str, int], values: np.ndarray) -> None:
        self._positions = positions
        self._values = values

    def __getitem__(self, paper_id: str) -> float:
        return float(self._values[self._positions[paper_id]])

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


class _Likes(Mapping[str, str]):
    """Paper id -> liked title, for the papers some liked paper shares a term with; a view over
    one small array per chat (a dict per chat was 2,000 x 500 Python objects)."""

    def __init__(
        self, positions: Mapping[str, int], best: np.ndarray, titles: Sequence[str]
    ) -> None:
        self._positions = positions
        self._best = best
        self._titles = titles

    def __getitem__(self, paper_id: str) -> str:
        best = int(self._best[self._positions[paper_id]])
        if best < 0:
            raise KeyError(paper_id)
        return self._titles[best]

    def __iter__(self) -> Iterator[str]:
        return (paper_id for paper_id, n in self._positions.items() if self._best[n] >= 0)

    def __len__(self) -> int:
        return int(np.count_nonzero(self._best >= 0))


def rank_papers(
    models: Mapping[int, ChatModel], features: Features, papers: Sequence[Paper]
) -> dict[int, Ranking]:
    """Each chat's ranking of ``papers``; chats whose model belongs to other features are left
    out (their scores would be against other terms)."""
    chats = [chat for chat, m in models.items() if m.features_version == features.version]
    if not chats or not papers:
        return {}
    rows = features.matrix(papers)
    ids = [p.id for p in papers]
    positions = {paper_id: i for i, paper_id in enumerate(ids)}
    stacked = vstack([models[chat].weights for chat in chats], format="csr")
    intercepts = np.array([models[chat].intercept for chat in chats], dtype=np.float32)
    scores = np.asarray((rows @ stacked.T).toarray()) + intercepts
    rankings = {}
    for start in range(0, len(chats), LIKE_BLOCK):
        block = chats[start : start + LIKE_BLOCK]
        likes = _most_like([models[chat] for chat in block], rows)
        for column, (chat, best) in enumerate(zip(block, likes, strict=True), start):
            rankings[chat] = Ranking(
                scores=_Scores(positions, scores[:, column]),
                like=_Likes(positions, best, models[chat].liked_titles),
            )
    return rankings


def _most_like(models: Sequence[ChatModel], rows: csr_matrix) -> list[np.ndarray]:
    """Per model, per row, the index of its closest liked paper (-1 for none)."""
    liked = vstack([m.liked for m in models], format="csr")
    bounds = np.cumsum([0, *(m.liked.shape[0] for m in models)]).tolist()
    similarity = np.asarray((liked @ rows.T).toarray())
    return [closest(similarity[a:b]).astype(np.int16) for a, b in pairwise(bounds)]
