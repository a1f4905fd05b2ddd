"""Each chat's ranking model: the fitted features and one model per chat (mixed into ``Store``).

The features are fitted on the stored papers and fitted again once the papers have grown by a
fifth; a refit gives them a new version, and every model of an older version is retrained at the
next refresh. A chat's model is retrained only when its feedback changed (a fingerprint of its
ratings, saves or votes is stored beside the model, after the version of the training,
``bot.ranking.model.TRAINING``, so that a new way of training reaches every model), so a refresh
with nothing new trains nothing, and a restart trains nothing either.

``bot.ranking`` (numpy, scipy, scikit-learn: a quarter of a second to import) is imported inside
the methods that need it, so the command line and the bot's start-up do not pay for it.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

import sqlite_utils

from bot.models import FeedbackCounts, Paper, Ranking
from storage.papers import load_papers
from storage.transactions import write_transaction

if TYPE_CHECKING:
    from bot.ranking.features import Features

REFIT_GROWTH = 1.2
"""Refit the features once the stored papers have grown by this factor since the last fit."""
MAX_FIT_PAPERS = 20_000
"""The newest papers the features are fitted on: the last months' words, in a few seconds."""
UNRATED = 300
"""Unrated papers of the rated days a model trains on (a fixed sample per chat): weak negatives,
or weak positives for a chat with only 👎."""
WEAK_DAYS = 30
"""The newest rated days the weak negatives are drawn from."""
_CHUNK = 500
_RANK_CHUNK = 250
_ROWS_AT_ONCE = 500
"""Models read and scored together: their blobs and stacked weights are what ``rankings``
holds in memory at once (2,000 at once peaked at 239 MB)."""
T = TypeVar("T")


class RankersMixin:
    db: sqlite_utils.Database
    _rank_features: Features | None = None
    """The features last read or fitted by this store."""

    def feedback_counts(self, chat_id: int) -> FeedbackCounts:
        """What the chat's model learns from: a person's 👍, 👎 and ⭐; a group's members' votes
        (each paper counted once, as 👍 or 👎 by its sum of votes; a group saves nothing)."""
        if chat_id < 0:
            labels = self._group_labels(chat_id)
            return FeedbackCounts(
                liked=sum(v > 0 for v in labels.values()),
                disliked=sum(v < 0 for v in labels.values()),
            )
        row = self.db.execute(
            "SELECT (SELECT count(*) FROM ratings WHERE user_id = ?1 AND rating = 1),"
            " (SELECT count(*) FROM ratings WHERE user_id = ?1 AND rating = -1),"
            " (SELECT count(*) FROM saved WHERE user_id = ?1)",
            [chat_id],
        ).fetchone()
        return FeedbackCounts(*(int(value) for value in row))

    def refresh_models(self, *, chat_ids: Collection[int] | None = None) -> int:
        """Refit the features if due, then retrain the models (of every chat, or of
        ``chat_ids``) whose feedback changed, or whose features or way of training are older;
        drop the models of chats with no feedback left. Returns how many models were trained."""
        from bot.ranking.model import TRAINING

        features = self._ranking_features(refit=True)
        wanted = None if chat_ids is None else set(chat_ids)
        fingerprints = {
            chat: f"{TRAINING}:{feedback}"
            for chat, feedback in self._feedback_fingerprints(wanted).items()
        }
        stored = {
            chat: (version, feedback)
            for chat, version, feedback in self.db.execute(
                "SELECT chat_id, features, feedback FROM rank_models"
            )
            if wanted is None or chat in wanted
        }
        gone = [chat for chat in stored if chat not in fingerprints]
        with write_transaction(self.db):
            for chat in gone:
                self.drop_model(chat)
        if features is None:
            return 0
        trained = 0
        for chat, feedback in sorted(fingerprints.items()):
            if stored.get(chat) != (features.version, feedback):
                trained += self._retrain(chat, feedback, features)
        return trained

    def rankings(self, chat_ids: Collection[int], papers: Sequence[Paper]) -> dict[int, Ranking]:
        """The scores of ``papers`` by the model of each of ``chat_ids`` that has one, and the
        liked paper each is most like; a few hundred chats in each product
        (``bot.ranking.batch``)."""
        features = self._ranking_features(refit=False)
        if features is None or not papers:
            return {}
        from bot.ranking.batch import rank_papers
        from bot.ranking.model import ChatModel

        rankings: dict[int, Ranking] = {}
        self.warm_rows(features, papers)
        for chunk in _chunks(chat_ids, _RANK_CHUNK):
            models = {
                chat: ChatModel.from_bytes(blob)
                for chat, blob in self.db.execute(
                    "SELECT chat_id, blob FROM rank_models WHERE blob IS NOT NULL"
                    f" AND features = ? AND chat_id IN ({', '.join('?' * len(chunk))})",
                    [features.version, *chunk],
                )
            }
            rankings.update(rank_papers(models, features, papers))
        return rankings

    def drop_model(self, chat_id: int) -> None:
        """Forget the chat's model (``/forget``); it is trained again from what feedback is left."""
        self.db.execute("DELETE FROM rank_models WHERE chat_id = ?", [chat_id])

    def _ranking_features(self, *, refit: bool) -> Features | None:
        """The stored features (read once per store), fitted first when ``refit`` and due."""
        from bot.ranking.features import Features, FeaturesFormatError, fit_features

        row = self.db.execute("SELECT version, papers, blob FROM rank_features").fetchone()
        if row is not None and (
            self._rank_features is None or self._rank_features.version != row[0]
        ):
            try:
                self._rank_features = Features.from_bytes(row[2])
            except FeaturesFormatError:
                row = None
        papers = int(self.db.execute("SELECT count(*) FROM papers").fetchone()[0])
        if refit and papers and (row is None or papers >= row[1] * REFIT_GROWTH):
            try:
                self._rank_features = fit_features(self._newest_papers(MAX_FIT_PAPERS))
            except ValueError:  # not one word in any paper
                return None
            with write_transaction(self.db):
                self.db.execute("DELETE FROM rank_features")
                self.db.execute("DELETE FROM rank_rows")
                self.db.execute(
                    "INSERT INTO rank_features (version, papers, blob) VALUES (?, ?, ?)",
                    [self._rank_features.version, papers, self._rank_features.to_bytes()],
                )
            return self._rank_features
        return self._rank_features if row is not None else None

    def _newest_papers(self, limit: int) -> list[Paper]:
        ids = [
            r[0]
            for r in self.db.execute("SELECT id FROM papers ORDER BY doc DESC LIMIT ?", [limit])
        ]
        found = load_papers(self.db, ids)
        return [found[i][1] for i in ids]

    def _retrain(self, chat_id: int, feedback: str, features: Features) -> int:
        """Train the chat's model and store it (or that it has none: its rated papers are gone,
        or it rated every paper of its days the same)."""
        from bot.ranking.model import train

        labels = self._group_labels(chat_id) if chat_id < 0 else self._private_labels(chat_id)
        found = load_papers(self.db, list(labels))
        rated = {paper_id: paper for paper_id, (_, paper) in found.items()}
        unrated = self._unrated(chat_id, list(labels))
        self.warm_rows(features, [*rated.values(), *unrated])
        try:
            model = train(
                features,
                [rated[p] for p, v in labels.items() if v > 0 and p in rated],
                [rated[p] for p, v in labels.items() if v < 0 and p in rated],
                unrated,
            )
        except ValueError:
            model = None
        blob = None if model is None else model.to_bytes()
        self.db.execute(
            "INSERT INTO rank_models (chat_id, features, feedback, blob) VALUES (?, ?, ?, ?)"
            " ON CONFLICT DO UPDATE SET features = excluded.features,"
            " feedback = excluded.feedback, blob = excluded.blob",
            [chat_id, features.version, feedback, blob],
        )
        return int(blob is not None)

    def warm_rows(self, features: Features, papers: Sequence[Paper]) -> None:
        """Give ``features`` the stored rows of those ``papers`` it does not hold in memory, and
        store the rows it computes for the others (``rank_rows``)."""
        from bot.ranking.features import text_key

        unknown = features.unknown(papers)
        if not unknown:
            return
        keys = {p.id: text_key(p) for p in unknown}
        by_id = {p.id: p for p in unknown}
        for chunk in _chunks(list(by_id), _ROWS_AT_ONCE):
            rows = self.db.execute(
                "SELECT paper_id, text_key, indices, data FROM rank_rows WHERE features = ?"
                f" AND paper_id IN ({', '.join('?' * len(chunk))})",
                [features.version, *chunk],
            )
            for paper_id, key, indices, data in rows:
                if keys[paper_id] == key:
                    features.remember(by_id[paper_id], indices, data)
        computed = features.unknown(unknown)
        if not computed:
            return
        features.matrix(computed)
        with write_transaction(self.db):
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO rank_rows (features, paper_id, text_key, indices, data)"
                " VALUES (?, ?, ?, ?, ?)",
                [(features.version, p.id, keys[p.id], *features.stored_row(p)) for p in computed],
            )

    def _private_labels(self, user_id: int) -> dict[str, int]:
        """Paper id -> 1 (👍 or ⭐) or -1 (👎), oldest first; a 👎 outweighs a save."""
        rows = self.db.execute(
            "SELECT paper_id, rating FROM ("
            " SELECT paper_id, rating, rated_at AS at FROM ratings WHERE user_id = ?1"
            " UNION ALL SELECT paper_id, 0, saved_at FROM saved WHERE user_id = ?1"
            ") ORDER BY at, paper_id",
            [user_id],
        )
        labels: dict[str, int] = {}
        for paper_id, rating in rows:
            labels[paper_id] = min(labels.get(paper_id, 1), rating or 1)
        return labels

    def _group_labels(self, chat_id: int) -> dict[str, int]:
        """Paper id -> the sign of the group's votes on it (papers at a tie left out)."""
        rows = self.db.execute(
            "SELECT paper_id, sum(rating) AS score FROM group_votes WHERE chat_id = ?"
            " GROUP BY paper_id HAVING score != 0 ORDER BY max(rated_at), paper_id",
            [chat_id],
        )
        return {paper_id: 1 if score > 0 else -1 for paper_id, score in rows}

    def _unrated(self, chat_id: int, labelled: Sequence[str]) -> list[Paper]:
        """A fixed sample of the papers of the newest days the chat rated that it left unrated."""
        days: set[str] = set()
        for chunk in _chunks(labelled, _CHUNK):
            days.update(
                row[0]
                for row in self.db.execute(
                    "SELECT DISTINCT date FROM paper_digests"
                    f" WHERE paper_id IN ({', '.join('?' * len(chunk))})",
                    chunk,
                )
            )
        newest = sorted(days)[-WEAK_DAYS:]
        others = sorted(
            {
                row[0]
                for row in self.db.execute(
                    "SELECT paper_id FROM paper_digests"
                    f" WHERE date IN ({', '.join('?' * len(newest))})",
                    newest,
                )
            }
            - set(labelled)
        )
        sample = random.Random(chat_id).sample(others, min(UNRATED, len(others)))
        found = load_papers(self.db, sample)
        return [found[p][1] for p in sample if p in found]

    def _feedback_fingerprints(self, chat_ids: set[int] | None) -> dict[int, str]:
        """Chat id -> what its feedback looks like now (counts, sums and latest times), for every
        chat with feedback (among ``chat_ids``); a change of any rating, save or vote changes it."""
        found: dict[int, str] = {}
        for query in _FINGERPRINTS:
            for chat, fingerprint in self.db.execute(query):
                if chat_ids is None or chat in chat_ids:
                    found[chat] = found.get(chat, "") + fingerprint
        return found


_FINGERPRINTS = (
    "SELECT user_id, 'r' || count(*) || ':' || total(rating) || ':' || max(rated_at)"
    " FROM ratings GROUP BY user_id",
    "SELECT user_id, 's' || count(*) || ':' || max(saved_at) FROM saved GROUP BY user_id",
    "SELECT chat_id, 'g' || count(*) || ':' || total(rating) || ':' || max(rated_at)"
    " FROM group_votes GROUP BY chat_id",
)


def _chunks(values: Collection[T], size: int) -> Iterator[list[T]]:
    """``values`` in lists of at most ``size``: SQLite takes at most 32,766 parameters."""
    listed = list(values)
    for start in range(0, len(listed), size):
        yield listed[start : start + size]
