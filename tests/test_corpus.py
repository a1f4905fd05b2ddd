"""bot.digest.parse over the real corpus in ../shared/digests (read in place; skipped when absent).

The expected paper ids are counted here independently of the parser: every arXiv id that a
paper heading (a ``### `` line, or an astro-topic ``## <a id=`` line) links to.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from bot.digest.parse import date_from_name, parse_digest
from bot.models import Digest

CORPUS = Path(__file__).parents[2] / "shared" / "digests"
MARKDOWN = sorted(p for p in CORPUS.glob("*.md") if p.name != "README.md")
JSONL = sorted(CORPUS.glob("jsonl/*.jsonl"))

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"the shared corpus is not present at {CORPUS}"
)

LINKED_ID = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?=\))")
PLACEHOLDERS = {
    "Error",
    "Summary generation failed",
    "Motivation analysis unavailable",
    "Method extraction failed",
    "Result analysis unavailable",
    "Conclusion extraction failed",
    "Not mentioned in abstract",
    "N/A",
    "This content has not passed the compliance test and has been hidden.",
    "No concise summary available.",
    "达到API配额限制，请明天再试",
    "",
}
PLACEHOLDER_PREFIXES = ("Error code:", "Failed when generating")
TEMPLATE_FIELD = re.compile(r"\{\w+\}")
TEXT_FIELDS = ("tldr", "motivation", "method", "result", "conclusion", "abstract", "comment")
NOT_DIGESTS = {"dw-dengwei__daily-arXiv-ai-enhanced__pr128-765f9de__2026-06-17_research_radar.md"}
EMPTY_DAYS = {
    "dw-dengwei__daily-arXiv-ai-enhanced__main-3f7dc4b__2025-10-09.md",
    "xmkxabc__daily-arXiv-ai-enhanced__main-ee0fc245__2025-06-18.md",
}


@functools.cache
def parse(path: Path) -> Digest:
    return parse_digest(path.read_text(encoding="utf-8"), date=date_from_name(path.name))


def heading_ids(path: Path) -> set[str]:
    ids: set[str] = set()
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith(("### ", "## <a id=")):
            ids.update(LINKED_ID.findall(line))
    return ids


def markdown_of(jsonl: Path) -> Path:
    """``<prefix>__<date>_AI_enhanced_<Lang>.jsonl`` and ``<prefix>__<date>.jsonl`` -> ``.md``."""
    stem = re.sub(r"_AI_enhanced_\w*$", "", jsonl.stem)
    return CORPUS / f"{stem}.md"


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: p.name)
def test_corpus_every_heading_id_is_exactly_one_paper(path: Path) -> None:
    papers = parse(path).papers
    assert len(papers) == len(heading_ids(path))
    assert {paper.id for paper in papers} == heading_ids(path)


@pytest.mark.parametrize("path", MARKDOWN + JSONL, ids=lambda p: p.name)
def test_corpus_papers_have_id_title_and_date(path: Path) -> None:
    digest = parse(path)
    assert digest.date is not None or path.name == "seed.md"
    for paper in digest.papers:
        assert paper.id
        assert paper.title.strip()
        assert paper.date == digest.date


@pytest.mark.parametrize("path", MARKDOWN + JSONL, ids=lambda p: p.name)
def test_corpus_no_placeholder_survives(path: Path) -> None:
    for paper in parse(path).papers:
        for name in TEXT_FIELDS:
            value = getattr(paper, name)
            assert value is None or not (
                value.strip() in PLACEHOLDERS
                or value.startswith(PLACEHOLDER_PREFIXES)
                or TEMPLATE_FIELD.fullmatch(value)
            ), (paper.id, name, value)
        assert all(name and not TEMPLATE_FIELD.fullmatch(name) for name in paper.authors)


@pytest.mark.parametrize("name", sorted(NOT_DIGESTS))
def test_corpus_non_digest_gives_no_papers_and_a_warning(name: str) -> None:
    digest = parse(CORPUS / name)
    assert (digest.papers, digest.layout) == ((), "unknown")
    assert len(digest.warnings) == 1


@pytest.mark.parametrize("name", sorted(EMPTY_DAYS))
def test_corpus_empty_day_is_a_digest_without_papers(name: str) -> None:
    assert parse(CORPUS / name) == Digest(date=date_from_name(name), layout="empty")


@pytest.mark.parametrize("path", JSONL, ids=lambda p: p.name)
def test_corpus_jsonl_pairs_with_its_markdown(path: Path) -> None:
    from_jsonl = {paper.id: paper for paper in parse(path).papers}
    from_markdown = {paper.id: paper for paper in parse(markdown_of(path)).papers}
    if "_AI_enhanced_" in path.name:
        assert from_jsonl.keys() == from_markdown.keys()
    else:
        assert from_jsonl.keys() >= from_markdown.keys()
    for paper_id, md_paper in from_markdown.items():
        jsonl_paper = from_jsonl[paper_id]
        assert jsonl_paper.categories
        assert jsonl_paper.category == jsonl_paper.categories[0]
        assert set(md_paper.categories) <= set(jsonl_paper.categories)
        assert md_paper.abstract == jsonl_paper.abstract
        assert md_paper.title == jsonl_paper.title
