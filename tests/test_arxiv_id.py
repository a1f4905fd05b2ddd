"""arXiv ids in every form people paste them, and what is not an id."""

import pytest

from bot.arxiv_id import ArxivId, find_arxiv_id, parse_arxiv_id, parse_arxiv_ids

BARE = ArxivId("2510.19260")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2510.19260", BARE),
        ("2510.19260v2", ArxivId("2510.19260", 2)),
        ("arXiv:2510.19260", BARE),
        ("arxiv: 2510.19260v1", ArxivId("2510.19260", 1)),
        ("  2510.19260  ", BARE),
        ("https://arxiv.org/abs/2510.19260", BARE),
        ("http://www.arxiv.org/abs/2510.19260v3/", ArxivId("2510.19260", 3)),
        ("arxiv.org/pdf/2510.19260", BARE),
        ("https://arxiv.org/pdf/2510.19260v2.pdf", ArxivId("2510.19260", 2)),
        ("https://arxiv.org/html/2510.19260v1", ArxivId("2510.19260", 1)),
        ("https://export.arxiv.org/abs/2510.19260", BARE),
        ("<https://arxiv.org/abs/2510.19260>", BARE),
        ("hep-th/9901001", ArxivId("hep-th/9901001")),
        ("https://arxiv.org/abs/math.GT/0309136v2", ArxivId("math.GT/0309136", 2)),
        # wrapped in punctuation, as pasted from a sentence or a chat
        ("2510.19260.", BARE),
        ("(2510.19260)", BARE),
        ('"2510.19260"', BARE),
        ("2510.19260?", BARE),
        ("“2510.19260”", BARE),
        ("「2510.19260」。", BARE),
        ("[2510.19260]", BARE),
        # links with a query or a fragment
        ("https://arxiv.org/abs/2510.19260?context=cs", BARE),
        ("https://arxiv.org/abs/2510.19260#x", BARE),
        ("https://arxiv.org/abs/2510.19260v2?utm_source=chat#S3", ArxivId("2510.19260", 2)),
        # Markdown links
        ("[2510.19260](https://arxiv.org/abs/2510.19260)", BARE),
        ("[Graph pruning at scale](https://arxiv.org/abs/2510.19260v2)", ArxivId("2510.19260", 2)),
        # the mirrors people share
        ("https://www.alphaxiv.org/abs/2510.19260", BARE),
        ("https://alphaxiv.org/overview/2510.19260v1", ArxivId("2510.19260", 1)),
        ("https://huggingface.co/papers/2510.19260", BARE),
        ("huggingface.co/papers/2510.19260?from=daily", BARE),
        ("https://ar5iv.labs.arxiv.org/html/2510.19260", BARE),
        ("https://ar5iv.org/abs/2510.19260", BARE),
        ("https://www.semanticscholar.org/arxiv/2510.19260", BARE),
        ("https://papers.cool/arxiv/2510.19260", BARE),
    ],
)
def test_parse_arxiv_id_reads_every_form_people_paste(text: str, expected: ArxivId) -> None:
    assert parse_arxiv_id(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "pruning",
        "2510.192",
        "2513.19260",
        "2510.19260 and 2510.19261",
        "see 2510.19260",
        "2510.19260?context=cs",
        "https://example.org/abs/2510.19260",
        "https://arxiv.org/list/cs.LG/2510.19260",
        "https://huggingface.co/2510.19260",
        "[2510.19260](https://example.org/paper)x",
        "[graph pruning](https://example.org/paper)",
        "((",
    ],
)
def test_parse_arxiv_id_refuses_what_is_not_just_one_paper(text: str) -> None:
    assert parse_arxiv_id(text) is None


def test_parse_arxiv_id_takes_the_label_of_a_markdown_link_to_elsewhere() -> None:
    assert parse_arxiv_id("[2510.19260](https://example.org/x)") == BARE


def test_find_arxiv_id_finds_the_first_id_in_text() -> None:
    assert find_arxiv_id("### [3] [Title](https://arxiv.org/abs/2510.19260v2)") == ArxivId(
        "2510.19260", 2
    )
    assert find_arxiv_id("nothing here 2510.999") is None


def test_parse_arxiv_ids_reads_a_list_of_ids_and_links_each_once() -> None:
    text = "2510.19260v2, arXiv:2510.19261; https://arxiv.org/abs/2510.19260\nhep-th/9901001"
    assert [a.id for a in parse_arxiv_ids(text)] == ["2510.19260", "2510.19261", "hep-th/9901001"]


@pytest.mark.parametrize("text", ["2510.19260", "2510.19260 and 2510.19261", "", "a b"])
def test_parse_arxiv_ids_wants_two_or_more_and_nothing_else(text: str) -> None:
    assert parse_arxiv_ids(text) == []
