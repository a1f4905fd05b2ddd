"""Which papers of a digest a subscriber gets (pure).

The rule (/help says it as ``bot.text.messages.MATCHING_RULE``): a paper matches when (no
categories are chosen, or one of its categories — cross-lists included — is chosen) AND (no
keywords or authors are chosen, or a keyword or a followed author matches) AND no exclusion
matches.

Keywords and exclusions are searched, NFKC-normalised and case-folded, in the title, TL;DR,
motivation, method, result, conclusion and abstract. A keyword written in Latin (or any non-CJK)
script matches whole words, phrases included (``RL`` is not found in ``world``; ``graph neural``
is found in ``Graph  Neural Networks``); a keyword with any CJK, Kana or Hangul character matches as
a substring, since those scripts do not separate words. A followed name matches an author whose
name holds every word of it, in any order, case- and accent-insensitively, a one-letter word
standing for an initial (``Hinton``, ``geoffrey hinton`` and ``G. Hinton`` all match
``Geoffrey E. Hinton``; ``Jose Muller`` matches ``José Müller``).

Speed: fan-out plans thousands of subscriptions over one digest, so ``DigestIndex`` indexes the
digest once (words, categories, author names -> bitsets of papers), answers each keyword once for
the whole digest, and leaves each subscription with a few integer ANDs and ORs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.models import Paper, Subscription
from bot.rules.matching_text import (
    Keyword,
    PreparedPaper,
    compile_keyword,
    name_matches,
    name_words,
    prepare_paper,
)

__all__ = [
    "DigestIndex",
    "Keyword",
    "MatchedPaper",
    "Matcher",
    "PreparedPaper",
    "compile_keyword",
    "compile_subscription",
    "match_paper",
    "name_words",
    "plan_matches",
    "prepare_paper",
]


TITLE_KEYWORD_SCORE = 2.0
TEXT_KEYWORD_SCORE = 1.0
AUTHOR_SCORE = 3.0


@dataclass(frozen=True, slots=True)
class MatchedPaper:
    """A paper a subscriber gets, and why: their keywords and the paper's authors that matched."""

    paper: Paper
    keywords: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Matcher:
    """A subscription's filters compiled for matching; display texts are kept as the user wrote."""

    categories: frozenset[str]
    keywords: tuple[tuple[str, Keyword], ...]
    excludes: tuple[Keyword, ...]
    authors: tuple[tuple[str, ...], ...]


def compile_subscription(sub: Subscription) -> Matcher:
    return Matcher(
        categories=frozenset(c.casefold() for c in sub.categories),
        keywords=tuple((k, compile_keyword(k)) for k in dict.fromkeys(sub.keywords)),
        excludes=tuple(compile_keyword(k) for k in dict.fromkeys(sub.excludes)),
        authors=tuple(words for words in dict.fromkeys(map(name_words, sub.authors)) if words),
    )


_ONE = re.compile("1")


def _indices(bits: int) -> list[int]:
    """Positions of the set bits, ascending (via the binary string: fast for 500-bit sets)."""
    return [match.start() for match in _ONE.finditer(bin(bits)[:1:-1])]


_Group = tuple[tuple[str, ...], tuple[tuple[str, ...], ...], float]
"""Why some papers match: (keywords as typed, followed names' words, score)."""


@dataclass(frozen=True, slots=True)
class _Reason:
    """Papers (a bitset) that earn ``score`` for one keyword, title hit or followed author."""

    bits: int
    score: float
    keyword: str | None = None
    followed: tuple[str, ...] | None = None
    """The words of a followed author's name."""

    def add_to(self, group: _Group) -> _Group:
        keywords, followed, score = group
        if self.keyword is not None:
            keywords = (*keywords, self.keyword)
        if self.followed is not None:
            followed = (*followed, self.followed)
        return keywords, followed, score + self.score


class DigestIndex:
    """One digest indexed for matching many subscriptions; answers are cached per keyword/name."""

    def __init__(self, papers: Iterable[Paper]) -> None:
        self._papers = [prepare_paper(p) for p in papers]
        self._all = (1 << len(self._papers)) - 1
        self._categories = self._bitsets(p.categories for p in self._papers)
        self._words = self._bitsets(p.words for p in self._papers)
        self._title_words = self._bitsets(p.title_words for p in self._papers)
        self._author_words = self._bitsets(
            {w for author in p.authors for w in author} for p in self._papers
        )
        self._keyword_hits: dict[str, tuple[int, int]] = {}
        self._author_hits: dict[tuple[str, ...], tuple[int, dict[int, tuple[str, ...]]]] = {}
        self._plain_lists: dict[int, list[MatchedPaper]] = {}
        self._made: dict[tuple[object, ...], dict[int, MatchedPaper]] = {}
        self._paper = [p.paper for p in self._papers]
        self._plain = [MatchedPaper(paper) for paper in self._paper]

    @property
    def papers(self) -> Sequence[Paper]:
        """The digest's papers, in its order."""
        return self._paper

    @staticmethod
    def _bitsets(keys_per_paper: Iterable[Iterable[str]]) -> dict[str, int]:
        index: dict[str, int] = {}
        for position, keys in enumerate(keys_per_paper):
            bit = 1 << position
            for key in keys:
                index[key] = index.get(key, 0) | bit
        return index

    def _keyword(self, keyword: Keyword) -> tuple[int, int]:
        """(papers whose text matches, papers whose title matches) as bitsets."""
        cached = self._keyword_hits.get(keyword.folded)
        if cached is None:
            cached = self._keyword_hits[keyword.folded] = self._find_keyword(keyword)
        return cached

    def _find_keyword(self, keyword: Keyword) -> tuple[int, int]:
        if keyword.single_word:
            return self._words.get(keyword.folded, 0), self._title_words.get(keyword.folded, 0)
        candidates = self._all
        for word in keyword.words:
            candidates &= self._words.get(word, 0)
        text_bits = title_bits = 0
        for position in _indices(candidates):
            paper = self._papers[position]
            if keyword.found_in(paper):
                text_bits |= 1 << position
                if keyword.found_in(paper, title_only=True):
                    title_bits |= 1 << position
        return text_bits, title_bits

    def _author(self, wanted: tuple[str, ...]) -> tuple[int, dict[int, tuple[str, ...]]]:
        """Papers with an author matching ``wanted``, and those authors' names per paper."""
        cached = self._author_hits.get(wanted)
        if cached is not None:
            return cached
        candidates = self._all
        for word in wanted:
            if len(word) > 1:
                candidates &= self._author_words.get(word, 0)
        names: dict[int, tuple[str, ...]] = {}
        for position in _indices(candidates):
            paper = self._papers[position]
            found = tuple(
                name
                for name, words in zip(paper.paper.authors, paper.authors, strict=True)
                if name_matches(wanted, words)
            )
            if found:
                names[position] = found
        bits = sum(1 << position for position in names)
        self._author_hits[wanted] = cached = (bits, names)
        return cached

    def _bits(self, matcher: Matcher) -> int:
        bits = self._all
        if matcher.categories:
            bits = 0
            for category in matcher.categories:
                bits |= self._categories.get(category, 0)
        if matcher.keywords or matcher.authors:
            wanted = 0
            for _, keyword in matcher.keywords:
                wanted |= self._keyword(keyword)[0]
            for author in matcher.authors:
                wanted |= self._author(author)[0]
            bits &= wanted
        for exclude in matcher.excludes:
            bits &= ~self._keyword(exclude)[0]
        return bits

    def count(self, matcher: Matcher) -> int:
        """How many papers match, without building the list."""
        return self._bits(matcher).bit_count()

    def match(self, matcher: Matcher) -> list[MatchedPaper]:
        """The matching papers, best first; ties keep the digest's order."""
        bits = self._bits(matcher)
        if not (matcher.keywords or matcher.authors):
            plain = self._plain_lists.get(bits)
            if plain is None:
                plain = self._plain_lists[bits] = [self._plain[i] for i in _indices(bits)]
            return list(plain)
        return self._explain(bits, matcher)

    def _matched_papers(self, group: _Group, found: list[int]) -> list[MatchedPaper]:
        """The papers at ``found`` matched for the reasons of ``group``.

        Equal results are shared between subscriptions (they are immutable): thousands of chats
        following the same keyword then cost the garbage collector nothing.
        """
        made = self._made.setdefault(group, {})
        keywords, followed, score = group
        for position in [i for i in found if i not in made]:
            authors = self._matched_authors(followed, position) if followed else ()
            made[position] = MatchedPaper(self._paper[position], keywords, authors, score)
        return list(map(made.__getitem__, found))

    def _matched_authors(
        self, followed: tuple[tuple[str, ...], ...], position: int
    ) -> tuple[str, ...]:
        names = {name for wanted in followed for name in self._author(wanted)[1][position]}
        return tuple(name for name in self._paper[position].authors if name in names)

    def _reasons(self, bits: int, matcher: Matcher) -> list[_Reason]:
        reasons: list[_Reason] = []
        for text, keyword in matcher.keywords:
            text_bits, title_bits = self._keyword(keyword)
            if text_bits & bits:
                reasons.append(_Reason(text_bits & bits, TEXT_KEYWORD_SCORE, keyword=text))
            if title_bits & bits:
                reasons.append(_Reason(title_bits & bits, TITLE_KEYWORD_SCORE - TEXT_KEYWORD_SCORE))
        for wanted in matcher.authors:
            hits = self._author(wanted)[0]
            if hits & bits:
                reasons.append(_Reason(hits & bits, AUTHOR_SCORE, followed=wanted))
        return reasons

    def _explain(self, bits: int, matcher: Matcher) -> list[MatchedPaper]:
        """The papers in ``bits`` with their reasons and scores.

        Papers are first grouped by the set of reasons they share (a few integer operations per
        reason), so the per-paper work is only building its ``MatchedPaper``.
        """
        groups: dict[_Group, int] = {((), (), 0.0): bits}
        for reason in self._reasons(bits, matcher):
            split: dict[_Group, int] = {}
            for group, members in groups.items():
                inside = members & reason.bits
                if inside != members:
                    split[group] = split.get(group, 0) | (members ^ inside)
                if inside:
                    grown = reason.add_to(group)
                    split[grown] = split.get(grown, 0) | inside
            groups = split
        by_score: dict[float, list[tuple[list[int], list[MatchedPaper]]]] = {}
        for group, members in groups.items():
            found = _indices(members)
            by_score.setdefault(group[2], []).append((found, self._matched_papers(group, found)))
        ranked: list[MatchedPaper] = []
        for score in sorted(by_score, reverse=True):
            positions = [i for found, _ in by_score[score] for i in found]
            matched = [m for _, papers in by_score[score] for m in papers]
            order = sorted(range(len(matched)), key=positions.__getitem__)
            ranked.extend(map(matched.__getitem__, order))
        return ranked


def plan_matches(papers: Sequence[Paper], sub: Subscription) -> list[MatchedPaper]:
    """The papers of one digest that ``sub`` gets, best first (ties keep the digest's order)."""
    return DigestIndex(papers).match(compile_subscription(sub))


def match_paper(paper: Paper, sub: Subscription) -> MatchedPaper | None:
    """``paper`` with the reasons it matches ``sub``, or None when it does not."""
    found = plan_matches([paper], sub)
    return found[0] if found else None
