"""The export formats on hand-written papers: the hard titles, keys, names, and each file's
exact shape (the whole shared corpus is in test_export_corpus.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pybtex.database import parse_string
from risreader import read_ris

from bot.models import Paper
from bot.text.bibtex import bibtex, citation_key
from bot.text.citations import Name, ascii_word, one_line, paper_year, split_name
from bot.text.exports import (
    EXPORT_FORMATS,
    MAX_DOCUMENT_BYTES,
    csv_text,
    export_caption,
    find_format,
    markdown,
    too_large,
    unknown_format,
)
from bot.text.latex import latex_field
from bot.text.ris import ris, ris_name

PAPER = Paper(
    id="2510.19260",
    title="A*-Guided Pruning of LVLM_Tiny Adapters in $\\mathcal{O}(n \\log n)$ Time",
    authors=("Ada Quill", "Jan van der Berg", "The LSST Dark Energy Science Collaboration"),
    category="cs.LG",
    categories=("cs.LG", "cs.CV"),
    tldr="提出一种A*引导的适配器剪枝方法。",
    abstract="Adapters are cheap.\nPruning them is cheaper.",
    date=dt.date(2025, 10, 23),
)


@pytest.mark.parametrize(
    ("title", "field"),
    [
        ("Q&A over H&E images", r"Q\&A over H\&E images"),
        ("50% faster, C# and F#", r"50\% faster, C\# and F\#"),
        ("LVLM_Tiny adapters", r"LVLM\_Tiny adapters"),
        ("costs $5 or \\$6", r"costs \$5 or \$6"),
        ("Humanoid Policy ~ Human Policy", r"Humanoid Policy \textasciitilde{} Human Policy"),
        ("x^2 growth", r"x\textasciicircum{}2 growth"),
        ("a trailing backslash \\", r"a trailing backslash \textbackslash{}"),
        ("$\\mathcal{O}(n)$ attention", r"$\mathcal{O}(n)$ attention"),
        ("$\\{0,1\\}^n$ strings", r"$\{0,1\}^n$ strings"),
        ("$50% & #1$ in math", r"$50\% \& \#1$ in math"),
        ("math $\\{x$ opened", r"math $\lbrace{}x$ opened"),
        ("math $a}b$ closed", r"math $a\rbrace{}b$ closed"),
        ("{BERT} and {GPT}", "{BERT} and {GPT}"),
        ("{$x$} protected", "{$x$} protected"),
        ("unbalanced } brace", r"unbalanced \textbraceright{} brace"),
        ("open { only", r"open \textbraceleft{} only"),
        ("} first {", r"\textbraceright{} first \textbraceleft{}"),
        ("\\{ alone", r"\textbraceleft{} alone"),
        ("\\{ literal \\} pair", r"\{ literal \} pair"),
        ("{ \\} }", r"{ \textbraceright{} }"),
        ("\\texttt{HTSR} theory", r"\texttt{HTSR} theory"),
        ("r{\\'e}seaux {à} long terme", r"r{\'e}seaux {à} long terme"),
        ("剪枝 大模型：综述", "剪枝 大模型：综述"),
        ('Müller’s café “quoted” "too"', 'Müller’s café “quoted” "too"'),
    ],
)
def test_latex_field_keeps_tex_and_escapes_the_rest(title: str, field: str) -> None:
    assert latex_field(title) == field
    entry = parse_string(f"@misc{{k, title = {{{field}}}}}", "bibtex")
    assert entry.entries["k"].fields["title"] == field


def test_bibtex_entry_has_the_form_arxiv_gives() -> None:
    assert bibtex([PAPER]) == (
        "@misc{quill2025guided-2510.19260,\n"
        "  title = {A*-Guided Pruning of LVLM\\_Tiny Adapters in $\\mathcal{O}(n \\log n)$ Time},\n"
        "  author = {Ada Quill and Jan van der Berg and "
        "{The LSST Dark Energy Science Collaboration}},\n"
        "  year = {2025},\n"
        "  eprint = {2510.19260},\n"
        "  archivePrefix = {arXiv},\n"
        "  primaryClass = {cs.LG},\n"
        "  url = {https://arxiv.org/abs/2510.19260},\n"
        "}\n"
    )


def test_bibtex_authors_split_as_bibtex_reads_them() -> None:
    persons = parse_string(bibtex([PAPER]), "bibtex").entries[citation_key(PAPER)].persons
    parts = [(p.first_names, p.prelast_names, p.last_names) for p in persons["author"]]
    assert parts == [
        (["Ada"], [], ["Quill"]),
        (["Jan"], ["van", "der"], ["Berg"]),
        ([], [], ["{The LSST Dark Energy Science Collaboration}"]),
    ]


def test_bibtex_writes_a_paper_given_twice_once() -> None:
    other = Paper(id="2510.00001", title="Other")
    text = bibtex([PAPER, other, PAPER])
    assert list(parse_string(text, "bibtex").entries) == [
        citation_key(PAPER),
        "2025other-2510.00001",
    ]


@pytest.mark.parametrize(
    ("paper", "key"),
    [
        (PAPER, "quill2025guided-2510.19260"),
        (Paper("1706.03762", "Attention Is All You Need", authors=("Ashish Vaswani",)),
         "vaswani2017attention-1706.03762"),
        (Paper("2501.00002", "A Survey of the Art", authors=("Łukasz Kaiser",)),
         "kaiser2025survey-2501.00002"),
        (Paper("2501.00003", "$e$-polynomials of varieties", authors=("José Müller",)),
         "muller2025polynomials-2501.00003"),
        (Paper("2501.00004", "\\texttt{Jipole}: ray tracing", authors=("张伟",)),
         "2025jipole-2501.00004"),
        (Paper("2501.00005", "剪枝"), "2025-2501.00005"),
        (Paper("hep-th/9901001", "On Strings", authors=("Ed Witten",)),
         "witten1999strings-hep-th9901001"),
        (Paper("2501.00006", "Supercalifragilisticexpialidocious",
               authors=("Wolfeschlegelsteinhausenbergerdorff",)),
         "wolfeschlegelsteinha2025supercalifragilistic-2501.00006"),
    ],
)  # fmt: skip
def test_citation_key_is_readable_and_carries_the_id(paper: Paper, key: str) -> None:
    assert citation_key(paper) == key


def test_citation_key_depends_on_the_paper_alone() -> None:
    """A namesake paper saved later changes no key already cited."""
    namesake = Paper("2510.99999", PAPER.title, authors=PAPER.authors)
    alone = parse_string(bibtex([PAPER]), "bibtex").entries
    together = parse_string(bibtex([namesake, PAPER]), "bibtex").entries
    assert set(alone) < set(together)
    assert citation_key(namesake) == "quill2025guided-2510.99999"


@pytest.mark.parametrize(
    ("paper_id", "date", "year"),
    [
        ("2510.19260", None, 2025),
        ("0704.0001", None, 2007),
        ("hep-th/9901001", None, 1999),
        ("math.GT/0309136", None, 2003),
        ("not-an-id", dt.date(2024, 5, 1), 2024),
        ("not-an-id", None, None),
    ],
)
def test_paper_year_is_the_year_of_first_submission(
    paper_id: str, date: dt.date | None, year: int | None
) -> None:
    assert paper_year(Paper(paper_id, "t", date=date)) == year


@pytest.mark.parametrize(
    ("author", "name"),
    [
        ("Ada Quill", Name("Ada", "Quill")),
        ("Chiara D'Amato", Name("Chiara", "D'Amato")),
        ("Jan  van der Berg", Name("Jan", "van der Berg")),
        ("Geoffrey E. Hinton", Name("Geoffrey E.", "Hinton")),
        ("Quill, Ada", Name("Ada", "Quill")),
        ("Plato", Name("", "Plato")),
        ("张伟", Name("", "张伟")),
        ("Team Hunyuan3D", Name("", "Team Hunyuan3D", literal=True)),
        ("E3 Consortium", Name("", "E3 Consortium", literal=True)),
    ],
)
def test_split_name_finds_the_surname_as_bibtex_does(author: str, name: Name) -> None:
    assert split_name(author) == name


def test_ascii_word_folds_accents_and_letters_without_them() -> None:
    assert ascii_word("Müller-Łukasz Ørsted Straße") == "mullerlukaszorstedstrasse"


def test_ris_record_is_what_reference_managers_import() -> None:
    text = ris([PAPER])
    assert text == (
        "TY  - PREPRINT\r\n"
        "TI  - A*-Guided Pruning of LVLM_Tiny Adapters in $\\mathcal{O}(n \\log n)$ Time\r\n"
        "AU  - Quill, Ada\r\n"
        "AU  - van der Berg, Jan\r\n"
        "AU  - The LSST Dark Energy Science Collaboration\r\n"
        "PY  - 2025\r\n"
        "AB  - Adapters are cheap. Pruning them is cheaper.\r\n"
        "KW  - cs.LG\r\n"
        "KW  - cs.CV\r\n"
        "T2  - arXiv\r\n"
        "UR  - https://arxiv.org/abs/2510.19260\r\n"
        "DO  - 10.48550/arXiv.2510.19260\r\n"
        "ER  - \r\n"
    )
    (record,) = read_ris(text)
    assert record["AU"] == ["Quill, Ada", "van der Berg, Jan", PAPER.authors[2]]


def test_ris_leaves_out_what_a_paper_lacks() -> None:
    (record,) = read_ris(ris([Paper("2510.00001", "Bare\ntitle")]))
    assert record == {
        "TY": ["PREPRINT"],
        "TI": ["Bare title"],
        "PY": ["2025"],
        "T2": ["arXiv"],
        "UR": ["https://arxiv.org/abs/2510.00001"],
        "DO": ["10.48550/arXiv.2510.00001"],
    }


@pytest.mark.parametrize(
    ("author", "written"),
    [("Ada Quill", "Quill, Ada"), ("Plato", "Plato"), ("E3 Consortium", "E3 Consortium")],
)
def test_ris_name_is_surname_first(author: str, written: str) -> None:
    assert ris_name(author) == written


def test_markdown_is_a_reading_list() -> None:
    many = Paper("2510.00002", "Plain [title] with *stars*", authors=("A B", "C D", "E F", "G H"))
    assert markdown([PAPER, many]) == (
        "# Reading list\n\n2 papers.\n\n"
        "## 1. A\\*-Guided Pruning of LVLM\\_Tiny Adapters in $\\mathcal{O}(n \\log n)$ Time\n\n"
        "Ada Quill, Jan van der Berg, The LSST Dark Energy Science Collaboration · cs.LG · 2025 · "
        "[arXiv:2510.19260](https://arxiv.org/abs/2510.19260)\n\n"
        "> 提出一种A\\*引导的适配器剪枝方法。\n\n"
        "## 2. Plain \\[title\\] with \\*stars\\*\n\n"
        "A B, C D, E F et al. · 2025 · [arXiv:2510.00002](https://arxiv.org/abs/2510.00002)\n"
    )


def test_csv_has_a_header_and_a_row_per_paper() -> None:
    rows = list(csv.reader(io.StringIO(csv_text([PAPER]), newline="")))
    assert rows == [
        ["id", "title", "authors", "year", "category", "categories", "date", "url", "doi",
         "tldr", "abstract"],
        ["2510.19260", PAPER.title, "; ".join(PAPER.authors), "2025", "cs.LG", "cs.LG cs.CV",
         "2025-10-23", PAPER.url, "10.48550/arXiv.2510.19260", PAPER.tldr, PAPER.abstract],
    ]  # fmt: skip


def test_export_files_are_named_typed_and_encoded_per_format() -> None:
    day = dt.date(2026, 3, 1)
    described = [
        (f.file_name(day), f.mime_type, f.encode(f.render([PAPER]))[:3])
        for f in EXPORT_FORMATS.values()
    ]
    assert described == [
        ("digestbot-saved-2026-03-01.bib", "application/x-bibtex", b"@mi"),
        ("digestbot-saved-2026-03-01.ris", "application/x-research-info-systems", b"TY "),
        ("digestbot-saved-2026-03-01.md", "text/markdown", b"# R"),
        ("digestbot-saved-2026-03-01.csv", "text/csv", b"\xef\xbb\xbf"),
    ]


@pytest.mark.parametrize(
    ("word", "name"),
    [("bibtex", "bibtex"), ("BIB", "bibtex"), (".bib", "bibtex"), ("Markdown", "markdown"),
     ("md", "markdown"), ("ris", "ris"), (" csv ", "csv"), ("xml", None), ("", None)],
)  # fmt: skip
def test_find_format_by_name_or_extension(word: str, name: str | None) -> None:
    found = find_format(word)
    assert (found.name if found else None) == name


def test_export_sentences() -> None:
    bib = EXPORT_FORMATS["bibtex"]
    assert unknown_format("xml") == (
        "I can't export <code>xml</code>: choose <code>bibtex</code>, <code>ris</code>, "
        "<code>markdown</code> or <code>csv</code>, e.g. <code>/saved export bibtex</code>."
    )
    assert unknown_format(" ").startswith("Choose a format: <code>bibtex</code>, ")
    assert unknown_format("<b>").startswith("I can't export <code>&lt;b&gt;</code>")
    assert export_caption(bib, 1, 1) == "Your 1 saved paper, as BibTeX."
    assert export_caption(bib, 10_000, 12_345) == (
        "Your newest 10,000 of 12,345 saved papers, as BibTeX."
    )
    assert too_large(EXPORT_FORMATS["csv"], 61_200_000) == (
        "Your saved papers come to 61 MB as CSV, more than the 50 MB Telegram lets a bot send; "
        "BibTeX is the smallest."
    )
    assert MAX_DOCUMENT_BYTES == 50_000_000


MATH_AND_COMMANDS = re.compile(r"\\[A-Za-z]+|\\.|\$(?:\\.|[^$\\])+\$")
"""What LaTeX reads before a special character could count: commands, escapes, inline math."""


@given(st.text(alphabet=st.sampled_from(list("a {}\\$&%#_~^é剪")), max_size=40))
def test_latex_field_of_any_text_is_one_valid_bibtex_field(title: str) -> None:
    """Whatever the text (on one line, as entries write it), BibTeX reads the field whole and no
    special character is left bare outside math."""
    field = latex_field(one_line(title))
    entry = parse_string(f"@misc{{k, title = {{{field}}}, year = {{2025}}}}", "bibtex")
    assert entry.entries["k"].fields["title"] == field
    assert set(MATH_AND_COMMANDS.sub("", field)) & set("&%#_$~^") == set(), field
