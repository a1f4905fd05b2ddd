"""What the command line prints for papers: the JSON record and the search result formats.

``SEARCH_FORMATS`` maps each ``digestbot search --format`` to a function of the query's text and
its page of results: text and JSON, and every export format (BibTeX, RIS, Markdown, CSV) of
``bot.text.exports``, which writes the papers alone.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable

from bot.models import Paper
from bot.rules.query import SearchPage
from bot.text.exports import EXPORT_FORMATS, ExportFormat

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


def search_text(query: str, page: SearchPage) -> str:
    """How many match, then one line per paper (rank, id, date, category, title) and its TL;DR,
    shortened, below."""
    if not page.hits:
        return "No paper matches."
    total = f"{page.total:,}{'+' if page.capped else ''}"
    count = len(page.hits)
    shown = f", showing {'1' if count == 1 else f'1–{count}'}" if page.has_more else ""
    lines = [f"{total} {'paper matches' if page.total == 1 else 'papers match'}{shown}:"]
    for rank, hit in enumerate(page.hits, start=1):
        paper = hit.paper
        lines.append(
            f"{rank:>2}. {paper.id}  {paper.date or ''}  {paper.category or '-'}  {paper.title}"
        )
        if paper.tldr:
            lines.append(f"    {_shorten(paper.tldr, 160)}")
    return "\n".join(lines)


def search_json(query: str, page: SearchPage) -> str:
    """``{"query", "total", "papers": [...]}``: ``total`` matches ranked (at most 2,000), the
    best first in ``papers``, each as ``parse --json`` has it."""
    papers = [paper_json(hit.paper) for hit in page.hits]
    return to_json({"query": query, "total": page.total, "papers": papers})


def _papers_as(export: ExportFormat) -> Callable[[str, SearchPage], str]:
    def render(query: str, page: SearchPage) -> str:
        return export.render([hit.paper for hit in page.hits])

    return render


SEARCH_FORMATS: dict[str, Callable[[str, SearchPage], str]] = {
    "text": search_text,
    "json": search_json,
    **{name: _papers_as(export) for name, export in EXPORT_FORMATS.items()},
}


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
