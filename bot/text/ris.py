"""Papers as RIS, the tagged format Zotero, Mendeley and EndNote import (pure).

Each record is ``TY  - PREPRINT`` ... ``ER  - ``, one ``TAG  - value`` a line, lines ended with
CR LF as the specification asks (every importer also reads LF). PREPRINT is not among the types
of the original RIS specification: a reader that does not know it files the record under its
default type (Zotero: journal article) with every field kept, and ``T2  - arXiv`` then names the
venue. Values are plain text on one line; RIS has no escaping.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.models import Paper
from bot.text.citations import doi, one_line, paper_year, split_name

NEWLINE = "\r\n"


def ris_name(author: str) -> str:
    """``Surname, Given``, as RIS wants; a body's name as it is."""
    name = split_name(author)
    return name.surname if name.literal or not name.given else f"{name.surname}, {name.given}"


def ris_record(paper: Paper) -> list[str]:
    lines = ["TY  - PREPRINT", f"TI  - {one_line(paper.title)}"]
    lines += [f"AU  - {ris_name(author)}" for author in paper.authors]
    year = paper_year(paper)
    if year is not None:
        lines.append(f"PY  - {year}")
    if paper.abstract:
        lines.append(f"AB  - {one_line(paper.abstract)}")
    lines += [f"KW  - {category}" for category in paper.all_categories]
    lines += ["T2  - arXiv", f"UR  - {paper.url}", f"DO  - {doi(paper)}", "ER  - "]
    return lines


def ris(papers: Iterable[Paper]) -> str:
    lines = [line for paper in papers for line in ris_record(paper)]
    return NEWLINE.join(lines) + NEWLINE if lines else ""
