"""The export formats (BibTeX, RIS, Markdown, CSV) and what the bot says about an export (pure).

``EXPORT_FORMATS`` is the one table: a format's name, file extension, MIME type, how it writes a
list of papers and how the file is encoded. ``/saved export`` sends one as a document and
``digestbot export`` / ``search --format`` print it.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.models import Paper
from bot.text.bibtex import bibtex
from bot.text.citations import doi, one_line, paper_year
from bot.text.language import ENGLISH, N_, Locale
from bot.text.latex import split_math
from bot.text.ris import ris

MAX_DOCUMENT_BYTES = 50_000_000
"""Telegram's limit for a file a bot uploads: "50 MB", counted as python-telegram-bot's
``FileSizeLimit.FILESIZE_UPLOAD`` does, the smaller reading."""
MARKDOWN_SPECIALS = frozenset("\\`*_[]<~$")
"""Characters Markdown reads as formatting inside a line (emphasis, code, links, HTML,
strike-through, math); escaped outside ``$...$`` math, and nothing else, so the file stays
readable as text."""
AUTHORS_SHOWN = 3
CSV_COLUMNS = (
    "id", "title", "authors", "year", "category", "categories", "date", "url", "doi",
    "tldr", "abstract",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ExportFormat:
    name: str
    label: str
    extension: str
    mime_type: str
    render: Callable[[Sequence[Paper]], str]
    encoding: str = "utf-8"
    """How the file is written; CSV carries a byte-order mark, by which Excel knows UTF-8."""

    def encode(self, text: str) -> bytes:
        return text.encode(self.encoding)

    def file_name(self, day: dt.date) -> str:
        return f"digestbot-saved-{day.isoformat()}.{self.extension}"


def _markdown_text(text: str) -> str:
    """Plain text for Markdown: formatting characters escaped, ``$...$`` math left to render."""
    return "".join(
        piece if is_math else "".join("\\" + c if c in MARKDOWN_SPECIALS else c for c in piece)
        for piece, is_math in split_math(one_line(text))
    )


def _byline(paper: Paper) -> str:
    authors = ", ".join(paper.authors[:AUTHORS_SHOWN])
    if len(paper.authors) > AUTHORS_SHOWN:
        authors += " et al."
    year = paper_year(paper)
    facts = [_markdown_text(authors), _markdown_text(paper.category or ""), str(year or "")]
    facts.append(f"[arXiv:{paper.id}]({paper.url})")
    return " · ".join(fact for fact in facts if fact)


def markdown(papers: Sequence[Paper]) -> str:
    """A reading list: a heading per paper, its authors, category, year and link, its TL;DR."""
    count = f"{len(papers):,} paper{'' if len(papers) == 1 else 's'}."
    blocks = ["# Reading list", count]
    for number, paper in enumerate(papers, start=1):
        blocks += [f"## {number}. {_markdown_text(paper.title)}", _byline(paper)]
        if paper.tldr:
            blocks.append(f"> {_markdown_text(paper.tldr)}")
    return "\n\n".join(blocks) + "\n"


def csv_text(papers: Sequence[Paper]) -> str:
    """A header row, then a row per paper; authors joined by ``; ``, categories by spaces."""
    out = io.StringIO()
    writer = csv.writer(out)  # RFC 4180: CR LF, quotes only where a value needs them
    writer.writerow(CSV_COLUMNS)
    for paper in papers:
        year = paper_year(paper)
        writer.writerow(
            [paper.id, one_line(paper.title), "; ".join(paper.authors), year or "",
             paper.category or "", " ".join(paper.all_categories), paper.date or "",
             paper.url, doi(paper), paper.tldr or "", paper.abstract or ""]
        )  # fmt: skip
    return out.getvalue()


EXPORT_FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("bibtex", "BibTeX", "bib", "application/x-bibtex", bibtex),
        ExportFormat("ris", "RIS", "ris", "application/x-research-info-systems", ris),
        ExportFormat("markdown", "Markdown", "md", "text/markdown", markdown),
        ExportFormat("csv", "CSV", "csv", "text/csv", csv_text, encoding="utf-8-sig"),
    )
}


def find_format(word: str) -> ExportFormat | None:
    """The format named ``word`` or by its extension (``bib``, ``md``), in any case."""
    word = word.strip().lower().removeprefix(".")
    return next((f for f in EXPORT_FORMATS.values() if word in (f.name, f.extension)), None)


def _format_list(tr: Locale) -> str:
    names = [f"<code>{f.name}</code>" for f in EXPORT_FORMATS.values()]
    return tr.gettext("%(names)s or %(last)s") % {
        "names": tr.gettext(", ").join(names[:-1]),
        "last": names[-1],
    }


def unknown_format(word: str, *, tr: Locale = ENGLISH) -> str:
    if not word.strip():
        return tr.gettext(
            "Choose a format: %(formats)s, e.g. <code>/saved export bibtex</code>."
        ) % {"formats": _format_list(tr)}
    return tr.gettext(
        "I can't export <code>%(word)s</code>: choose %(formats)s, "
        "e.g. <code>/saved export bibtex</code>."
    ) % {"word": html.escape(word.strip()[:40]), "formats": _format_list(tr)}


NOTHING_SAVED = N_("Nothing saved to export yet: tap ⭐ Save under a paper to keep it.")


def export_caption(export: ExportFormat, count: int, total: int, *, tr: Locale = ENGLISH) -> str:
    values = {"count": f"{count:,}", "total": f"{total:,}", "format": export.label}
    if count < total:
        return (
            tr.gettext("Your newest %(count)s of %(total)s saved papers, as %(format)s.") % values
        )
    return (
        tr.ngettext(
            "Your %(count)s saved paper, as %(format)s.",
            "Your %(count)s saved papers, as %(format)s.",
            count,
        )
        % values
    )


def too_large(export: ExportFormat, size: int, *, tr: Locale = ENGLISH) -> str:
    return tr.gettext(
        "Your saved papers come to %(size)s MB as %(format)s, more than the "
        "%(max)s MB Telegram lets a bot send; BibTeX is the smallest."
    ) % {
        "size": f"{size / 1e6:.0f}",
        "format": export.label,
        "max": f"{MAX_DOCUMENT_BYTES / 1e6:.0f}",
    }
