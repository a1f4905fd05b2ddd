"""Which language a digest's AI text is written in (pure).

The upstream publishes ``<date>_AI_enhanced_Chinese.jsonl`` and forks ``_English`` or
``_Japanese``; the name says it. A file whose name does not (the Markdown pages, other layouts)
is judged by its TL;DRs: Japanese kana, else Chinese characters, else Latin letters.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from bot.models import Paper

LANGUAGES = {"chinese": "zh", "english": "en", "japanese": "ja", "korean": "ko"}
"""Language names in file names -> the codes chats choose with /summaries."""
_NAMED = re.compile(r"_(?:AI_enhanced_)?(" + "|".join(LANGUAGES) + r")\b", re.IGNORECASE)
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]{3,}")
SAMPLE = 50
"""TL;DRs read to judge a file whose name says nothing."""


def text_language(text: str) -> str | None:
    """``ja``, ``ko``, ``zh`` or ``en`` for one piece of AI text; None for none of them."""
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    if _HAN.search(text):
        return "zh"
    return "en" if _LATIN.search(text) else None


def summary_language(name: str, papers: Iterable[Paper]) -> str | None:
    """The language of the AI text of a digest file called ``name``: from its name, else the most
    common language of its first ``SAMPLE`` TL;DRs; None without AI text."""
    named = _NAMED.search(name)
    if named:
        return LANGUAGES[named.group(1).lower()]
    votes: Counter[str] = Counter()
    for paper in papers:
        if paper.tldr:
            found = text_language(paper.tldr)
            if found:
                votes[found] += 1
            if sum(votes.values()) >= SAMPLE:
                break
    return votes.most_common(1)[0][0] if votes else None
