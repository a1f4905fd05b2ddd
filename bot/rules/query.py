"""The search query language (pure): words, "phrases", -exclusions, cat:, author:, since:, until:.

``parse_query`` reads anything a person can type and never raises: what it cannot use is left out
and explained in ``Query.notes``. It only splits and validates; turning terms into FTS5 syntax is
the store's job (through ``bot.rules.textindex``), so no user text ever reaches SQLite unquoted.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from bot.models import SearchHit
from bot.rules.sentences import N_, Sentence
from bot.rules.textindex import clean, fts_phrase

MAX_QUERY_CHARS = 500
MAX_PARTS = 20
BEYOND_SHOWN = 5
"""Parts beyond MAX_PARTS named in the note that says they were ignored."""
MAX_NOTES = 5
"""Notes kept about one query; the rest are counted in the last one."""
"""At most this many words, phrases, authors and categories are used from one query."""

_QUOTES = {'"': '"', "“": "”", "”": "”", "„": "“"}
"""Opening quote -> closing quote; phones type curly quotes (full-width ones become " in NFKC)."""
_CATEGORY = re.compile(r"[a-z][a-z-]*(?:\.[a-z][a-z-]*)?", re.IGNORECASE)
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_FILTER = re.compile(r"(cat|author|since|until):", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed search: every term and author must match, any category may, no exclusion may."""

    terms: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    notes: tuple[str, ...] = ()
    """One sentence per part of the input that was ignored, and why."""

    @property
    def is_empty(self) -> bool:
        """True when nothing is left to search for or filter by."""
        return not (
            self.terms
            or self.excluded
            or self.categories
            or self.authors
            or self.since
            or self.until
        )


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of results, and how many there are in all.

    ``total`` counts the results a search ranks; ``capped`` says there may be more (a search
    ranks the newest matches only: ``storage.searching.RANK_WINDOW``).
    """

    hits: tuple[SearchHit, ...]
    offset: int = 0
    total: int = 0
    capped: bool = False

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.hits) < self.total


@dataclass(frozen=True, slots=True)
class _Part:
    negated: bool
    key: str | None
    value: str
    quoted: bool

    def __str__(self) -> str:
        value = f'"{self.value}"' if self.quoted else self.value
        return f"{'-' if self.negated else ''}{self.key + ':' if self.key else ''}{value}"


def _split(text: str) -> list[_Part]:
    """The parts of a query: optional ``-``, optional ``key:``, then a word or a quoted phrase."""
    parts: list[_Part] = []
    position, end = 0, len(text)
    while position < end:
        if text[position].isspace():
            position += 1
            continue
        negated = text[position] == "-" and position + 1 < end and not text[position + 1].isspace()
        position += negated
        key_match = _FILTER.match(text, position)
        key = key_match.group(1).lower() if key_match else None
        position = key_match.end() if key_match else position
        closing = _QUOTES.get(text[position]) if position < end else None
        if closing is not None:
            stop = text.find(closing, position + 1)
            stop = end if stop < 0 else stop
            value, position = text[position + 1 : stop], stop + 1
        else:
            stop = position
            while stop < end and not text[stop].isspace():
                stop += 1
            value, position = text[position:stop], stop
        parts.append(_Part(negated, key, value.strip(), closing is not None))
    return parts


def _parse_date(value: str, *, end_of_period: bool) -> dt.date | None:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; a month or year means its first or last day."""
    match = _DATE.fullmatch(value)
    if match is None:
        return None
    year = int(match.group(1))
    month, day = (int(g) if g else None for g in match.groups()[1:])
    try:
        if month is None:
            return dt.date(year, 12, 31) if end_of_period else dt.date(year, 1, 1)
        if day is None:
            last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 1
            return dt.date(year, month, last if end_of_period else 1)
        return dt.date(year, month, day)
    except ValueError:
        return None


class _Builder:
    """Collects the values of a query while it is parsed, with a note for each ignored part."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {
            "terms": [],
            "excluded": [],
            "categories": [],
            "authors": [],
        }
        self.dates: dict[str, dt.date] = {}
        self.notes: list[str] = []
        self.beyond: list[str] = []
        """Parts left out because the query already had MAX_PARTS."""

    def add(self, field: str, value: str, part: _Part) -> None:
        values = self.fields[field]
        if sum(len(v) for v in self.fields.values()) >= MAX_PARTS:
            self.beyond.append(str(part))
        elif value.casefold() not in {v.casefold() for v in values}:
            values.append(value)

    def note(self, template: str, **values: object) -> None:
        sentence = Sentence(template, **values)
        if sentence not in self.notes:
            self.notes.append(sentence)

    def query(self) -> Query:
        since, until = self.dates.get("since"), self.dates.get("until")
        if since and until and since > until:
            self.note(N_("The since: date is after the until: date, so nothing can match."))
        if self.beyond:
            shown = " ".join(self.beyond[:BEYOND_SHOWN])
            more = " …" if len(self.beyond) > BEYOND_SHOWN else ""
            self.note(
                N_("Ignored %(parts)s beyond the first %(max)d a query can use: %(shown)s"),
                parts=_count(len(self.beyond)),
                max=MAX_PARTS,
                shown=shown + more,
            )
        if len(self.notes) > MAX_NOTES:
            hidden = len(self.notes) - MAX_NOTES + 1
            self.notes[MAX_NOTES - 1 :] = [
                Sentence(N_("… and %(count)d more notes like these."), count=hidden)
            ]
        return Query(
            terms=tuple(self.fields["terms"]),
            excluded=tuple(self.fields["excluded"]),
            categories=tuple(self.fields["categories"]),
            authors=tuple(self.fields["authors"]),
            since=since,
            until=until,
            notes=tuple(self.notes),
        )


def _count(parts: int) -> Sentence:
    if parts == 1:
        return Sentence(N_("1 word or filter"))
    return Sentence(N_("%(count)d words and filters"), count=parts)


def _add_part(builder: _Builder, part: _Part) -> None:
    if part.key is not None and part.negated:
        builder.note(
            N_("Ignored “%(part)s”: only words and phrases can be excluded."), part=str(part)
        )
    elif part.key is not None and not part.value:
        builder.note(N_("Ignored “%(part)s”: nothing to filter by."), part=str(part))
    elif part.key == "cat":
        for category in filter(None, part.value.split(",")):
            if _CATEGORY.fullmatch(category):
                builder.add("categories", category, part)
            else:
                builder.note(
                    N_("Ignored “cat:%(category)s”: not an arXiv category like cs.LG."),
                    category=category,
                )
    elif part.key in ("since", "until"):
        date = _parse_date(part.value, end_of_period=part.key == "until")
        if date is None:
            builder.note(N_("Ignored “%(part)s”: not a date (use YYYY-MM-DD)."), part=str(part))
        else:
            builder.dates[part.key] = date
    elif fts_phrase(part.value) is None:
        if part.value:
            builder.note(N_("Ignored “%(part)s”: nothing to search for."), part=str(part))
    elif part.key == "author":
        builder.add("authors", part.value, part)
    else:
        builder.add("excluded" if part.negated else "terms", part.value, part)


def _shortened(text: str) -> str:
    """The first ``MAX_QUERY_CHARS`` characters of ``text`` without the word the limit cuts in
    two: its first letters ("le" of "learning") would be one more term every paper must match.
    A single word longer than the limit is all there is, and is cut."""
    head = text[:MAX_QUERY_CHARS]
    if head[-1].isspace() or text[MAX_QUERY_CHARS].isspace():
        return head
    kept, *cut = head.rsplit(maxsplit=1)
    return kept if cut else head


def parse_query(text: str) -> Query:
    """The query a person typed, as values; never raises, whatever the input."""
    builder = _Builder()
    text = clean(text)
    if len(text) > MAX_QUERY_CHARS:
        builder.note(
            N_("Only the words in the first %(max)d characters of the query were used."),
            max=MAX_QUERY_CHARS,
        )
        text = _shortened(text)
    for part in _split(text):
        _add_part(builder, part)
    return builder.query()
