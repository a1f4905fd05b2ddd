"""How two records of the same paper combine (pure).

Used for repeated blocks inside one digest and for a paper that a later digest, or the JSONL of the
same day, publishes again. The rule is the same in both places: real text is never replaced by a
missing value, and the AI-written fields travel together, so a card never mixes two model runs.
Each language's AI text is kept beside the others (``Paper.summaries``), merged by the same rule.
"""

from __future__ import annotations

import dataclasses

from bot.models import SUMMARY_FIELDS, Paper, Summary


def merge_papers(preferred: Paper, other: Paper) -> Paper:
    """One paper from two records of it: ``preferred`` wins wherever it has a value."""
    if preferred.id != other.id:
        raise ValueError(f"cannot merge {preferred.id} with {other.id}")
    ai_source = preferred if preferred.has_ai_text or not other.has_ai_text else other
    dates = [d for d in (preferred.date, other.date) if d is not None]
    versions = [v for v in (preferred.version, other.version) if v is not None]
    authors = preferred.authors if len(preferred.authors) >= len(other.authors) else other.authors
    category = preferred.category or other.category
    categories = dict.fromkeys(
        c for c in (category, *preferred.categories, *other.categories) if c is not None
    )
    return dataclasses.replace(
        preferred,
        title=preferred.title or other.title,
        version=max(versions) if versions else None,
        authors=authors,
        category=category,
        categories=tuple(categories),
        abstract=preferred.abstract or other.abstract,
        comment=preferred.comment or other.comment,
        date=min(dates) if dates else None,
        summaries=merge_summaries(preferred.summaries, other.summaries),
        **{name: getattr(ai_source, name) for name in SUMMARY_FIELDS},
    )


def merge_summaries(
    preferred: tuple[Summary, ...], other: tuple[Summary, ...]
) -> tuple[Summary, ...]:
    """Each language's text from ``preferred`` where it has some, else from ``other``: a new
    run in one language never overwrites another language, nor real text with none."""
    chosen = {s.language: s for s in other}
    chosen |= {s.language: s for s in preferred if s.has_text or s.language not in chosen}
    return tuple(chosen[language] for language in sorted(chosen))
