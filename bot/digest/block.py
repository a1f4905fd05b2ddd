"""One paper block of a Markdown digest, as collected line by line, and the Paper it becomes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from bot.digest.lines import Heading, split_categories
from bot.digest.placeholders import clean_abstract, clean_lines
from bot.models import Paper

_BULLET = re.compile(r"\s*(?:[-*•]|\d+[.)])\s+")


@dataclass(slots=True)
class Block:
    """The raw lines of one paper, collected until the next heading."""

    line: int
    heading: Heading
    section: str | None
    """Category of the enclosing ``# cs.CV`` section, if any."""
    authors: tuple[str, ...] = ()
    authors_seen: bool = False
    category: str | None = None
    """The raw ``Main category:`` / ``Category:`` value."""
    fields: dict[str, list[str]] = field(default_factory=dict)
    bulleted: set[str] = field(default_factory=set)
    """Fields written as ``### Summary`` + bullet list (astro-topic): bullet marks are dropped."""


def block_paper(block: Block, date: dt.date | None) -> tuple[Paper | None, list[str]]:
    """The paper of a block (None without an arXiv id) and what is wrong with its heading."""
    heading = block.heading
    shown = heading.title[:60]
    if heading.arxiv is None:
        return None, [f"line {block.line}: paper heading without an arXiv id: {shown!r}"]
    warnings = []
    if not heading.linked:
        warnings.append(f"line {block.line}: paper heading is not a [title](link): {shown!r}")
    if not heading.title:
        warnings.append(f"line {block.line}: paper {heading.arxiv.id} has no title")
    categories = split_categories(block.category or "")
    if not categories and block.section:
        categories = (block.section,)
    paper = Paper(
        id=heading.arxiv.id,
        title=heading.title,
        version=heading.arxiv.version,
        authors=block.authors,
        category=categories[0] if categories else None,
        categories=categories,
        tldr=_text(block, "tldr"),
        motivation=_text(block, "motivation"),
        method=with_data(_text(block, "data"), _text(block, "method")),
        result=_text(block, "result"),
        conclusion=_text(block, "conclusion"),
        abstract=_abstract(block),
        comment=_text(block, "comment"),
        date=date,
    )
    return paper, warnings


def with_data(data: str | None, method: str | None) -> str | None:
    """The astro fork's ``Data:`` field travels in ``method``: ``"Data: <data>\\n<method>"``."""
    if data is None:
        return method
    return f"Data: {data}\n{method}" if method else f"Data: {data}"


def _text(block: Block, name: str) -> str | None:
    lines = block.fields.get(name)
    if not lines:
        return None
    if name in block.bulleted:
        return clean_lines(_BULLET.sub("", line, count=1) for line in lines)
    return clean_lines(lines)


def _abstract(block: Block) -> str | None:
    """The abstract; xmkxabc layouts print only its translation, which then stands in for it."""
    for name in ("abstract", "translation"):
        lines = block.fields.get(name)
        value = clean_abstract(lines) if lines else None
        if value is not None:
            return value
    return None
