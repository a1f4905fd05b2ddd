"""Which language's AI text a chat reads (pure): ``/summaries`` and the fallback.

A chat that chose a language (``/summaries en``) reads that one; a paper without it shows another
language's text and says so. A chat that chose nothing reads its interface language when the
paper has it, and otherwise whatever the digests brought, without a note; ``any`` shows the
latest run's text, whatever its language.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from bot.models import SUMMARY_FIELDS, Paper, Summary
from bot.rules.filters import InvalidFilterError
from bot.rules.sentences import N_

CHOICES = ("zh", "en", "ja", "any")
ANY = "any"

Note = Callable[[str, str], str]
"""(the language asked for, the language shown) -> the note said before the TL;DR."""


def parse_summaries_choice(text: str) -> str:
    """``zh``, ``en``, ``ja`` or ``any``, in any case."""
    choice = text.strip().casefold()
    if choice not in CHOICES:
        raise InvalidFilterError(
            N_("Send zh (Chinese), en (English), ja (Japanese) or any (whatever the digests have).")
        )
    return choice


def reading(chosen: str | None, interface: str) -> tuple[str, bool]:
    """The language a chat reads, and whether a fallback is said: its choice (said), else its
    interface language (silent)."""
    return (chosen, True) if chosen else (interface, False)


def in_language(paper: Paper, wanted: str, *, note: Note | None = None) -> Paper:
    """``paper`` with the AI text of ``wanted``. Without it, but with another language's, that
    one, each of its fields (TL;DR, motivation, ...: a card's buttons show each alone) starting
    with ``note`` when given. Unchanged for ``any`` and for a paper whose
    languages are unknown (stored before languages were kept)."""
    if wanted == ANY or not paper.summaries:
        return paper
    chosen = next((s for s in paper.summaries if s.language == wanted and s.has_text), None)
    if chosen is not None:
        return _with(paper, chosen)
    if note is None:
        return paper
    other = next((s for s in paper.summaries if s.has_text), None)
    if other is None:
        return paper
    shown = _with(paper, other)
    said = note(wanted, other.language)
    noted: dict[str, Any] = {"tldr": said}
    noted |= {name: f"{said} {text}" for name in SUMMARY_FIELDS if (text := getattr(shown, name))}
    return dataclasses.replace(shown, **noted)


def _with(paper: Paper, summary: Summary) -> Paper:
    return dataclasses.replace(paper, **{name: getattr(summary, name) for name in SUMMARY_FIELDS})
