"""Parse one daily digest, Markdown or JSONL, of any generation of daily-arXiv-ai-enhanced (pure).

``parse_digest(text, date=...)`` returns a :class:`bot.models.Digest`. It raises
:class:`DigestParseError` only for text that is definitely corrupt (NUL bytes, a JSONL line that
is not a JSON object); anything else that it cannot read gives zero papers and a warning saying
why. Every paper heading that links an arXiv id yields exactly one paper: repeated blocks of the
same id are merged with :func:`bot.digest.merge.merge_papers` (the copy with real AI text wins) and
counted in ``Digest.duplicates_merged``; a heading without an id is reported in the warnings.

Values: placeholders (``Error``, ``Summary generation failed`` ...) are None; whitespace inside a
field is collapsed to single spaces, except that the abstract keeps its paragraph breaks as one
``\\n`` each; the astro fork's ``Data:`` is stored in ``method`` as ``"Data: <data>\\n<method>"``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from bot.digest.errors import DigestParseError
from bot.digest.jsonl import parse_jsonl
from bot.digest.markdown import parse_markdown
from bot.digest.merge import merge_papers
from bot.models import Digest, Paper

__all__ = ["DigestParseError", "date_from_name", "parse_digest"]

_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def parse_digest(text: str, *, date: dt.date | None = None) -> Digest:
    """The papers of one digest file's text; ``date`` is the digest date given to every paper."""
    text = _normalise(text)
    if not text.strip():
        return Digest(date=date, warnings=("the text is empty",), layout="empty")
    if text.lstrip()[0] == "{":
        jsonl = parse_jsonl(text, date)
        papers, merged = _merge_duplicates(jsonl.papers)
        return Digest(date, papers, tuple(jsonl.warnings), merged, "jsonl")
    markdown = parse_markdown(text, date)
    papers, merged = _merge_duplicates(markdown.papers)
    return Digest(date, papers, tuple(markdown.warnings), merged, markdown.layout)


def date_from_name(name: str) -> dt.date | None:
    """The last valid ``YYYY-MM-DD`` in a file name or URL, else None."""
    for match in reversed(list(_DATE.finditer(name))):
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
    return None


def _normalise(text: str) -> str:
    """LF line endings, no BOM; NUL bytes mean the text is not a text digest at all."""
    nul = text.find("\x00")
    if nul >= 0:
        raise DigestParseError("NUL byte: not a text file", line=text.count("\n", 0, nul) + 1)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _merge_duplicates(papers: Iterable[Paper]) -> tuple[tuple[Paper, ...], int]:
    """One paper per id, in order of first appearance, and the number of repeats merged away."""
    by_id: dict[str, Paper] = {}
    merged = 0
    for paper in papers:
        first = by_id.get(paper.id)
        if first is None:
            by_id[paper.id] = paper
        else:
            by_id[paper.id] = merge_papers(first, paper)
            merged += 1
    return tuple(by_id.values()), merged
