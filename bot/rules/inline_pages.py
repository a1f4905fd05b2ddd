"""Which page of which list an inline query asks for, and how Telegram may cache it (pure).

Inline mode pages with ``next_offset``: when the person scrolls to the end of the results, the
app sends the same query again with the offset of the answer before. Offsets are ours:

- a query in the search language: ``""``, then ``"50"``, ``"100"``... (the first result shown);
- an arXiv id or link: that paper, one page;
- nothing typed, or one character (the first keystroke, which is too little to search for):
  the person's saved papers from ``"s<n>"``, then the newest digest's papers from ``"d<n>"``
  (``n`` counts the digest's papers, saved ones included).

Any other offset was not made here (a forged query, or one from a bot before an update); it is
answered with no results rather than guessed at.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from bot.arxiv_id import parse_arxiv_id
from bot.rules.query import Query, parse_query

PAGE_SIZE = 50
"""Results per answer: Telegram takes at most 50."""
MIN_SEARCH_CHARS = 2
"""Fewer characters match almost every paper: the list shown before typing stays instead."""
PERSONAL_CACHE_SECONDS = 5
"""Saved papers change with a tap in the bot; Telegram keeps this answer for that person only,
and briefly, so a paper just saved is there the next time the person looks."""
SHARED_CACHE_SECONDS = 60
"""Searches and ids answer everyone alike: Telegram may serve a popular prefix from its cache
for a minute, which spares the bot, and a new digest shows within that minute."""
_POSITION = re.compile(r"(?P<section>[sd]?)(?P<start>0|[1-9]\d{0,5})")


class Source(enum.Enum):
    SEARCH = "search"
    PAPER = "paper"
    SAVED = "saved"
    DIGEST = "digest"


@dataclass(frozen=True, slots=True)
class InlinePage:
    """Where a page starts; ``query`` for a search, ``paper_id`` for an id or link."""

    source: Source
    start: int = 0
    query: Query | None = None
    paper_id: str | None = None

    @property
    def personal(self) -> bool:
        """True when the results depend on who asks (Telegram's ``is_personal``)."""
        return self.source in (Source.SAVED, Source.DIGEST)

    @property
    def cache_seconds(self) -> int:
        return PERSONAL_CACHE_SECONDS if self.personal else SHARED_CACHE_SECONDS


def inline_page(text: str, offset: str) -> InlinePage | None:
    """The page ``text`` and ``offset`` ask for; None when there is nothing to answer."""
    position = _POSITION.fullmatch(offset) if offset else None
    if offset and position is None:
        return None
    section, start = (position["section"], int(position["start"])) if position else ("", 0)
    if len(text.strip()) < MIN_SEARCH_CHARS:
        if not offset:
            return InlinePage(Source.SAVED)
        if not section:
            return None
        return InlinePage(Source.SAVED if section == "s" else Source.DIGEST, start)
    if section:
        return None
    arxiv = parse_arxiv_id(text)
    if arxiv is not None:
        return None if offset else InlinePage(Source.PAPER, paper_id=arxiv.id)
    query = parse_query(text)
    return None if query.is_empty else InlinePage(Source.SEARCH, start, query=query)


def next_offset(source: Source, start: int) -> str:
    """The offset that asks for the page of ``source`` beginning at ``start``."""
    prefix = {Source.SAVED: "s", Source.DIGEST: "d"}.get(source, "")
    return f"{prefix}{start}"
