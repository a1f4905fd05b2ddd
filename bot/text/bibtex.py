"""Papers as BibTeX, in the form arXiv's own "Export BibTeX citation" gives (pure).

Each key is readable and belongs to its paper alone: the first author's surname, the year, the
first word of the title, then the arXiv id (``vaswani2017attention-1706.03762``). The id makes
keys unique without looking at the other papers of a file, so a paper keeps its key in every
export, however the library grows, and a ``\\cite`` written once keeps working; a key that took
``a``, ``b`` suffixes from its neighbours would change when a namesake paper is saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.models import Paper
from bot.text.citations import ascii_word, one_line, paper_year, split_name
from bot.text.latex import latex_field, split_math

KEY_PART = 20
"""At most this many characters of the surname and of the title word in a key."""
STOPWORDS = frozenset(
    ("a", "an", "and", "are", "as", "at", "by", "for", "from", "in", "into", "is", "of", "on",
     "or", "the", "to", "toward", "towards", "via", "with")
)  # fmt: skip
"""Small words a title's first word is taken after."""
_COMMAND = re.compile(r"\\[A-Za-z]+")
_WORD = re.compile(r"[^\W_]+")


def citation_key(paper: Paper) -> str:
    """``surname`` + ``year`` + ``titleword`` + ``-`` + id, ASCII letters and digits only
    before the id; a part that cannot be had (no authors, a Chinese name) is left out."""
    surname = ascii_word(split_name(paper.authors[0]).surname) if paper.authors else ""
    year = paper_year(paper)
    readable = f"{surname[:KEY_PART]}{year or ''}{_title_word(paper.title)[:KEY_PART]}"
    return f"{readable}-{paper.id.replace('/', '')}"


def _title_word(title: str) -> str:
    """The first word of the title that is not math, a command or a small word."""
    text = " ".join(piece for piece, is_math in split_math(title) if not is_math)
    words = _WORD.findall(_COMMAND.sub(" ", text))
    return next((w for w in map(ascii_word, words) if w and w not in STOPWORDS), "")


def author_field(authors: Iterable[str]) -> str:
    """``A and B``; a body's name, or one with the word "and" in it, braced so BibTeX keeps it
    whole."""
    names = []
    for author in authors:
        value = latex_field(one_line(author))
        literal = split_name(author).literal or " and " in f" {value.lower()} "
        names.append(f"{{{value}}}" if literal else value)
    return " and ".join(names)


def bibtex_entry(paper: Paper) -> str:
    fields = [("title", latex_field(one_line(paper.title)))]
    if paper.authors:
        fields.append(("author", author_field(paper.authors)))
    year = paper_year(paper)
    if year is not None:
        fields.append(("year", str(year)))
    fields += [("eprint", paper.id), ("archivePrefix", "arXiv")]
    if paper.category:
        fields.append(("primaryClass", paper.category))
    fields.append(("url", paper.url))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@misc{{{citation_key(paper)},\n{body}}}\n"


def bibtex(papers: Iterable[Paper]) -> str:
    """One ``@misc`` entry per paper, a blank line between; a paper given twice is written once
    (two entries with one key would make the whole file invalid)."""
    seen: set[str] = set()
    entries = []
    for paper in papers:
        if paper.id not in seen:
            seen.add(paper.id)
            entries.append(bibtex_entry(paper))
    return "\n".join(entries)
