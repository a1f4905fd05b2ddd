"""The Markdown digest parser: one line-oriented state machine for every layout (pure).

All layouts share the shape "paper heading, author line, ``Key: value`` fields, an abstract inside
``<details>``"; they differ in key spellings and decoration, which the line recognisers in
``bot.digest.lines`` absorb. Rules that hold in every layout:

* a field runs over following lines (blank lines included) until a key line that comes after a
  blank or structural line, a ``<details>``/``<summary>``/``</details>`` line or a heading;
* once ``Abstract:`` (or ``<summary>Abstract</summary>``) is seen, every line up to
  ``</details>`` or the next paper heading is abstract, whatever it looks like;
* ``</details># cs.CL`` (the 2025-04-15 layout) is read as two lines.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from bot.digest.block import Block, block_paper
from bot.digest.lines import (
    PAPER_HEADING_PREFIXES,
    Heading,
    Key,
    match_authors,
    match_key,
    parse_paper_heading,
    section_category,
    section_title,
)
from bot.digest.placeholders import is_placeholder
from bot.models import Paper

_END_ABSTRACT_HTML = re.compile(r"\s*(?:</details>|<div id=)")
_END_ABSTRACT_HEADING = re.compile(r"### \[|## <a id=|#{1,2} \S+ \[\[Back\]\]\(#toc\)\s*$")
_TOC_TOTAL = re.compile(r"-\s*\[[^\]]*\]\([^)]*\)\s*(?:\[Total:\s*(\d+)\]|\((\d+)\s*篇\))")
_STRUCTURAL = re.compile(r"</?(?:details|summary|div|a)\b")
_DECORATION = re.compile(r"-{3,}|(?:\[[^\]]*\]\(#[^)]*\)[\s|]*)+")
"""A horizontal rule or a line of anchor links (xmk's "back to top" line): never field text."""
_HEADING = re.compile(r"#{1,6}(?:\s|$)")
_TOC_TITLES = frozenset({"Table of Contents", "目录"})
_DAILY_TITLES = ("AI-Enhanced arXiv Daily", "ArXiv Daily Papers")
_ABSTRACTS = ("abstract", "translation")


@dataclass(slots=True)
class MarkdownResult:
    papers: list[Paper]
    warnings: list[str]
    layout: str


@dataclass(slots=True)
class _Parser:
    date: dt.date | None
    papers: list[Paper] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    features: set[str] = field(default_factory=set)
    """Traits of the layout seen so far (``xmk``, ``astro``, ``v1`` ...), named by _layout."""
    block: Block | None = None
    current: str | None = None
    """The field that continuation lines go to ("" for a key whose value is dropped)."""
    after_break: bool = True
    """The previous line was blank or structural, so a key line may start a new field."""
    section: str | None = None
    headings: int = 0
    toc_total: int = 0
    front_title: str | None = None

    def run(self, lines: list[str]) -> None:
        index, count = 0, len(lines)
        while index < count:
            if self.block is not None and self.current in _ABSTRACTS:
                index = self._abstract(self.block.fields[self.current], lines, index)
                continue
            self._line(lines[index], index + 1)
            index += 1
        self._close()

    def _abstract(self, target: list[str], lines: list[str], start: int) -> int:
        """Move abstract lines to ``target``; return the index of the line that ends them."""
        end, count = start, len(lines)
        while end < count:
            first = lines[end][:1]
            if first in ("<", " ") and _END_ABSTRACT_HTML.match(lines[end]):
                break
            if first == "#" and _END_ABSTRACT_HEADING.match(lines[end]):
                break
            end += 1
        target.extend(lines[start:end])
        self.current = None
        return end

    def _line(self, line: str, number: int) -> None:
        stripped = line.strip()
        if not stripped:
            self.after_break = True
            if self.block is not None and self.current is not None:
                self.block.fields[self.current].append("")
        elif stripped[0] == "<" and _STRUCTURAL.match(stripped):
            self._structural(stripped, number)
        elif stripped[0] in "-[" and _DECORATION.fullmatch(stripped):
            self.current, self.after_break = None, True
        elif line[0] == "#" and _HEADING.match(line):
            self._heading(line, number)
        elif self.block is None:
            self._front_matter(stripped)
        else:
            self._body(self.block, line)

    def _structural(self, stripped: str, number: int) -> None:
        self.current, self.after_break = None, True
        if stripped.startswith("</details>"):
            rest = stripped[len("</details>") :]
            if rest.strip():
                self._line(rest, number)
        elif stripped.startswith("<summary") and "Abstract" in stripped and self.block is not None:
            self.features.add("v0")
            self._open(self.block, "abstract", "")

    def _heading(self, line: str, number: int) -> None:
        if line.startswith(PAPER_HEADING_PREFIXES):
            heading = parse_paper_heading(line)
            if heading is not None:
                self._start(heading, number)
                return
        if self.block is not None and self.after_break:
            key = match_key(line)
            if key is not None:
                self._key(self.block, key)
                return
        self._close()
        self.after_break = True
        if not line.startswith("###"):
            self.section = section_category(line)
            title = section_title(line)
            if self.front_title is None or title in _TOC_TITLES:
                self.front_title = title

    def _front_matter(self, stripped: str) -> None:
        total = _TOC_TOTAL.match(stripped)
        if total is not None:
            self.toc_total += int(total.group(1) or total.group(2))

    def _body(self, block: Block, line: str) -> None:
        if self.after_break or self.current is None:
            if not block.authors_seen and not block.fields and line.startswith("*"):
                authors = match_authors(line)
                if authors is not None:
                    self._authors(block, *authors)
                    return
            key = match_key(line)
            if key is not None:
                self._key(block, key)
                return
        if self.current is not None:
            if line.startswith(">"):
                line = line.lstrip("> ")
            block.fields[self.current].append(line)
        self.after_break = False

    def _authors(self, block: Block, names: tuple[str, ...], tail: str | None) -> None:
        block.authors_seen = True
        block.authors = tuple(name for name in names if not is_placeholder(name))
        self.after_break = True
        if tail:
            self.features.add("xmk")
            key = match_key(tail)
            if key is not None:
                self._key(block, key)
                self.current = None

    def _key(self, block: Block, key: Key) -> None:
        block.authors_seen = True
        self.after_break = False
        if key.xmk:
            self.features.add("xmk")
        if key.bold_label or key.key in ("Background", "Data"):
            self.features.add("astro")
        if key.key in ("Task", "TLDR"):
            self.features.add("v1" if key.key == "Task" else "v2")
        if key.field == "category":
            block.category = key.value
            self.current = None
            return
        if key.heading and key.field is not None:
            block.bulleted.add(key.field)
        self._open(block, key.field or "", key.value)

    def _open(self, block: Block, name: str, value: str) -> None:
        self.current = name
        block.fields.setdefault(name, []).append(value)

    def _start(self, heading: Heading, number: int) -> None:
        self._close()
        self.headings += 1
        if heading.topic:
            self.features.add("astro-topic")
        self.block = Block(number, heading, self.section)
        self.after_break = True

    def _close(self) -> None:
        block, self.block, self.current = self.block, None, None
        if block is not None:
            paper, warnings = block_paper(block, self.date)
            self.warnings.extend(warnings)
            if paper is not None:
                self.papers.append(paper)

    def result(self) -> MarkdownResult:
        return MarkdownResult(self.papers, self.warnings, self._layout())

    def _layout(self) -> str:
        if self.headings == 0:
            return self._no_papers_layout()
        for name in ("astro-topic", "xmk", "astro", "v0", "v1", "v2"):
            if name in self.features:
                return name
        return "canonical"

    def _no_papers_layout(self) -> str:
        if self.front_title in _TOC_TITLES or (self.front_title or "").startswith(_DAILY_TITLES):
            if self.toc_total:
                self.warnings.append(
                    f"the table of contents counts {self.toc_total} papers "
                    "but there is no paper heading"
                )
            return "empty"
        first = f" (it starts with {self.front_title!r})" if self.front_title else ""
        self.warnings.append(
            "not a digest in a known layout: no paper heading like '### [Title](arXiv link)' "
            f"or '## <a id=...></a>[Title](link)'{first}"
        )
        return "unknown"


def parse_markdown(text: str, date: dt.date | None) -> MarkdownResult:
    """Papers (duplicates not yet merged), warnings and layout name of a Markdown digest."""
    parser = _Parser(date)
    parser.run(text.split("\n"))
    return parser.result()
