"""Papers like a given one (mixed into ``Store``): its weightiest terms, ranked with bm25.

``bot.rules.similar`` picks the paper's terms; every paper that contains one of them in its
title, AI summary or abstract is ranked with bm25 and the search's column weights, and the paper
itself, its re-postings (the same title under another id) and repeats among the rest are
skipped. Each hit says which of the terms it shares, in its own words.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlite_utils

from bot.models import Paper, SimilarHit, SimilarPapers
from bot.rules.similar import (
    TermProfile,
    pick_terms,
    prose,
    shared_words,
    term_profile,
    title_key,
    words,
)
from storage.papers import SELECT_PAPER, fts_document, load_papers, papers_from_rows
from storage.schema import FTS_WEIGHTS
from storage.stemmer import Stemmer
from storage.terms import paper_count, papers_with

SIMILAR_MAX = 8
CANDIDATES = 400
"""Ranked papers read to find ``limit`` distinct ones. Re-postings are rare in real digests,
but the benchmark's database holds every paper 39 times under other ids."""
_TITLES_AT_ONCE = 50
_BM25 = f"bm25(papers_fts, {', '.join(str(w) for w in FTS_WEIGHTS)})"
_COLUMNS = "{title summary abstract}"


def _texts(paper: Paper) -> tuple[str, str, str]:
    """The paper's title, AI summary and abstract as the index has them."""
    title, _authors, summary, abstract, _categories = fts_document(paper)
    return title, summary, abstract


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


class SimilarMixin:
    db: sqlite_utils.Database
    stemmer: Stemmer

    def similar(self, paper_id: str, *, limit: int = SIMILAR_MAX) -> SimilarPapers | None:
        """Up to ``limit`` papers most like ``paper_id``, closest first; None when the paper is
        not stored. Deterministic: ties go to the older paper."""
        stored = load_papers(self.db, [paper_id]).get(paper_id)
        if stored is None:
            return None
        doc, paper = stored
        profile = self._profile(paper)
        counts = papers_with(self.db, list(profile.weights))
        terms = pick_terms(profile.weights, counts, paper_count(self.db))
        if not terms or limit <= 0:
            return SimilarPapers(paper)
        # The query gives each term as the paper writes it: the tokenizer stems it again, and
        # stemming a stem can change it ("acceler" -> "accel").
        match = f"{_COLUMNS} : ({' OR '.join(_quoted(profile.spellings[t]) for t in terms)})"
        ranked = self.db.execute(
            f"SELECT rowid, {_BM25} AS score FROM papers_fts WHERE papers_fts MATCH ?"
            f" ORDER BY score, rowid LIMIT {CANDIDATES}",
            [match],
        ).fetchall()
        found = self._distinct(ranked, doc=doc, title=paper.title, limit=limit)
        hits = zip(self._papers_by_doc([d for d, _ in found]), found, strict=True)
        return SimilarPapers(
            paper,
            tuple(SimilarHit(hit, -score, self._shared(hit, terms)) for hit, (_, score) in hits),
        )

    def _profile(self, paper: Paper) -> TermProfile:
        columns = [words(prose(text).lower()) for text in _texts(paper)]
        stems = self.stemmer.stems(word for column in columns for word in column)
        return term_profile(columns, stems)

    def _shared(self, paper: Paper, terms: Sequence[str]) -> tuple[str, ...]:
        """The paper's own words for those of ``terms`` it contains, in their order, found in its
        prose as the paper's own terms were (bm25 may have matched one in a formula)."""
        text = prose("\n".join(_texts(paper)))
        found = dict.fromkeys(words(text.lower()))
        return shared_words(terms, text, found, self.stemmer.stems(found))

    def _distinct(
        self, ranked: Sequence[tuple[int, float]], *, doc: int, title: str, limit: int
    ) -> list[tuple[int, float]]:
        """The first ``limit`` of ``ranked`` that are neither the paper nor a re-posting of it
        or of one before them."""
        keys: dict[str, str] = {}  # re-postings share their title: each is keyed once
        seen = {title_key(title)}
        found: list[tuple[int, float]] = []
        for start in range(0, len(ranked), _TITLES_AT_ONCE):
            chunk = ranked[start : start + _TITLES_AT_ONCE]
            titles = dict(
                self.db.execute(
                    f"SELECT doc, title FROM papers WHERE doc IN ({', '.join('?' * len(chunk))})",
                    [d for d, _ in chunk],
                )
            )
            for candidate, score in chunk:
                if titles[candidate] not in keys:
                    keys[titles[candidate]] = title_key(titles[candidate])
                key = keys[titles[candidate]]
                if candidate != doc and key not in seen:
                    seen.add(key)
                    found.append((candidate, score))
                    if len(found) == limit:
                        return found
        return found

    def _papers_by_doc(self, docs: Sequence[int]) -> list[Paper]:
        rows = self.db.execute(
            f"SELECT {SELECT_PAPER} FROM papers p WHERE p.doc IN ({', '.join('?' * len(docs))})",
            list(docs),
        ).fetchall()
        by_doc = dict(zip((row[0] for row in rows), papers_from_rows(self.db, rows), strict=True))
        return [by_doc[d] for d in docs]
