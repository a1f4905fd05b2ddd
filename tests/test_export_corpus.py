"""Every paper of the shared corpus (../shared/digests, read in place; skipped when absent)
through every export format and back: BibTeX read by pybtex, RIS by our own small reader, CSV by
the csv module, Markdown unescaped; titles, authors and ids must come back as they went in.

The corpus titles hold LaTeX math and commands, ``&``, ``"``, braced accents (``{à}``), ``~``,
``^`` and ``#`` outside math; its names accents, particles and collaborations.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import replace

import pytest
from conftest import SHARED_DIGESTS
from pybtex.database import BibliographyData, Person, parse_string
from risreader import read_ris

from bot.digest.parse import date_from_name, parse_digest
from bot.models import Paper
from bot.text.bibtex import bibtex, citation_key
from bot.text.citations import doi, one_line, split_name
from bot.text.exports import (
    EXPORT_FORMATS,
    MARKDOWN_SPECIALS,
    MAX_DOCUMENT_BYTES,
    csv_text,
    markdown,
)
from bot.text.latex import split_math
from bot.text.ris import ris, ris_name
from handlers.exports import MAX_EXPORTED

pytestmark = pytest.mark.skipif(
    not SHARED_DIGESTS.is_dir(), reason=f"the shared corpus is not present at {SHARED_DIGESTS}"
)

UNDONE = {
    r"\textasciitilde{}": "~",
    r"\textasciicircum{}": "^",
    r"\textbackslash{}": "\\",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\lbrace{}": r"\{",
    r"\rbrace{}": r"\}",
    **{"\\" + c: c for c in "&%#_$"},
}
UNDO = re.compile("|".join(map(re.escape, sorted(UNDONE, key=len, reverse=True))))
BARE_SPECIAL = re.compile(r"(?<!\\)[&%#_$~^]")


@functools.cache
def corpus() -> tuple[Paper, ...]:
    """Each paper of the corpus once (the first reading of it), Markdown and JSONL alike."""
    files = sorted(p for p in SHARED_DIGESTS.rglob("*") if p.suffix in (".md", ".jsonl"))
    papers: dict[str, Paper] = {}
    for path in files:
        if path.name == "README.md":
            continue
        digest = parse_digest(path.read_text(encoding="utf-8"), date=date_from_name(path.name))
        for paper in digest.papers:
            papers.setdefault(paper.id, paper)
    return tuple(papers.values())


@functools.cache
def bibliography() -> BibliographyData:
    return parse_string(bibtex(corpus()), "bibtex")  # pybtex is strict: any error raises


def unlatex(field: str) -> str:
    """Our escapes undone (the corpus has no ``\\&`` of its own that this would also undo)."""
    return UNDO.sub(lambda match: UNDONE[match.group()], field)


def person_text(person: Person) -> str:
    parts = person.first_names + person.middle_names + person.prelast_names + person.last_names
    return " ".join(parts)


def test_export_corpus_is_large_and_hard_enough() -> None:
    titles = [paper.title for paper in corpus()]
    assert len(titles) > 2000
    for needle in ("$", "\\texttt", "&", "{à}", "~", "^", "#", '"'):
        assert any(needle in title for title in titles), needle


def test_export_corpus_bibtex_keys_are_unique_and_each_papers_own() -> None:
    assert list(bibliography().entries) == [citation_key(paper) for paper in corpus()]


def test_export_corpus_bibtex_titles_and_ids_survive() -> None:
    entries = bibliography().entries
    for paper in corpus():
        fields = entries[citation_key(paper)].fields
        assert unlatex(fields["title"]) == one_line(paper.title), paper.id
        assert (fields["eprint"], fields["url"]) == (paper.id, paper.url)
        assert fields.get("primaryClass") == paper.category


def test_export_corpus_bibtex_titles_are_valid_latex_outside_math() -> None:
    for entry in bibliography().entries.values():
        text = "".join(piece for piece, is_math in split_math(entry.fields["title"]) if not is_math)
        assert BARE_SPECIAL.search(text) is None, entry.fields["title"]


def test_export_corpus_bibtex_authors_survive_bibtex_name_splitting() -> None:
    entries = bibliography().entries
    for paper in corpus():
        persons = entries[citation_key(paper)].persons.get("author", [])
        assert len(persons) == len(paper.authors), paper.id
        for person, author in zip(persons, paper.authors, strict=True):
            written = unlatex(person_text(person))
            if split_name(author).literal:
                written = written.removeprefix("{").removesuffix("}")
            assert written == one_line(author), paper.id


def test_export_corpus_ris_reads_back() -> None:
    records = read_ris(ris(corpus()))
    assert len(records) == len(corpus())
    for paper, record in zip(corpus(), records, strict=True):
        assert record["TY"] == ["PREPRINT"]
        assert record["TI"] == [one_line(paper.title)]
        assert record.get("AU", []) == [ris_name(author) for author in paper.authors]
        assert record["UR"] == [paper.url]
        assert record["DO"] == [doi(paper)]
        assert record.get("KW", []) == list(paper.all_categories)
        assert record.get("AB", [None]) == [one_line(paper.abstract) if paper.abstract else None]


def test_export_corpus_csv_reads_back() -> None:
    rows = list(csv.DictReader(io.StringIO(csv_text(corpus()), newline="")))
    assert [row["id"] for row in rows] == [paper.id for paper in corpus()]
    for paper, row in zip(corpus(), rows, strict=True):
        assert row["title"] == one_line(paper.title)
        assert row["authors"] == "; ".join(paper.authors)
        assert row["abstract"] == (paper.abstract or "")


def unmarkdown(text: str) -> str:
    specials = "".join(map(re.escape, sorted(MARKDOWN_SPECIALS)))
    return "".join(
        piece if is_math else re.sub(rf"\\([{specials}])", r"\1", piece)
        for piece, is_math in split_math(text)
    )


def test_export_corpus_markdown_headings_give_back_the_titles() -> None:
    headings = re.findall(r"^## \d+\. (.*)$", markdown(corpus()), re.MULTILINE)
    assert [unmarkdown(heading) for heading in headings] == [
        one_line(paper.title) for paper in corpus()
    ]


def test_export_corpus_ten_thousand_saved_papers_fit_in_one_telegram_document() -> None:
    """The most a /saved export holds, in every format, under the 50 MB a bot may upload."""
    papers = [replace(paper, id=f"{paper.id}{n}") for n in range(4) for paper in corpus()][
        :MAX_EXPORTED
    ]
    assert len(papers) == MAX_EXPORTED
    for export in EXPORT_FORMATS.values():
        assert len(export.encode(export.render(papers))) < MAX_DOCUMENT_BYTES, export.name
