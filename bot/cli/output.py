"""What the command line prints for papers: the JSON record and the search result formats.

``SEARCH_FORMATS`` maps each ``digestbot search --format`` to a function of the query's text and
its hits; a new format (BibTeX, for the library export) is one more entry.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence

from bot.models import Paper, SearchHit

JSON_FIELDS = (
    "id", "version", "title", "authors", "category", "categories",
    "tldr", "motivation", "method", "result", "conclusion", "abstract", "comment",
)  # fmt: skip
"""A paper's fields in ``parse --json`` and ``search --format json``, in this order."""


def paper_json(paper: Paper) -> dict[str, object]:
    values = dataclasses.asdict(paper)
    return {name: values[name] for name in JSON_FIELDS}


def to_json(document: object) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


def search_text(query: str, hits: Sequence[SearchHit]) -> str:
    """One line per paper (rank, id, date, category, title) and its TL;DR, shortened, below."""
    if not hits:
        return "No paper matches."
    lines = []
    for rank, hit in enumerate(hits, start=1):
        paper = hit.paper
        lines.append(
            f"{rank:>2}. {paper.id}  {paper.date or ''}  {paper.category or '-'}  {paper.title}"
        )
        if paper.tldr:
            lines.append(f"    {_shorten(paper.tldr, 160)}")
    return "\n".join(lines)


def search_json(query: str, hits: Sequence[SearchHit]) -> str:
    """``{"query", "papers": [...]}``, best match first, each paper as ``parse --json`` has it."""
    return to_json({"query": query, "papers": [paper_json(hit.paper) for hit in hits]})


SEARCH_FORMATS: dict[str, Callable[[str, Sequence[SearchHit]], str]] = {
    "text": search_text,
    "json": search_json,
}


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
