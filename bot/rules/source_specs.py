"""``DIGEST_SOURCES`` entries: their alternatives, dated templates and the days polled. Pure.

An entry is a folder, a file, a URL, or a template containing ``{date}`` (filled with
``YYYY-MM-DD``). `` | `` (space, pipe, space) separates alternatives, best first: for each date
the first that exists wins, e.g. ``"<date>_AI_enhanced_Chinese.jsonl | <date>.md"``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DATE_FIELD = "{date}"
ALTERNATIVE_SEPARATOR = " | "


class SourceSpecError(ValueError):
    """A ``DIGEST_SOURCES`` entry cannot be polled; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Source:
    entry: str
    """The entry as configured: the name its failures are reported under."""
    alternatives: tuple[str, ...]
    dated: bool
    """Every alternative is a template, polled once per recent day."""


def parse_source(entry: str) -> Source:
    """Split one entry into its alternatives; raises SourceSpecError when it makes no sense."""
    alternatives = source_alternatives(entry)
    if not alternatives:
        raise SourceSpecError("a digest source is empty.")
    dated = [DATE_FIELD in location for location in alternatives]
    if any(dated) and not all(dated):
        raise SourceSpecError(f"{entry}: either every alternative contains {{date}} or none does.")
    return Source(entry=entry, alternatives=alternatives, dated=all(dated))


def source_alternatives(entry: str) -> tuple[str, ...]:
    """The locations of one entry, best first: ``"a | b"`` gives ``("a", "b")``."""
    return tuple(part.strip() for part in entry.split(ALTERNATIVE_SEPARATOR) if part.strip())


def fill_date(template: str, day: dt.date) -> str:
    """``template`` with each ``{date}`` replaced by ``YYYY-MM-DD``; other braces are kept."""
    return template.replace(DATE_FIELD, day.isoformat())


def poll_days(today: dt.date, lookback_days: int) -> list[dt.date]:
    """``today`` and the ``lookback_days`` before it, oldest first (a late digest still counts)."""
    return [today - dt.timedelta(days=n) for n in range(lookback_days, -1, -1)]
