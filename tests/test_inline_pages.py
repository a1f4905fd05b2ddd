"""Which page an inline query asks for, from what was typed and the offset sent back."""

import pytest

from bot.rules.inline_pages import (
    PERSONAL_CACHE_SECONDS,
    SHARED_CACHE_SECONDS,
    InlinePage,
    Source,
    inline_page,
    next_offset,
)
from bot.rules.query import parse_query


@pytest.mark.parametrize(
    ("text", "offset", "expected"),
    [
        ("", "", InlinePage(Source.SAVED)),
        ("   ", "", InlinePage(Source.SAVED)),
        ("g", "", InlinePage(Source.SAVED)),  # the first keystroke
        (" 剪 ", "d50", InlinePage(Source.DIGEST, 50)),
        ("gr", "", InlinePage(Source.SEARCH, query=parse_query("gr"))),
        ("", "s50", InlinePage(Source.SAVED, 50)),
        ("", "d0", InlinePage(Source.DIGEST, 0)),
        ("", "d120", InlinePage(Source.DIGEST, 120)),
        ("2510.19260", "", InlinePage(Source.PAPER, paper_id="2510.19260")),
        ("arxiv.org/abs/hep-th/9901001v2", "", InlinePage(Source.PAPER, paper_id="hep-th/9901001")),
        ("graph pruning", "", InlinePage(Source.SEARCH, query=parse_query("graph pruning"))),
        ("graph pruning", "50", InlinePage(Source.SEARCH, 50, query=parse_query("graph pruning"))),
        ("剪枝", "999999", InlinePage(Source.SEARCH, 999_999, query=parse_query("剪枝"))),
    ],
)  # fmt: skip
def test_inline_page_reads_what_was_typed_and_our_offsets(
    text: str, offset: str, expected: InlinePage
) -> None:
    assert inline_page(text, offset) == expected


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("--", ""),  # nothing left to search for
        ("cat:", ""),
        ('""', ""),
        ("pruning", "s50"),  # a personal offset with a search
        ("pruning", "d50"),
        ("pruning", "050"),
        ("pruning", "-50"),
        ("pruning", "1000000"),
        ("pruning", " 50"),
        ("pruning", "abc"),
        ("", "50"),  # a search offset with nothing typed
        ("", "x1"),
        ("", "s"),
        ("2510.19260", "50"),  # an id has one page
    ],
)
def test_inline_page_answers_nothing_to_what_is_not_ours(text: str, offset: str) -> None:
    assert inline_page(text, offset) is None


@pytest.mark.parametrize(
    ("page", "personal", "seconds"),
    [
        (InlinePage(Source.SAVED), True, PERSONAL_CACHE_SECONDS),
        (InlinePage(Source.DIGEST, 50), True, PERSONAL_CACHE_SECONDS),
        (InlinePage(Source.SEARCH, query=parse_query("x y")), False, SHARED_CACHE_SECONDS),
        (InlinePage(Source.PAPER, paper_id="2510.19260"), False, SHARED_CACHE_SECONDS),
    ],
)
def test_inline_page_is_personal_and_cached_briefly_when_it_depends_on_the_person(
    page: InlinePage, personal: bool, seconds: int
) -> None:
    assert (page.personal, page.cache_seconds) == (personal, seconds)
    assert PERSONAL_CACHE_SECONDS < SHARED_CACHE_SECONDS <= 60


@pytest.mark.parametrize(
    ("source", "start", "offset"),
    [(Source.SEARCH, 50, "50"), (Source.SAVED, 50, "s50"), (Source.DIGEST, 80, "d80")],
)
def test_next_offset_is_read_back_as_the_same_page(source: Source, start: int, offset: str) -> None:
    assert next_offset(source, start) == offset
    text = "pruning" if source is Source.SEARCH else ""
    page = inline_page(text, offset)
    assert page is not None
    assert (page.source, page.start) == (source, start)
