"""Which papers are alike (pure): the terms that tell a paper apart, and the words two share.

A paper is described by its weightiest index terms, by tf-idf: how often the term occurs in the
paper (a title word three times over, the AI summary and the abstract once) times
log(papers / papers that contain it). A term found in more than one paper in twenty says little
(English function words, "model", 方法): the counts drop it, no list of stopwords does. A term
only this paper has cannot find another one, and a number names no subject. Nor does a single
Latin letter or LaTeX: the words of a paper are read from its prose (:func:`prose`), without
``$...$`` math and backslash commands, so the ``n``, ``log`` and ``mathcal`` of
``$\\mathcal{O}(n \\log n)$`` tie it to no other paper with a formula. The store then ranks the
papers that contain any of the chosen terms with bm25 (``storage.similar``).

Chinese, Japanese and Korean text is indexed as overlapping bigrams (``bot.rules.textindex``): a
word of four characters gives three terms, and a bigram across two words is noise, so CJK terms
weigh half. In the "why" line a shared bigram grows back into the stretch of characters around
it that both papers write.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.models import Paper, SimilarHit
from bot.rules.textindex import cjk_runs, clean, is_cjk

COLUMN_WEIGHTS = (3.0, 1.0, 1.0)
"""How much one occurrence counts in the title, the AI summary and the abstract."""
CJK_WEIGHT = 0.5
TERMS = 16
"""How many terms describe a paper. Within ``ROW_BUDGET``, 24 or 32 found papers barely closer
(recall against exact tf-idf cosine on the history 0.41, 0.41, 0.42) for the same time."""
COMMON_SHARE = 0.05
"""A term in more than this share of the papers is too common to tell papers apart ..."""
NEVER_COMMON = 5
"""... unless it is in at most this many papers, so that a small collection still finds pairs."""
ROW_BUDGET = 10_000
"""The chosen terms' paper counts add up to at most this: bm25 scores every paper that contains
one of them, about 1.4 µs each, so ranking takes some 15 ms at 100,000 papers and no more
later. One query with every term of the paper finds closer papers (recall 0.49 against 0.42,
``bench/bench_similar.py --quality``) in 24x (history) to 110x (100k papers) the time."""
WHY_TERMS = 5
"""Shared words shown under each similar paper."""
GROWN_MAX = 4
"""Characters a shared CJK bigram may grow to in the "why" line (most terms have two to four)."""
JOINERS = frozenset("的了是在和与及或对将被从等并其该之而于也のはがをにでともへや")
"""Chinese and Japanese characters that join words rather than make them: a shared bigram does
not grow over one (``剪枝`` stays ``剪枝`` in ``…的剪枝``)."""

_WORD = re.compile(r"[^\W_]+")
"""A token as SQLite's unicode61 tokenizer splits text: a run of letters and digits."""
_LATEX = re.compile(
    r"(?=[$\\])(?:"  # every kind starts so: the scan is quicker (39 µs a paper, not 68)
    r"\$\$(?:\\.|[^$\\]){1,500}?\$\$"  # $$display math$$
    r"|(?<![\\$])\$(?![\s$])(?:\\.|[^$\\\n]){1,200}?(?<!\s)\$(?!\d)"  # $inline math$
    r"|\\\((?:\\[^)]|[^\\]){1,200}?\\\)"  # \(inline math\)
    r"|\\\[(?:\\[^\]]|[^\\]){1,500}?\\\]"  # \[display math\]
    r"|\\[A-Za-z]+)"  # a command outside math: \ell, \textbf
)
"""LaTeX in a paper's text. Inline math follows pandoc's rule: the opening ``$`` has no space
after it, the closing one none before it and no digit after it, so prices ("$61 billion ...
from $1,503 to $708") are not math; ``\\$`` is a dollar sign. The spans are bounded, so an odd
``$`` never swallows a paragraph."""
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class TermProfile:
    """A paper's index terms, each with its weighted count and the paper's own word for it."""

    weights: Mapping[str, float]
    spellings: Mapping[str, str]


def words(text: str) -> list[str]:
    """The words of an indexed text (``index_text`` output), as the tokenizer splits them."""
    return _WORD.findall(text)


def prose(text: str) -> str:
    """``text`` without its LaTeX: math and backslash commands become a space each.

    The argument of a command outside math stays (``\\textbf{sparse}`` keeps ``sparse``); what
    is left of a formula written without ``$`` is single letters, which ``pick_terms`` skips.
    """
    if "$" not in text and "\\" not in text:
        return text  # five papers in six on the history: 1 µs, not 29 for the search
    return _LATEX.sub(" ", text)


def term_profile(
    columns: Sequence[Sequence[str]], stems: Mapping[str, Sequence[str]]
) -> TermProfile:
    """The terms of a paper from the lower-case words of its title, AI summary and abstract.

    ``stems`` maps each word to the index terms the tokenizer makes of it (``pruning`` ->
    ``prune``). A term's spelling is the paper's first word for it.
    """
    weights: dict[str, float] = defaultdict(float)
    spellings: dict[str, str] = {}
    for weight, column in zip(COLUMN_WEIGHTS, columns, strict=True):
        for word in column:
            for term in stems.get(word, ()):
                weights[term] += weight
                spellings.setdefault(term, word)
    return TermProfile(weights=dict(weights), spellings=spellings)


def shared_words(
    terms: Sequence[str],
    text: str,
    lowered_words: Iterable[str],
    stems: Mapping[str, Sequence[str]],
) -> tuple[str, ...]:
    """Those of ``terms`` that ``text`` (indexed text) contains, in their order, each as the text
    first writes it. ``lowered_words`` are the text's words in lower case, in order (repeats may
    be left out), and ``stems`` maps them to their terms."""
    wanted = set(terms)
    lowered = text.lower()
    found: dict[str, str] = {}
    for word in lowered_words:
        for term in stems.get(word, ()):
            if term in wanted:
                found.setdefault(term, word)
    return tuple(_as_written(found[term], text, lowered) for term in terms if term in found)


def _as_written(word: str, text: str, lowered: str) -> str:
    """``word`` (lower case) with the case ``text`` first gives it as a whole word."""
    if len(lowered) != len(text):  # lower() changed a length: positions differ, keep it as is
        return word
    start = lowered.find(word)
    while start >= 0:
        end = start + len(word)
        before = lowered[start - 1] if start else " "
        after = lowered[end] if end < len(lowered) else " "
        if not before.isalnum() and not after.isalnum():
            return text[start:end]
        start = lowered.find(word, start + 1)
    return word


def pick_terms(
    weights: Mapping[str, float],
    papers_with: Mapping[str, int],
    papers: int,
    *,
    limit: int = TERMS,
    budget: int = ROW_BUDGET,
) -> tuple[str, ...]:
    """The terms that tell the paper apart, weightiest first (ties by term).

    ``papers_with`` gives each term's number of papers (this one included) and ``papers`` the
    number of all papers. Terms too common or this paper's alone are left out, and numbers (a
    "52" names no subject) and single letters other than CJK ones (the ``n`` and ``O`` of a
    formula, an ``α``), and so is a term whose papers would take the chosen ones past
    ``budget``.
    """
    most = max(COMMON_SHARE * papers, NEVER_COMMON)
    scored = []
    for term, weight in weights.items():
        count = papers_with.get(term, 0)
        if 2 <= count <= most and _names_a_subject(term):
            tf_idf = weight * math.log(papers / count)
            scored.append((-tf_idf * (CJK_WEIGHT if is_cjk(term) else 1.0), term))
    chosen: list[str] = []
    rows = 0
    for _, term in sorted(scored):
        if rows + papers_with[term] <= budget:
            rows += papers_with[term]
            chosen.append(term)
            if len(chosen) == limit:
                break
    return tuple(chosen)


def _names_a_subject(term: str) -> bool:
    """False for a number or a single letter that is not CJK (a CJK run's last character is)."""
    return not term.isdigit() and (len(term) > 1 or is_cjk(term))


def title_key(title: str) -> str:
    """A title as its re-postings share it: case, accents, spacing and punctuation aside."""
    return " ".join(_NOT_WORD.sub(" ", clean(title).casefold()).split())


def _grown(bigram: str, runs: Sequence[str], other: str) -> str:
    """The longest stretch of ``runs`` around ``bigram`` that ``other`` also writes, grown right
    first, then left, never over a joining character."""
    best = bigram
    for run in runs:
        start = run.find(bigram)
        while start >= 0:
            i, j = start, start + 2
            while (
                j < len(run)
                and j - i < GROWN_MAX
                and run[j] not in JOINERS
                and run[i : j + 1] in other
            ):
                j += 1
            while (
                i > 0
                and j - i < GROWN_MAX
                and run[i - 1] not in JOINERS
                and run[i - 1 : j] in other
            ):
                i -= 1
            best = max(best, run[i:j], key=len)
            start = run.find(bigram, start + 1)
    return best


def readable_terms(
    shared: Sequence[str],
    texts: Sequence[str],
    other_texts: Sequence[str],
    *,
    limit: int = WHY_TERMS,
) -> tuple[str, ...]:
    """The first ``limit`` distinct words of ``shared`` as a reader would name them.

    A CJK bigram is a piece of a word: it grows into the longest stretch of characters around
    it that both the paper (``texts``) and the other one (``other_texts``) write, up to
    ``GROWN_MAX`` (``化检`` -> ``变化检测``); a word inside another one is not repeated.
    """
    runs = [run for text in texts for run in cjk_runs(text)]
    other = "\n".join(run for text in other_texts for run in cjk_runs(text))
    grown = dict.fromkeys(
        _grown(term, runs, other) if len(term) == 2 and is_cjk(term) else term for term in shared
    )
    kept = [w for w in grown if not (is_cjk(w) and any(w != o and w in o for o in grown))]
    return tuple(kept[:limit])


def _texts(paper: Paper) -> list[str]:
    parts = (paper.title, paper.tldr, paper.motivation, paper.method, paper.result)
    return [part for part in (*parts, paper.conclusion, paper.comment, paper.abstract) if part]


def why_words(paper: Paper, hit: SimilarHit, *, limit: int = WHY_TERMS) -> tuple[str, ...]:
    """The words ``hit`` shares with ``paper``, weightiest first, as a reader would name them."""
    return readable_terms(hit.shared, _texts(hit.paper), _texts(paper), limit=limit)
