"""Which language's AI text a chat reads (pure): ``/summaries`` and the visible fallback."""

from __future__ import annotations

import dataclasses

from bot.models import SUMMARY_FIELDS, Paper, Summary
from bot.rules.filters import InvalidFilterError

LANGUAGE_NAMES = {"zh": "Chinese", "en": "English", "ja": "Japanese", "ko": "Korean"}
CHOICES = ("zh", "en", "ja", "any")


def parse_summaries_choice(text: str) -> str | None:
    """``zh``, ``en``, ``ja`` -> that code; ``any`` -> None (whatever the digests brought)."""
    choice = text.strip().casefold()
    if choice not in CHOICES:
        raise InvalidFilterError(
            "Send zh (Chinese), en (English), ja (Japanese) or any (whatever the digests have)."
        )
    return None if choice == "any" else choice


def fallback_note(wanted: str, shown: str) -> str:
    """``(no English summary; Chinese shown)``."""
    return (
        f"(no {LANGUAGE_NAMES.get(wanted, wanted)} summary; "
        f"{LANGUAGE_NAMES.get(shown, shown)} shown)"
    )


def in_language(paper: Paper, wanted: str | None) -> Paper:
    """``paper`` with the AI text of ``wanted``; when it has none in that language but has one in
    another, that one, its TL;DR starting with a note that says so. Unchanged for ``any``, and
    for a paper whose languages are unknown (stored before languages were kept)."""
    if wanted is None or not paper.summaries:
        return paper
    chosen = next((s for s in paper.summaries if s.language == wanted and s.has_text), None)
    if chosen is not None:
        return _with(paper, chosen)
    other = next((s for s in paper.summaries if s.has_text), None)
    if other is None:
        return paper
    shown = _with(paper, other)
    note = fallback_note(wanted, other.language)
    return dataclasses.replace(shown, tldr=f"{note} {shown.tldr}" if shown.tldr else note)


def _with(paper: Paper, summary: Summary) -> Paper:
    return dataclasses.replace(paper, **{name: getattr(summary, name) for name in SUMMARY_FIELDS})
