"""arXiv identifiers in every form a digest or a person writes them (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NEW = r"(?P<new>(?P<yymm>\d{4})\.\d{4,5})"
_OLD = r"(?P<old>[a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?/\d{7})"
_VERSION = r"(?:v(?P<version>\d{1,3}))?"
_ID = rf"(?:{_NEW}|{_OLD}){_VERSION}"

_ID_IN_TEXT = re.compile(rf"(?<![\w.]){_ID}(?!\w)")
_PAGES = (
    r"(?:(?:www|export|browse)\.)?arxiv\.org/(?:abs|pdf|html|format)",
    r"(?:ar5iv\.labs\.arxiv\.org|ar5iv\.org)/(?:abs|html)",
    r"(?:www\.)?alphaxiv\.org/(?:abs|overview|pdf)",
    r"(?:www\.)?huggingface\.co/papers",
    r"(?:www\.)?semanticscholar\.org/arxiv",
    r"papers\.cool/arxiv",
)
"""Pages of one paper addressed by its id: arXiv's own and the mirrors people share."""
_WHOLE = re.compile(
    rf"(?:(?P<page>(?:https?://)?(?:{'|'.join(_PAGES)})/)|arxiv:\s*)?{_ID}(?:\.pdf)?/?"
    r"(?(page)(?:[?#]\S*)?)",  # a query or a fragment only after a page's address
    re.IGNORECASE,
)
_MARKDOWN_LINK = re.compile(r"\[(?P<label>[^\]]*)\]\((?P<url>[^()\s]+)\)")
_OPENING = "\"'“‘«(（[【「『《<"
_CLOSING = "\"'”’»)）]】」』》>.,;:!?。，；：！？"
"""Quotes, brackets and punctuation that a pasted id or link comes wrapped in."""


@dataclass(frozen=True, slots=True)
class ArxivId:
    id: str
    """Bare id, version stripped."""
    version: int | None = None

    def __str__(self) -> str:
        return self.id if self.version is None else f"{self.id}v{self.version}"


def _from_match(match: re.Match[str]) -> ArxivId | None:
    new, old = match.group("new"), match.group("old")
    if new is not None and not 1 <= int(match.group("yymm")[2:]) <= 12:
        return None
    version = match.group("version")
    return ArxivId(new or old, int(version) if version else None)


def find_arxiv_id(text: str) -> ArxivId | None:
    """The first arXiv id anywhere in ``text`` (a heading, a link), or None."""
    for match in _ID_IN_TEXT.finditer(text):
        found = _from_match(match)
        if found is not None:
            return found
    return None


def parse_arxiv_id(text: str) -> ArxivId | None:
    """The id when ``text`` is nothing but an id or a link to the paper's page, else None.

    Accepts ``2510.19260``, ``2510.19260v2``, ``arXiv:2510.19260``, old-style ids like
    ``hep-th/9901001``; links to arXiv's ``abs``, ``pdf`` (with or without ``.pdf``), ``html``
    and ``format`` pages, with a query or fragment, and to the mirrors in ``_PAGES`` (ar5iv,
    alphaXiv, Hugging Face papers, Semantic Scholar, papers.cool); any of these wrapped in
    quotes, brackets or trailing punctuation; a Markdown link to one of those pages.
    """
    text = text.strip()
    link = _MARKDOWN_LINK.fullmatch(text)
    if link is not None:
        return parse_arxiv_id(link.group("url")) or parse_arxiv_id(link.group("label"))
    match = _WHOLE.fullmatch(text.lstrip(_OPENING).rstrip(_CLOSING).strip())
    if match is None:
        return None
    found = _from_match(match)
    if found is not None and match.group("old") is not None:
        return ArxivId(_normalise_old(found.id), found.version)
    return found


def _normalise_old(old_id: str) -> str:
    """Old-style archives are lower case (``hep-th``) but subject classes upper (``math.GT``)."""
    archive, _, number = old_id.partition("/")
    name, dot, subject = archive.partition(".")
    return f"{name.lower()}{dot}{subject.upper()}/{number}"


_SEPARATORS = re.compile(r"[\s,;]+")


def parse_arxiv_ids(text: str) -> list[ArxivId]:
    """The ids, each once, when ``text`` is nothing but two or more ids or links (each as
    ``parse_arxiv_id`` reads one) separated by spaces, lines, commas or semicolons; else []."""
    parts = [part for part in _SEPARATORS.split(text.strip()) if part]
    if len(parts) < 2:
        return []
    found = [parse_arxiv_id(part) for part in parts]
    if any(arxiv is None for arxiv in found):
        return []
    return list({arxiv.id: arxiv for arxiv in found if arxiv is not None}.values())
