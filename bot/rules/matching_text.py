"""Text as matching sees it (pure): folded paper text, compiled keywords, person names.

See ``bot.rules.matching`` for the rule these serve.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from bot.models import Paper

_TEXT_FIELDS = ("tldr", "motivation", "method", "result", "conclusion", "abstract")
_FIELD_GAP = "\n\x00\n"
"""Joins fields so that neither a phrase (``\\s+``) nor a substring spans two of them."""

_CJK = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3000-\u303f\u3040-\u309f\u30a0-\u30ff\u3100-\u312f"
    "\u3130-\u318f\u31f0-\u31ff\u3200-\u32ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f"
    "\uac00-\ud7af\ud7b0-\ud7ff\uf900-\ufaff\uff66-\uffdc\U00020000-\U0003134f"
)
_CJK_RUN = re.compile(f"[{_CJK}]+")
_NOT_A_WORD = "\x01"
"""Stands in for CJK runs in the text whole-word patterns see: neither a word nor a space, so
``RL`` is found in ``基于RL的`` but ``graph neural`` is not found in ``graph图neural``."""
_WORD = re.compile(r"\w+")
_UNDECOMPOSABLE = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"}
)


def fold(text: str) -> str:
    """Text as keywords are compared: NFKC (full-width letters become ASCII) and case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def name_words(name: str) -> tuple[str, ...]:
    """The words of a person's name, case-folded and without accents (``Łukasz`` -> ``lukasz``)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return tuple(_WORD.findall(bare.translate(_UNDECOMPOSABLE)))


@dataclass(frozen=True, slots=True)
class PreparedPaper:
    """A paper with the folded texts and word sets matching needs, computed once per digest."""

    paper: Paper
    title: str
    text: str
    """Title and summary fields, folded; CJK keywords are looked for here."""
    latin_title: str
    latin_text: str
    """``text`` with CJK runs replaced; whole-word patterns are run here."""
    title_words: frozenset[str]
    words: frozenset[str]
    categories: frozenset[str]
    authors: tuple[tuple[str, ...], ...]


def prepare_paper(paper: Paper) -> PreparedPaper:
    title = fold(paper.title)
    fields = [fold(value) for name in _TEXT_FIELDS if (value := getattr(paper, name))]
    text = _FIELD_GAP.join([title, *fields])
    latin_title, latin_text = (_CJK_RUN.sub(_NOT_A_WORD, t) for t in (title, text))
    return PreparedPaper(
        paper=paper,
        title=title,
        text=text,
        latin_title=latin_title,
        latin_text=latin_text,
        title_words=frozenset(_WORD.findall(latin_title)),
        words=frozenset(_WORD.findall(latin_text)),
        categories=frozenset(c.casefold() for c in paper.all_categories),
        authors=tuple(name_words(author) for author in paper.authors),
    )


@dataclass(frozen=True, slots=True)
class Keyword:
    """A keyword compiled once: how to find it, and which indexed words it needs.

    A single word is looked up in the word sets, a CJK keyword is a substring of the folded text,
    anything else (a phrase, a word with punctuation such as ``C++``) is a whole-word pattern over
    the latin text.
    """

    folded: str
    words: tuple[str, ...]
    """Words every matching paper contains (a necessary condition, used to skip papers)."""
    cjk: bool = False
    pattern: re.Pattern[str] | None = None

    @property
    def single_word(self) -> bool:
        return not self.cjk and self.pattern is None

    def found_in(self, paper: PreparedPaper, *, title_only: bool = False) -> bool:
        if self.cjk:
            return self.folded in (paper.title if title_only else paper.text)
        if self.pattern is None:
            return self.folded in (paper.title_words if title_only else paper.words)
        latin = paper.latin_title if title_only else paper.latin_text
        return self.pattern.search(latin) is not None


@functools.lru_cache(maxsize=65536)
def compile_keyword(keyword: str) -> Keyword:
    folded = " ".join(fold(keyword).split())
    if _CJK_RUN.search(folded):
        return Keyword(folded, (), cjk=True)
    words = tuple(_WORD.findall(folded))
    if words == (folded,):
        return Keyword(folded, words)
    body = r"\s+".join(re.escape(part) for part in folded.split(" "))
    return Keyword(folded, words, pattern=re.compile(rf"(?<!\w){body}(?!\w)"))


def name_matches(wanted: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Every wanted word is a word of the name; a one-letter word is an initial."""
    return all(
        w in words if len(w) > 1 else any(word.startswith(w) for word in words) for w in wanted
    )
