"""The JSONL files digests are generated from: ``<date>.jsonl`` (raw crawl) and
``<date>_AI_enhanced_<Language>.jsonl`` (crawl + ``AI`` object), in every schema seen (pure).

Schemas (digest-format.md §4): upstream ``AI`` = tldr/motivation/method/result/conclusion (``task``
instead of ``tldr`` until 2025-04-15); Straw674 ``AI`` = tldr/background/data/method/result; the
Straw674 topic generator has top-level ``background_knowledge``/``contribution``/``summary`` and
versioned ids; xmkxabc has ``cate`` (primary) and a versioned ``url``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.arxiv_id import ArxivId, find_arxiv_id
from bot.digest.block import with_data
from bot.digest.errors import DigestParseError
from bot.digest.lines import as_category, split_categories
from bot.digest.placeholders import clean, clean_abstract, is_placeholder
from bot.models import Paper


@dataclass(slots=True)
class JsonlResult:
    papers: list[Paper]
    warnings: list[str]


def parse_jsonl(text: str, date: dt.date | None) -> JsonlResult:
    """One paper per JSON line; raises DigestParseError on a line that is not a JSON object."""
    papers: list[Paper] = []
    warnings: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        row = _load(line, number)
        paper = _paper(row, date)
        if paper is None:
            warnings.append(f"line {number}: row without an arXiv id (no 'id', 'abs' or 'url')")
            continue
        if not paper.title:
            warnings.append(f"line {number}: paper {paper.id} has no title")
        papers.append(paper)
    return JsonlResult(papers, warnings)


def _load(line: str, number: int) -> Mapping[str, Any]:
    try:
        row = json.loads(line)
    except (ValueError, RecursionError) as error:
        raise DigestParseError("not valid JSON", line=number) from error
    if not isinstance(row, dict):
        raise DigestParseError("not a JSON object", line=number)
    return row


def _paper(row: Mapping[str, Any], date: dt.date | None) -> Paper | None:
    arxiv = _arxiv_id(row)
    if arxiv is None:
        return None
    ai = row.get("AI")
    ai = ai if isinstance(ai, dict) else {}
    categories = _categories(row)
    return Paper(
        id=arxiv.id,
        title=" ".join(_str(row.get("title")).split()),
        version=arxiv.version,
        authors=_authors(row.get("authors")),
        category=categories[0] if categories else None,
        categories=categories,
        tldr=_first(ai, "tldr", "task") or clean(_str(row.get("contribution"))),
        motivation=_first(ai, "motivation", "background")
        or clean(_str(row.get("background_knowledge"))),
        method=with_data(_first(ai, "data"), _first(ai, "method")),
        result=_first(ai, "result"),
        conclusion=_first(ai, "conclusion"),
        abstract=clean_abstract(_str(row.get("summary")).split("\n")),
        comment=clean(_str(row.get("comment"))),
        date=date,
    )


def _arxiv_id(row: Mapping[str, Any]) -> ArxivId | None:
    """The id from the first of ``id``/``abs``/``url``/``pdf`` that has one; the version from any
    of them (xmkxabc rows have a bare ``id`` but a versioned ``url``)."""
    found = [find_arxiv_id(_str(row.get(key))) for key in ("id", "abs", "url", "pdf", "pdf_url")]
    ids = [item for item in found if item is not None]
    if not ids:
        return None
    first = ids[0]
    versions = (item.version for item in ids if item.id == first.id and item.version)
    return ArxivId(first.id, next(versions, None))


def _categories(row: Mapping[str, Any]) -> tuple[str, ...]:
    listed = row.get("categories")
    if isinstance(listed, list):
        found = tuple(c for c in (as_category(_str(item)) for item in listed) if c)
    else:
        found = split_categories(_str(listed))
    primary = as_category(_str(row.get("cate"))) or as_category(_str(row.get("primary_category")))
    return tuple(dict.fromkeys((primary, *found) if primary else found))


def _authors(value: object) -> tuple[str, ...]:
    names = value if isinstance(value, list) else _str(value).split(",")
    cleaned = (" ".join(_str(name).split()) for name in names)
    return tuple(name for name in cleaned if name and not is_placeholder(name))


def _first(ai: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = clean(_str(ai.get(key)))
        if value is not None:
            return value
    return None


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""
