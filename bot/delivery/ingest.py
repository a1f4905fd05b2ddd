"""Read, parse and store one digest: the short seam between the parser and the store."""

from __future__ import annotations

import dataclasses
import datetime as dt

from bot.delivery.sources import RawDigest
from bot.digest.language import summary_language
from bot.digest.parse import date_from_name, parse_digest
from bot.digest.quality import quality_report
from bot.models import IngestResult
from storage.store import Store


class MissingDateError(ValueError):
    """Neither the name of a digest nor the caller says which day it is."""


class NotADigestError(ValueError):
    """The file parsed, but it is not a digest layout the parser knows."""


def digest_date(name: str, date: dt.date | None) -> dt.date:
    """The explicit date, else the ``YYYY-MM-DD`` in the name; raises MissingDateError."""
    found = date or date_from_name(name)
    if found is None:
        raise MissingDateError(
            f"{name}: its name carries no YYYY-MM-DD date; give the date with --date."
        )
    return found


def ingest_raw(
    store: Store,
    raw: RawDigest,
    *,
    now: dt.datetime,
    date: dt.date | None = None,
    deliver: bool = False,
) -> IngestResult:
    """Parse ``raw`` and store it; content already stored for that day is not parsed again.

    Raises MissingDateError, NotADigestError or bot.digest.parse.DigestParseError; in each case the
    database is left as it was.
    """
    day = digest_date(raw.name, date)
    content_hash = raw.content_hash
    if store.is_ingested(day, content_hash):
        return IngestResult(date=day, source=raw.name, skipped=True)
    digest = parse_digest(raw.text, date=day)
    if not digest.papers and digest.layout == "unknown":
        reason = "; ".join(digest.warnings) or "no paper found"
        raise NotADigestError(f"{raw.name}: not a digest ({reason}).")
    digest = dataclasses.replace(digest, language=summary_language(raw.name, digest.papers))
    result = store.ingest(
        digest, source=raw.name, content_hash=content_hash, now=now, deliver=deliver
    )
    return dataclasses.replace(result, quality=quality_report(digest))
