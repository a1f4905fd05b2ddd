"""Message builders (bot.text.cards): escaped, valid Telegram HTML, always one message."""

import dataclasses
import datetime as dt

import pytest
from test_telegram_text import assert_telegram_html

from bot.models import CategoryCount, DigestSummary, Paper, SearchHit, Subscription
from bot.rules.matching import MatchedPaper
from bot.rules.polling_state import SourceProblem
from bot.text.blocks import capped_join, shorten
from bot.text.cards import (
    SECTIONS,
    category_list,
    category_papers,
    delivery_empty_note,
    delivery_summary,
    latest_digest,
    paper_card,
    paper_section,
    search_results,
    settings_text,
)
from bot.text.limits import utf16_length, visible_length, visible_text
from bot.text.messages import source_problem

DAY = dt.date(2025, 10, 22)
GNN = Paper(
    id="2510.19260",
    title="Graph Neural Networks at Scale",
    authors=("Ada Lovelace", "Geoffrey E. Hinton"),
    category="cs.LG",
    categories=("cs.LG", "cs.AI"),
    tldr="GNNs scale to a billion nodes.",
    date=DAY,
)
NASTY_TITLE = 'A <thought> on a<b & "c" with $\\alpha$ 强化学习 😀'
NASTY = Paper(
    id="2510.00001",
    title=NASTY_TITLE,
    authors=tuple(f"Author <{n}> & Co" for n in range(300)),
    category="cs.<LG>",
    categories=("cs.<LG>", "y" * 1000, *(f"x&{n}" for n in range(30))),
    tldr="Uses <EOS> & 'quotes' " + "long " * 3000,
    motivation="a<b " * 2000,
    method="😀" * 5000,
    result="强化学习" * 2000,
    conclusion="&amp; stays literal " * 400,
    abstract="A 5,000-character abstract. " * 180,
    date=DAY,
)


def test_paper_card_shows_title_link_authors_categories_id_date_and_tldr() -> None:
    assert paper_card(GNN) == (
        '<b><a href="https://arxiv.org/abs/2510.19260">Graph Neural Networks at Scale</a></b>\n'
        "Ada Lovelace, Geoffrey E. Hinton\n"
        "<code>cs.LG</code> · also <code>cs.AI</code>\n"
        "arXiv <code>2510.19260</code> · digest of 2025-10-22\n\n"
        "<b>TL;DR:</b> GNNs scale to a billion nodes."
    )


def test_paper_card_says_honestly_when_there_is_no_tldr() -> None:
    card = paper_card(dataclasses.replace(GNN, tldr=None, date=None, authors=()))
    assert card.endswith("arXiv <code>2510.19260</code>\n\n<i>No TL;DR in the digest.</i>")


def test_paper_card_escapes_every_field_and_fits_one_message() -> None:
    card = paper_card(NASTY)
    assert_telegram_html(card)
    shown = visible_text(card)
    assert NASTY_TITLE in shown
    assert "Author <0> & Co, Author <1> & Co, Author <2> & Co et al. (300 authors)" in shown
    assert "Uses <EOS> & 'quotes' long" in shown
    assert f"cs.<LG> · also {'y' * 63}…, x&0, x&1" in shown
    assert "x&8 and 21 more\n" in shown
    assert shown.endswith("…")


def test_paper_card_shortens_a_huge_author_list() -> None:
    paper = dataclasses.replace(GNN, authors=tuple(f"A{n}" for n in range(300)))
    assert "\nA0, A1, A2 et al. (300 authors)\n" in paper_card(paper)


def test_paper_card_old_style_id_links_to_arxiv() -> None:
    card = paper_card(dataclasses.replace(GNN, id="hep-th/9901001"))
    assert '<a href="https://arxiv.org/abs/hep-th/9901001">' in card


@pytest.mark.parametrize("section", list(SECTIONS))
def test_paper_section_of_nasty_fields_is_one_valid_message(section: str) -> None:
    text = paper_section(NASTY, section)
    assert_telegram_html(text)
    assert f"<b>{SECTIONS[section]}</b>" in text


def test_paper_section_shortens_a_long_abstract_with_an_ellipsis() -> None:
    text = paper_section(NASTY, "abstract")
    assert visible_length(text) <= 4096
    assert visible_text(text).endswith("…")
    assert "A 5,000-character abstract. A 5,000" in text


def test_paper_section_counts_emoji_as_two_units() -> None:
    text = paper_section(NASTY, "method")
    assert visible_length(text) <= 4096
    assert text.count("😀") < 2048


def test_paper_section_says_when_a_section_is_missing() -> None:
    assert paper_section(GNN, "method") == (
        '<b><a href="https://arxiv.org/abs/2510.19260">Graph Neural Networks at Scale</a></b>\n\n'
        "<b>Method</b>\n<i>Not available in the digest.</i>"
    )


def test_paper_section_rejects_an_unknown_section() -> None:
    with pytest.raises(ValueError, match="unknown paper section"):
        paper_section(GNN, "title")


def test_search_results_numbers_a_page_under_its_range_header() -> None:
    hits = [SearchHit(dataclasses.replace(GNN, id=f"2510.{n:05d}")) for n in range(10)]
    text = search_results(hits, query_text="graph <neural>", offset=10, total=40)
    assert_telegram_html(text)
    assert text.startswith("<b>40 results</b> for <i>graph &lt;neural&gt;</i>, 11–20\n\n11. <a ")
    assert "\n\n20. <a " in text


@pytest.mark.parametrize(
    ("offset", "count", "total", "capped", "header"),
    [
        (0, 3, 3, False, "<b>3 results</b> for <i>q</i>\n"),
        (0, 1, 1, False, "<b>1 result</b> for <i>q</i>\n"),
        (0, 10, 40, False, "<b>40 results</b> for <i>q</i>, 1–10\n"),
        (20, 3, 23, False, "<b>23 results</b> for <i>q</i>, 21–23\n"),
        (30, 1, 31, False, "<b>31 results</b> for <i>q</i>, 31\n"),
        (0, 8, 2000, True, "<b>2,000+ results</b> for <i>q</i>, 1–8\n"),
        (0, 8, 1234, False, "<b>1,234 results</b> for <i>q</i>, 1–8\n"),
    ],
)
def test_search_results_header_names_the_total_and_the_range(
    offset: int, count: int, total: int, capped: bool, header: str
) -> None:
    text = search_results(
        [SearchHit(GNN)] * count, query_text="q", offset=offset, total=total, capped=capped
    )
    assert text.startswith(header)


def test_search_results_entry_is_compact() -> None:
    text = search_results([SearchHit(GNN)], query_text="graph", offset=0, total=1)
    assert text == (
        "<b>1 result</b> for <i>graph</i>\n\n"
        '1. <a href="https://arxiv.org/abs/2510.19260">Graph Neural Networks at Scale</a>\n'
        "<code>cs.LG</code> · 2025-10-22\n"
        "GNNs scale to a billion nodes."
    )


def test_search_results_shortens_tldr_to_about_200_characters() -> None:
    paper = dataclasses.replace(GNN, tldr="word " * 100)
    text = search_results([SearchHit(paper)], query_text="w", offset=0, total=1)
    tldr_line = visible_text(text).splitlines()[-1]
    assert tldr_line.endswith("…")
    assert 150 <= len(tldr_line) <= 200


def test_search_results_with_nothing_found_suggests_what_to_try() -> None:
    text = search_results([], query_text="<zzz>", offset=0, total=0)
    assert text.startswith("Nothing found for <i>&lt;zzz&gt;</i>. Try fewer or more general words")
    assert "2510.19260" in text


def test_search_results_past_the_end_says_so() -> None:
    assert search_results([], query_text="q", offset=20, total=20) == (
        "No more results for <i>q</i>."
    )


@pytest.mark.parametrize("count", [1, 10, 15, 20])
def test_search_results_of_nasty_papers_fit_one_message(count: int) -> None:
    long_title = dataclasses.replace(NASTY, title=NASTY_TITLE * 40)
    text = search_results(
        [SearchHit(long_title)] * count, query_text="<q> " * 500, offset=0, total=1000
    )
    assert_telegram_html(text)
    assert text.count("<a href=") == count


def test_category_papers_pages_a_category() -> None:
    text = category_papers(DAY, "cs.AI", [GNN], offset=10, total=12)
    assert text == (
        "<b><code>cs.AI</code> — paper 11 of 12</b> in the digest of 2025-10-22\n\n"
        '11. <a href="https://arxiv.org/abs/2510.19260">Graph Neural Networks at Scale</a>\n'
        "<code>cs.LG</code>\n"
        "GNNs scale to a billion nodes."
    )


@pytest.mark.parametrize(
    ("offset", "count", "total", "header"),
    [
        (0, 2, 2, "<b><code>cs.DC</code> — 2 papers</b> in the digest of 2025-10-22"),
        (0, 1, 1, "<b><code>cs.DC</code> — 1 paper</b> in the digest of 2025-10-22"),
        (0, 8, 12, "<b><code>cs.DC</code> — papers 1–8 of 12</b> in the digest of 2025-10-22"),
        (8, 4, 12, "<b><code>cs.DC</code> — papers 9–12 of 12</b> in the digest of 2025-10-22"),
    ],
)
def test_category_papers_header_names_the_range_and_the_total(
    offset: int, count: int, total: int, header: str
) -> None:
    text = category_papers(DAY, "cs.DC", [GNN] * count, offset=offset, total=total)
    assert text.startswith(header + "\n\n")


def test_category_papers_of_an_empty_category_points_to_the_list() -> None:
    assert category_papers(DAY, "a<b", [], offset=0, total=0) == (
        "No papers in <code>a&lt;b</code> in the digest of 2025-10-22. "
        "Send /category to see the categories it has."
    )


def test_category_papers_of_nasty_papers_fit_one_message() -> None:
    text = category_papers(DAY, "cs.LG", [NASTY] * 15, offset=0, total=15)
    assert_telegram_html(text)


def test_category_list_orders_by_count_and_shows_how_to_open_one() -> None:
    text = category_list([CategoryCount("cs.AI", 80), CategoryCount("cs.LG", 120)])
    assert text == (
        "<b>Categories</b> (papers in each, cross-lists included)\n\n"
        "<code>cs.LG</code> 120\n<code>cs.AI</code> 80\n\n"
        "Send /category cs.LG to see a category's papers."
    )


def test_category_list_of_many_categories_stays_under_the_entity_limit() -> None:
    counts = [CategoryCount(f"cat-{n}", n) for n in range(200)]
    text = category_list(counts)
    assert_telegram_html(text)
    assert "… and 140 more categories" in text


def test_category_list_without_digests() -> None:
    assert category_list([]) == "No categories yet: no digest has been ingested."


def test_latest_digest_shows_date_size_and_counts() -> None:
    summary = DigestSummary(DAY, 312, (CategoryCount("cs.AI", 80), CategoryCount("cs.LG", 120)))
    assert latest_digest(summary) == (
        "<b>Latest digest: 2025-10-22</b>\n"
        "312 papers in 2 categories (a cross-listed paper counts in each of its categories)\n\n"
        "<code>cs.LG</code> 120\n<code>cs.AI</code> 80\n\n"
        "Tap a category to see its papers."
    )


def test_latest_digest_without_digests() -> None:
    assert latest_digest(None) == "No digest has been ingested yet."


def test_delivery_summary_entry_says_why_it_matched() -> None:
    entry = MatchedPaper(GNN, ("graph neural", "GNN"), ("Geoffrey E. Hinton",), 7.0)
    assert delivery_summary(DAY, [entry], offset=0, total=1) == (
        "<b>arXiv digest of 2025-10-22</b>: 1 paper matches your filters\n\n"
        '1. <a href="https://arxiv.org/abs/2510.19260">Graph Neural Networks at Scale</a>\n'
        "<code>cs.LG</code>\n"
        "GNNs scale to a billion nodes.\n"
        "<i>matched: &quot;graph neural&quot;, GNN · Geoffrey E. Hinton</i>"
    )


def test_delivery_summary_without_keywords_has_no_matched_line() -> None:
    text = delivery_summary(DAY, [MatchedPaper(GNN)], offset=0, total=1)
    assert "matched" not in text


def test_delivery_summary_pages_keep_order_and_cap_at_page_size() -> None:
    entries = [
        MatchedPaper(dataclasses.replace(GNN, title=f"Paper {n}"), ("k",), (), 1.0)
        for n in range(20)
    ]
    text = delivery_summary(DAY, entries, offset=15, total=42)
    assert text.startswith(
        "<b>arXiv digest of 2025-10-22</b>: 42 papers match your filters, 16–30 below"
    )
    shown = [line for line in visible_text(text).splitlines() if line[:1].isdigit()]
    assert shown[0] == "16. Paper 0"
    assert shown[-1] == "30. Paper 14"


def test_delivery_summary_of_fifteen_nasty_papers_fits_one_message() -> None:
    entries = [
        MatchedPaper(NASTY, tuple(f"kw<{n}>" for n in range(30)), NASTY.authors[:20], 9.0)
    ] * 15
    text = delivery_summary(DAY, entries, offset=0, total=15)
    assert_telegram_html(text)
    assert text.count("<i>matched: kw&lt;0&gt;") == 15


def test_delivery_summary_and_note_with_nothing_matched() -> None:
    note = "Nothing in the arXiv digest of 2025-10-22 matched your filters (/settings)."
    assert delivery_empty_note(DAY) == note
    assert delivery_summary(DAY, [], offset=0, total=0) == note


def test_settings_text_lists_every_setting_and_the_would_match_count() -> None:
    sub = Subscription(
        1,
        active=True,
        categories=frozenset({"cs.LG", "cs.AI"}),
        keywords=("graph neural", "RL"),
        excludes=("survey",),
        authors=("Hinton",),
        delivery_time=dt.time(8, 30),
        timezone="Europe/Berlin",
    )
    assert settings_text(sub, would_match=12, digest_date=DAY) == (
        "<b>Settings for this chat</b>\n\n"
        "Subscription: on (/unsubscribe stops it)\n"
        "Categories: <code>cs.AI</code>, <code>cs.LG</code>\n"
        "Keywords: &quot;graph neural&quot;, RL\n"
        "Excluded words: survey\n"
        "Authors: Hinton\n"
        "Frequency: daily, a summary of each digest\n"
        "Delivery: at 08:30\n"
        "Time zone: Europe/Berlin\n"
        "Digests with nothing for you: no message\n"
        "Language: English (/language)\n"
        "AI summaries in: English (this chat's language) where a paper has it, else the "
        "digest's own (/summaries)\n"
        "Learned from: 0 👍, 0 👎, 0 ⭐; ranking on, suggestions off until 5 ratings\n\n"
        "12 papers of the digest of 2025-10-22 would match these settings.\n\n"
        "Change them with /categories, /keywords, /exclude, /authors, /frequency, /time, "
        "/timezone, /empty, /ranking, /suggest, /summaries and /language."
    )


def test_settings_text_of_a_fresh_chat_before_any_digest() -> None:
    text = settings_text(Subscription(1), would_match=None, digest_date=None)
    assert "Subscription: off (/subscribe starts it)\nCategories: all\nKeywords: none\n" in text
    assert "Delivery: as soon as a digest arrives\n" in text
    assert "There is no digest yet to try these settings on." in text


def test_settings_text_with_huge_lists_fits_one_message() -> None:
    sub = Subscription(
        1,
        categories=frozenset(f"cat.{n}" for n in range(300)),
        keywords=tuple(f"<{n}> " + "k" * 95 for n in range(100)),
        excludes=tuple(f"&{n}" + "x" * 98 for n in range(100)),
        authors=tuple(f"Name {n} " + "é" * 90 for n in range(100)),
    )
    text = settings_text(sub, would_match=1, digest_date=DAY)
    assert_telegram_html(text)
    assert "1 paper of the digest" in text
    assert " more\nExcluded words: &amp;0" in text


@pytest.mark.parametrize(
    ("text", "units", "expected"),
    [
        ("short", 10, "short"),
        ("graph neural networks", 15, "graph neural…"),
        ("abcdefghij", 5, "abcd…"),
        ("😀😀😀😀", 5, "😀😀…"),
        ("强化学习强化学习", 5, "强化学习…"),
        ("anything", 0, ""),
    ],
)
def test_shorten_cuts_at_a_word_within_utf16_budget(text: str, units: int, expected: str) -> None:
    assert shorten(text, units) == expected
    assert utf16_length(shorten(text, units)) <= units


def test_capped_join_ends_with_how_many_are_hidden() -> None:
    assert capped_join(["alpha", "beta", "gamma", "delta"], max_units=12) == (
        "alpha, beta and 2 more"
    )


def test_a_failing_source_is_shown_to_the_admins_without_its_credentials() -> None:
    url = "https://reader:pa55word@example.org/d/2026-02-10.md?key=k3y"
    text = source_problem(SourceProblem(url, f"{url}: not found (404) - not published yet?"))
    assert "pa55word" not in text
    assert "k3y" not in text
    assert "example.org/d/2026-02-10.md" in text
    assert_telegram_html(text)
