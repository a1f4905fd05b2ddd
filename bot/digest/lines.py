"""Recognisers for single lines of a Markdown digest: paper headings, field keys, author lines,
section headings and category codes (pure, stateless; the state machine is in digest_markdown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

from bot.arxiv_id import ArxivId, find_arxiv_id

PAPER_HEADING_PREFIXES = ("### [", "## <a id=")
"""Every layout starts a paper with one of these; the astro-topic generator uses the second."""

_CATEGORY = re.compile(r"[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[a-z]+)*)?")
_INDEX = re.compile(r"\[\d+\]\s*(?=\[)")
_TOPIC_ANCHOR = re.compile(r"## (<a\b[^>]*>\s*</a>)\s*")
_BACK_LINK = re.compile(r"\s*\[\[back\]\]\(#[^)]*\)\s*$", re.IGNORECASE)
_SECTION = re.compile(
    r"#{1,2}\s+(?:<(?:div|a)\b[^>]*>\s*</(?:div|a)>\s*)?(.*?)\s*(?:\[\[Back\]\]\(#[^)]*\))?\s*$"
)
_KEY = re.compile(
    r"(?P<quote>>\s*)?(?P<hash>#{2,3}\s+)?(?P<open>\*\*)?"
    r"(?P<key>Main category|Category|TL;DR|TLDR|Task|Motivation|Background|Data|Method|Result"
    r"|Conclusion|Abstract|Comment|Keywords|AI_Comments|ai_Abstract|摘要翻译|Interest Score"
    r"|Relevance)"
    r"(?P<close>\*\*)?\s*[:：]\s*(?P<after>\*\*)?\s*(?P<value>.*)"
)
_SECTION_KEY = re.compile(r"###\s+(Background Knowledge|Background|Summary|Contribution)\s*$")
_AUTHORS = re.compile(r"\*(?!\*)(?P<names>.*?)\*(?:\s*\|\s*(?P<tail>.*?))?\s*$")
_URL = re.compile(r"\(?\s*https?://\S+")
_QUOTED = re.compile(r"""'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)\"""")

FIELDS = {
    "Main category": "category",
    "Category": "category",
    "TL;DR": "tldr",
    "TLDR": "tldr",
    "Task": "tldr",
    "Summary": "tldr",
    "Contribution": "tldr",
    "Motivation": "motivation",
    "Background": "motivation",
    "Background Knowledge": "motivation",
    "Data": "data",
    "Method": "method",
    "Result": "result",
    "Conclusion": "conclusion",
    "Abstract": "abstract",
    "Comment": "comment",
    "摘要翻译": "translation",
}
"""Field keys -> Paper field (``data`` and ``translation`` are folded in later); other keys are
recognised only so that they end the previous field, and their values are dropped."""

XMK_KEYS = frozenset({"Keywords", "AI_Comments", "ai_Abstract", "摘要翻译"})


@dataclass(frozen=True, slots=True)
class Heading:
    title: str
    arxiv: ArxivId | None
    linked: bool
    """False when the heading is not in the ``[Title](url)`` form (the id was searched for)."""
    topic: bool = False


@dataclass(frozen=True, slots=True)
class Key:
    field: str | None
    """Paper field the value belongs to; None for keys whose values are dropped."""
    key: str
    value: str
    xmk: bool
    """In the xmkxabc style: ``**Key:**``, ``> **Key:**``, ``## Key:`` or an xmk-only key."""
    bold_label: bool
    """Written ``**Key**:`` (the astro fork)."""
    heading: bool = False
    """A ``### Summary`` style heading: the value follows on the next lines, often as bullets."""


def as_category(text: str) -> str | None:
    """``text`` when it has the shape of an arXiv category code (``cs.CV``, ``hep-ph``)."""
    text = text.strip()
    return text if _CATEGORY.fullmatch(text) else None


def split_categories(text: str) -> tuple[str, ...]:
    """Category codes in a ``cs.CR, cs.AI`` list, in order, without repeats or non-codes."""
    found = (as_category(part) for part in text.replace(",", " ").split())
    return tuple(dict.fromkeys(c for c in found if c))


def section_category(line: str) -> str | None:
    """The category of a ``# cs.CV [[Back]](#toc)`` / ``## <div id=..></div> cs.LG`` heading."""
    match = _SECTION.match(line)
    return as_category(match.group(1)) if match else None


def section_title(line: str) -> str:
    """The text of a ``#``/``##`` heading without anchors and back links."""
    match = _SECTION.match(line)
    return match.group(1) if match else line.lstrip("#").strip()


def anchor_id(fragment: str) -> str:
    """The ``id`` of an HTML anchor such as ``<a id="2606.30527v1"></a>``, however it is quoted.

    Only paper headings of the astro-topic layout carry one, so parsing it as HTML costs little.
    """
    tag = BeautifulSoup(fragment, "html.parser").find(True)
    value = tag.get("id") if isinstance(tag, Tag) else None
    return value if isinstance(value, str) else ""


def parse_paper_heading(line: str) -> Heading | None:
    """A ``### [N] [Title](url)`` or ``## <a id=ID></a>[Title](url)`` line, else None."""
    anchor = ""
    if line.startswith("### ["):
        rest = line[4:].strip()
        index = _INDEX.match(rest)
        if index is not None:
            rest = rest[index.end() :]
    else:
        match = _TOPIC_ANCHOR.match(line)
        if match is None:
            return None
        anchor, rest = anchor_id(match.group(1)), _BACK_LINK.sub("", line[match.end() :])
    topic = bool(anchor)
    link = _split_link(rest)
    if link is None:
        title = _URL.sub(" ", rest).strip("[]() ")
        found = find_arxiv_id(anchor or rest)
        return Heading(" ".join(title.split()), found, linked=False, topic=topic)
    title, url = link
    found = find_arxiv_id(url) or (find_arxiv_id(anchor) if anchor else None)
    return Heading(" ".join(title.split()), found, linked=True, topic=topic)


def _split_link(text: str) -> tuple[str, str] | None:
    """``[title](url)`` split from the right, so brackets inside the title are harmless and a
    URL with nested parentheses (``([https://arxiv.org/abs/](...)ID)``) is taken whole."""
    text = text.rstrip()
    if not (text.startswith("[") and text.endswith(")")):
        return None
    start = text.rfind("](")
    if start < 1:
        return None
    if "(" not in text[start + 2 : -1] and ")" not in text[start + 2 : -1]:
        return text[1:start], text[start + 2 : -1]
    depth = 0
    for position in range(len(text) - 1, 0, -1):
        char = text[position]
        if char == ")":
            depth += 1
        elif char == "(":
            depth -= 1
            if depth == 0:
                if text[position - 1] != "]" or position < 2:
                    return None
                return text[1 : position - 1], text[position + 1 : -1]
    return None


def match_key(line: str) -> Key | None:
    """A field line: ``TL;DR: x``, ``**TL;DR**: x``, ``> **TL;DR:** x``, ``## TL;DR:``,
    ``### Summary``."""
    match = _KEY.match(line)
    if match is None:
        section = _SECTION_KEY.match(line)
        if section is None:
            return None
        key = section.group(1)
        return Key(FIELDS[key], key, "", xmk=False, bold_label=False, heading=True)
    key, value = match.group("key"), match.group("value")
    bold_open = match.group("open") is not None
    if bold_open and match.group("close") is None and match.group("after") is None:
        value = value.removesuffix("**")
    xmk = bool(match.group("quote") or match.group("hash") or match.group("after"))
    return Key(
        FIELDS.get(key),
        key,
        value,
        xmk=xmk or key in XMK_KEYS,
        bold_label=match.group("close") is not None,
    )


def match_authors(line: str) -> tuple[tuple[str, ...], str | None] | None:
    """``*A,B*`` / ``*A, B*`` / ``*['A', "B O'C"]*``, maybe followed by ``| **Main category: X**``;
    returns the names and that tail."""
    match = _AUTHORS.match(line)
    if match is None:
        return None
    names = match.group("names").strip()
    if names.startswith("[") and names.endswith("]"):
        found = (single or double for single, double in _QUOTED.findall(names))
        authors = [name.replace("\\'", "'").replace('\\"', '"') for name in found]
    else:
        authors = names.split(",")
    cleaned = (" ".join(name.split()) for name in authors)
    return tuple(name for name in cleaned if name), match.group("tail")
