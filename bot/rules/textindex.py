"""Text preparation for the full-text index, shared by indexing and querying (pure).

SQLite's ``unicode61`` tokenizer splits on spaces and punctuation, which Chinese and Japanese do
not use between words, and the ``trigram`` tokenizer cannot find two-character words such as
剪枝. So every run of CJK characters (ideographs, kana, Hangul) is rewritten into overlapping
bigrams plus the run's last character as a unigram: ``强化学习`` is indexed as
``强化 化学 学习 习``. A query of two or more CJK characters then becomes the phrase of its
bigrams and finds every text that contains it as a substring; a single character becomes a prefix
query, which matches the bigram it starts or the unigram that ends its run.

Both sides go through NFKC first (full-width Latin, half-width kana, ligatures), and latin text is
left to the tokenizer (case folding, diacritics, stemming). The output of :func:`index_text` must
stay a pure function of its input: the store deletes index entries by re-deriving the text it once
indexed, so a change here needs a new schema version that rebuilds the index.
"""

from __future__ import annotations

import operator
import re
import unicodedata

_CJK_CHARS = (
    "\u1100-\u11ff"  # Hangul Jamo
    "\u3005-\u3007"  # 々 〆 〇
    "\u3041-\u3096\u309d-\u309f"  # Hiragana
    "\u30a1-\u30fa\u30fc-\u30ff"  # Katakana (without the ・ separator)
    "\u3131-\u318e"  # Hangul compatibility Jamo
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\ua960-\ua97f"  # Hangul Jamo extended A
    "\uac00-\ud7a3"  # Hangul syllables
    "\ud7b0-\ud7ff"  # Hangul Jamo extended B
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # CJK extensions B to G
)
_CJK_RUN = re.compile(f"[{_CJK_CHARS}]+")
_INDEXABLE = re.compile(r"[^\W_]")
"""A character the tokenizer keeps: a letter or a digit (Unicode categories L* and N*)."""
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
"""Control characters (NUL ends an FTS5 string early) and lone surrogates (not encodable)."""


def _bigrams(run: str) -> list[str]:
    return list(map(operator.add, run, run[1:])) or [run]


def _index_run(match: re.Match[str]) -> str:
    run = match.group()
    if len(run) == 1:
        return f" {run} "
    return f" {' '.join(map(operator.add, run, run[1:]))} {run[-1]} "


def clean(text: str) -> str:
    """NFKC-normalised text without control characters or lone surrogates."""
    text = _UNSAFE.sub(" ", text)
    if unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


def index_text(text: str) -> str:
    """``text`` as it goes into the full-text index: CJK runs as bigrams and a final unigram."""
    if text.isascii():
        return text  # most abstracts: nothing to normalise, no CJK; the tokenizer does the rest
    return _CJK_RUN.sub(_index_run, clean(text))


def is_cjk(token: str) -> bool:
    """True for an index token made of CJK characters only (a bigram or a run's last one)."""
    return _CJK_RUN.fullmatch(token) is not None


def cjk_runs(text: str) -> list[str]:
    """The runs of CJK characters in ``text`` after ``clean``, as ``index_text`` bigrams them."""
    return _CJK_RUN.findall(clean(text))


def fts_phrase(term: str) -> str | None:
    """An FTS5 string (quoted by us) that finds ``term``; None when it has nothing to search for.

    Latin words match as words (in order, when there are several); a CJK part of two or more
    characters matches as a substring; a term that ends in a lone CJK character is a prefix query.
    """
    text = clean(term)
    if not _INDEXABLE.search(text):
        return None
    tokens: list[str] = []
    position = 0
    prefix = False
    for match in _CJK_RUN.finditer(text):
        tokens.append(text[position : match.start()])
        run = match.group()
        tokens.extend(_bigrams(run))
        position = match.end()
        more_follows = _INDEXABLE.search(text, position) is not None
        if more_follows and len(run) > 1:
            tokens.append(run[-1])
        prefix = not more_follows and len(run) == 1
    tokens.append(text[position:])
    body = " ".join(t.strip() for t in tokens if t.strip()).replace('"', '""')
    return f'"{body}"*' if prefix else f'"{body}"'
