"""What every citation format needs to know about a paper: its year, its DOI, its authors'
surnames (pure)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.models import Paper

_NEW_ID = re.compile(r"(\d\d)(\d\d)\.\d{4,5}")
_OLD_ID = re.compile(r"[^/]+/(\d\d)(\d\d)\d{3}")
CORPORATE = frozenset(
    {"collaboration", "consortium", "team", "group", "committee", "project", "laboratory"}
)
"""Words that make an author a body, whose name is not split into given name and surname."""
_FOLD = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss",
     "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d"}
)  # fmt: skip
"""Letters Unicode does not decompose into an ASCII letter and an accent."""


@dataclass(frozen=True, slots=True)
class Name:
    """An author as citation formats write one: given names and surname, or a body's name."""

    given: str
    surname: str
    literal: bool = False
    """A body (``The LSST Dark Energy Science Collaboration``): one name, never split."""


def split_name(name: str) -> Name:
    """``Jan van der Berg`` -> given ``Jan``, surname ``van der Berg``, as BibTeX splits it.

    The surname is the last word and the lower-case particles just before it (``van der``,
    ``de la``); a name already written ``Surname, Given`` is taken as it is.
    """
    name = " ".join(name.split())
    if "," in name:
        surname, _, given = name.partition(",")
        return Name(given.strip(), surname.strip())
    words = name.split(" ")
    if len(words) == 1 or CORPORATE & {word.lower() for word in words}:
        return Name("", name, literal=len(words) > 1)
    start = len(words) - 1
    while start > 1 and words[start - 1][:1].islower():
        start -= 1
    return Name(" ".join(words[:start]), " ".join(words[start:]))


def paper_year(paper: Paper) -> int | None:
    """The year of first submission, read from the id (``2510.19260`` -> 2025; ``hep-th/9901001``
    -> 1999), which new versions never change; else the year of the digest."""
    new, old = _NEW_ID.fullmatch(paper.id), _OLD_ID.fullmatch(paper.id)
    if new is not None:
        return 2000 + int(new.group(1))
    if old is not None:
        year = int(old.group(1))
        return 1900 + year if year >= 91 else 2000 + year  # old-style ids ran 1991-2007
    return paper.date.year if paper.date is not None else None


def doi(paper: Paper) -> str:
    """The DOI arXiv registered for the paper (every arXiv paper has had one since 2022)."""
    return f"10.48550/arXiv.{paper.id}"


def one_line(text: str) -> str:
    """Runs of white space, line breaks among them, as one space."""
    return " ".join(text.split())


def ascii_word(text: str) -> str:
    """Letters and digits only, accents dropped, lower case: ``Müller-Łukasz`` ->
    ``mullerlukasz``; characters without an ASCII letter in them (Chinese) are dropped."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()
