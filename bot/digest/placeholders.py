"""Field values: whitespace normalisation and the fallback texts printed instead of a value.

A digest never says "missing"; it prints ``Error``, ``Summary generation failed``, an API error, an
empty ``TL;DR: `` or an unfilled ``{template}`` field. All of these become None here, so a later
good copy of the same paper wins when records are merged (see ``bot.digest.merge``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_PLACEHOLDERS = frozenset(
    text.casefold()
    for text in (
        "Error",
        "Summary generation failed",
        "Motivation analysis unavailable",
        "Method extraction failed",
        "Result analysis unavailable",
        "Conclusion extraction failed",
        "Not mentioned in abstract",
        "摘要中未提及",
        "N/A",
        "This content has not passed the compliance test and has been hidden",
        "No concise summary available",
        "Failed to generate summary",
    )
)
"""Whole values (compared case-insensitively, without a final full stop) that mean "no value"."""

_PLACEHOLDER_PATTERN = re.compile(
    r"""
    [A-Za-z_.]*Error(?:\ code)?\s*:\s*\S   # Error code: 400 - {..}, RateLimitError: .., Error: ..
    | \{\s*['"]error['"]\s*:               # a raw JSON error body
    | \{[A-Za-z_][\w .-]{0,40}\}$          # an unfilled template field: {cate}, {title_translation}
    | Failed\ when\ generating\b           # the topic generator's failure text
    | 达到API配额限制                        # "API quota reached" (with any suffix)
    """,
    re.VERBOSE,
)


def is_placeholder(text: str) -> bool:
    """True when a whitespace-normalised, non-empty value is a generator's stand-in for nothing."""
    bare = text.rstrip(".。 ").casefold()
    return bare in _PLACEHOLDERS or _PLACEHOLDER_PATTERN.match(text) is not None


def clean(text: str | None) -> str | None:
    """Runs of whitespace (newlines included) collapsed to one space; placeholders, "" -> None."""
    if not text:
        return None
    value = " ".join(text.split())
    if not value or is_placeholder(value):
        return None
    return value


def clean_lines(lines: Iterable[str]) -> str | None:
    """:func:`clean` over lines joined by spaces."""
    return clean(" ".join(lines))


def clean_abstract(lines: Iterable[str]) -> str | None:
    """An abstract with its paragraphs kept, one ``\\n`` between them, spaces normalised inside.

    arXiv marks a new paragraph with a line that starts with spaces (both in the hard-wrapped
    layout before about 2025-11-12 and in the one-line-per-paragraph layout after it); a blank
    line also separates paragraphs. Every other line break is hard wrapping and becomes a space.
    """
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line or line.isspace():
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if current and line[0] in " \t":
            paragraphs.append(" ".join(current))
            current = []
        current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    text = "\n".join(" ".join(p.split()) for p in paragraphs)
    if not text or is_placeholder(text):
        return None
    return text
