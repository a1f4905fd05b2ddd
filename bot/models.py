"""Plain values shared by the parser, the store, the matcher and the formatter (stdlib only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

SUMMARY_FIELDS = ("tldr", "motivation", "method", "result", "conclusion")
"""The AI-written fields, in the order a digest shows them."""


@dataclass(frozen=True, slots=True)
class Summary:
    """A paper's AI-written text in one language (``zh``, ``en``, ``ja`` …)."""

    language: str
    tldr: str | None = None
    motivation: str | None = None
    method: str | None = None
    result: str | None = None
    conclusion: str | None = None

    @property
    def has_text(self) -> bool:
        return any(getattr(self, name) for name in SUMMARY_FIELDS)


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper as a digest or the store knows it; missing values are None, never placeholders."""

    id: str
    """Bare arXiv id without version: ``2510.19260`` or ``hep-th/9901001``."""
    title: str
    version: int | None = None
    authors: tuple[str, ...] = ()
    category: str | None = None
    """Primary arXiv category."""
    categories: tuple[str, ...] = ()
    """All categories, primary first (cross-lists are only known from JSONL)."""
    tldr: str | None = None
    motivation: str | None = None
    method: str | None = None
    result: str | None = None
    conclusion: str | None = None
    abstract: str | None = None
    comment: str | None = None
    date: dt.date | None = None
    """The date of the digest the paper was read from (the first one, once stored)."""
    summaries: tuple[Summary, ...] = ()
    """The AI text in each language that digests of known language brought, by language code;
    the fields above hold the text shown when no language is asked for (the latest run's)."""

    @property
    def has_ai_text(self) -> bool:
        """True when at least one AI-written field holds real text."""
        return any(getattr(self, name) for name in SUMMARY_FIELDS)

    @property
    def all_categories(self) -> tuple[str, ...]:
        """Primary category first, then cross-lists, without repeats."""
        seen = dict.fromkeys(c for c in (self.category, *self.categories) if c)
        return tuple(seen)

    @property
    def url(self) -> str:
        return f"https://arxiv.org/abs/{self.id}"


@dataclass(frozen=True, slots=True)
class Digest:
    """The result of parsing one digest file: its papers and what the parser had to say about it."""

    date: dt.date | None
    papers: tuple[Paper, ...] = ()
    warnings: tuple[str, ...] = ()
    duplicates_merged: int = 0
    """How many repeated paper blocks inside the file were merged into one paper."""
    layout: str = "unknown"
    """Short name of the layout the parser recognised (``canonical``, ``jsonl`` ...)."""
    language: str | None = None
    """The language of its AI text (``bot.digest.language``), None when unknown."""


@dataclass(frozen=True, slots=True)
class QualityReport:
    """What the admins hear about each stored digest."""

    papers: int
    per_category: tuple[tuple[str, int], ...]
    """Papers per primary category, most first."""
    cross_listed: int
    duplicates_merged: int
    missing_summary: int
    """Papers without any AI-written text (placeholders or failed generation)."""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What storing one digest changed."""

    date: dt.date
    source: str
    papers_new: int = 0
    papers_updated: int = 0
    papers_unchanged: int = 0
    skipped: bool = False
    """True when the very same content was already ingested, so nothing was written."""
    warnings: tuple[str, ...] = ()
    quality: QualityReport | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    paper: Paper
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class SimilarHit:
    """A paper like another one, its bm25 score (higher is closer), and the words they share:
    the other paper's own spellings of the shared index terms, weightiest first."""

    paper: Paper
    score: float
    shared: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SimilarPapers:
    """A paper and the papers most like it, closest first (none when nothing is alike)."""

    paper: Paper
    hits: tuple[SimilarHit, ...] = ()


@dataclass(frozen=True, slots=True)
class CategoryCount:
    category: str
    count: int


@dataclass(frozen=True, slots=True)
class DigestSummary:
    """A stored digest day: its date, paper count and per-category counts (cross-lists included)."""

    date: dt.date
    papers: int
    categories: tuple[CategoryCount, ...] = field(default=())


SubscriberKey = tuple[int, int | None]
"""Who a subscription serves: a chat, and its forum topic (None: the chat itself)."""


@dataclass(frozen=True, slots=True)
class Subscription:
    """One chat's (or one forum topic's) delivery settings. Empty filters mean "everything"
    (see bot.rules.matching)."""

    chat_id: int
    active: bool = False
    categories: frozenset[str] = frozenset()
    keywords: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    delivery_time: dt.time | None = None
    """Local time of day to deliver at; None delivers as soon as a digest is ingested."""
    timezone: str = "UTC"
    notify_empty: bool = False
    """Send a one-line note when a digest has nothing for this chat."""
    ranking: bool = True
    """Order summaries by the chat's model once it has one; off keeps keyword order."""
    suggest: bool | None = None
    """Suggest papers beyond the filters; None: on once the chat has rated enough papers."""
    weekly: bool = False
    """One roll-up a week of the best papers instead of a summary per digest."""
    weekday: int = 0
    """The roll-up's day, 0 = Monday; kept while the chat is daily, for its next weekly spell."""
    summaries: str | None = None
    """The language of AI text the chat reads (``zh``, ``en``, ``ja``); None: any."""
    thread_id: int | None = None
    """The forum topic subscribed (its ``message_thread_id``); None for the chat itself."""

    @property
    def key(self) -> SubscriberKey:
        return self.chat_id, self.thread_id

    language: str | None = None
    """The chat's interface language (``bot.locales``); None until known: English."""


@dataclass(frozen=True, slots=True)
class RollUp:
    """What a weekly delivery gathered from the digests between its first date and its last
    (``Delivery.date``)."""

    first_date: dt.date
    candidates: tuple[str, ...]
    """Every paper gathered, in the order the digests brought them; the ledger of the week."""
    matching: int = 0
    """How many candidates matched the chat's filters when it was sent; its papers are the best
    of them."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """One chat's share of one digest, or of a week of them: the papers it gets, best first,
    and when."""

    id: int
    chat_id: int
    date: dt.date
    paper_ids: tuple[str, ...]
    """Empty for the one-line "nothing matched" note, and for a roll-up not chosen yet."""
    due_at: dt.datetime
    attempts: int = 0
    rollup: RollUp | None = None
    """Set for a weekly roll-up, whose papers are chosen from its candidates as it is sent."""
    suggested: tuple[str, ...] = ()
    """Papers beyond the filters that the chat's model ranks highest, shown below the matches."""
    thread_id: int | None = None
    """The forum topic it goes to; None for the chat itself."""

    @property
    def key(self) -> SubscriberKey:
        return self.chat_id, self.thread_id


@dataclass(frozen=True, slots=True)
class PaperMark:
    """What one person did with one paper: saved it, rated it 👍 (1) or 👎 (-1), or neither."""

    saved: bool = False
    rating: int = 0


@dataclass(frozen=True, slots=True)
class LibraryCounts:
    """A person's library: saved papers, 👍 and 👎 ratings."""

    saved: int = 0
    liked: int = 0
    disliked: int = 0

    @property
    def empty(self) -> bool:
        return not (self.saved or self.liked or self.disliked)


@dataclass(frozen=True, slots=True)
class SavedPage:
    """A page of a person's saved papers, newest save first, and how many they saved."""

    papers: tuple[Paper, ...]
    offset: int
    total: int


@dataclass(frozen=True, slots=True)
class FeedbackCounts:
    """What a chat's model learns from: 👍 and 👎 (a group's: its members' votes) and ⭐."""

    liked: int = 0
    disliked: int = 0
    saved: int = 0

    @property
    def total(self) -> int:
        return self.liked + self.disliked + self.saved


@dataclass(frozen=True, slots=True)
class Ranking:
    """A chat's model's view of some papers: higher scores first."""

    scores: Mapping[str, float]
    """Paper id -> score, for every paper asked about."""
    like: Mapping[str, str]
    """Paper id -> the title of the paper the chat rated 👍 or saved that is most like it."""
