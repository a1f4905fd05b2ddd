"""What a ranked summary, its suggestions, /foryou and /settings say about the chat's model."""

import dataclasses
import datetime as dt

import pytest
from test_telegram_text import assert_telegram_html

from bot.models import Delivery, FeedbackCounts, Paper, Subscription
from bot.rules.feed import ForYouOrder
from bot.rules.matching import MatchedPaper
from bot.text.callbacks import CallbackCodec
from bot.text.delivery_page import page_ids, render_delivery
from bot.text.feed import for_you_page, ranking_set, ranking_settings, suggest_set
from bot.text.keyboards import Buttons
from bot.text.limits import fits, visible_text
from bot.text.lists import delivery_summary

DAY = dt.date(2026, 1, 9)
LIKED = "Attention Is All You Need, Again: A Very Long Title Indeed for Testing"


def paper(n: int, title: str) -> Paper:
    return Paper(f"2601.{n:05d}", title, category="cs.LG", tldr="短摘要。", date=DAY)


def test_a_matched_entry_says_its_keyword_and_a_placed_one_what_it_is_like() -> None:
    matched = MatchedPaper(paper(1, "Memory for agents"), ("memory",))
    placed = MatchedPaper(paper(2, "Sparse attention"))
    text = delivery_summary(
        DAY, [matched, placed], offset=0, total=2, like={placed.paper.id: LIKED}
    )
    lines = visible_text(text).splitlines()
    assert "matched: memory" in lines
    assert "like: Attention Is All You Need, Again: A Very Long…" in lines
    assert_telegram_html(text)


def test_suggestions_follow_the_matches_under_their_own_header() -> None:
    entries = [MatchedPaper(paper(n, f"Match {n}"), ("k",)) for n in range(1, 3)]
    extra = [MatchedPaper(paper(9, "A discovery"))]
    text = delivery_summary(
        DAY, entries, offset=0, total=2, suggested=extra, like={extra[0].paper.id: "Liked one"}
    )
    visible = visible_text(text)
    assert (
        visible.index("2. Match 2")
        < visible.index("Suggested for you")
        < visible.index("+1. A discovery")
    )
    assert "1 paper beyond your filters" in visible
    assert "like: Liked one" in visible
    assert_telegram_html(text)


def test_suggestions_alone_say_that_nothing_matched() -> None:
    extra = [MatchedPaper(paper(9, "A discovery"))]
    text = visible_text(delivery_summary(DAY, [], offset=0, total=0, suggested=extra))
    assert text.startswith("arXiv digest of 2026-01-09: 0 papers match your filters")
    assert "+1. A discovery" in text


def test_a_full_page_with_suggestions_still_fits_one_message() -> None:
    long = "Word " * 60
    entries = [MatchedPaper(paper(n, f"{long}{n}"), ("k",)) for n in range(15)]
    extra = [MatchedPaper(paper(100 + n, f"{long}{n}")) for n in range(5)]
    like = {p.paper.id: long for p in extra}
    text = delivery_summary(DAY, entries, offset=0, total=40, suggested=extra, like=like)
    assert fits(text)
    assert visible_text(text).count("\n+") == 5


def test_the_first_page_shows_the_suggestions_and_their_buttons() -> None:
    delivery = Delivery(
        7, 42, DAY, tuple(f"2601.{n:05d}" for n in range(20)), dt.datetime(2026, 1, 9), 0,
        suggested=("2601.00100",),
    )  # fmt: skip
    assert page_ids(delivery, 0)[-1] == "2601.00100"
    assert "2601.00100" not in page_ids(delivery, 15)
    papers = [paper(n, f"P{n}") for n in range(15)] + [paper(100, "Suggested")]
    buttons = Buttons(CallbackCodec(b"k" * 32), 42)
    text, keyboard = render_delivery(delivery, papers, Subscription(42), buttons)
    labels = [b.text for row in keyboard for b in row]
    assert labels[-2:] == ["+1", "Next ▸"]
    assert "Suggested for you" in text
    later, keyboard = render_delivery(
        delivery, [paper(n, f"P{n}") for n in range(15, 20)], Subscription(42), buttons, offset=15
    )
    assert "Suggested for you" not in later
    assert "+1" not in [b.text for row in keyboard for b in row]


def test_settings_line_says_what_the_model_learned_from() -> None:
    counts = FeedbackCounts(liked=12, disliked=3, saved=7)
    assert ranking_settings(Subscription(1), counts) == (
        "Learned from: 12 👍, 3 👎, 7 ⭐; ranking on, suggestions on"
    )
    off = dataclasses.replace(Subscription(1), ranking=False, suggest=False)
    assert ranking_settings(off, counts).endswith("ranking off, suggestions off")
    assert ranking_settings(Subscription(1), FeedbackCounts(liked=1)).endswith(
        "suggestions off until 5 ratings"
    )


def test_ranking_and_suggest_answers_teach_a_chat_without_ratings() -> None:
    assert "Rate papers with 👍 or 👎" in ranking_set(True, FeedbackCounts())
    assert "(2 👍, 0 👎, 0 ⭐ so far)" in ranking_set(True, FeedbackCounts(liked=2))
    assert "keyword order" in ranking_set(False, FeedbackCounts())
    assert "Rate papers" in suggest_set(True, FeedbackCounts())
    assert "/suggest on" in suggest_set(False, FeedbackCounts())


def test_for_you_page_counts_and_explains() -> None:
    entries = [MatchedPaper(paper(n, f"P{n}")) for n in range(1, 6)]
    like = {"2601.00001": "Liked"}
    text = for_you_page(entries, offset=0, total=10, like=like, order=ForYouOrder.MODEL)
    visible = visible_text(text)
    assert visible.startswith("For you: the 10 best papers of the last 7 days, 1–5")
    assert "ranked by your ratings" in visible
    assert "like: Liked" in visible
    assert_telegram_html(text)
    empty = for_you_page([], offset=0, total=0, like={}, order=ForYouOrder.NEWEST)
    assert "No paper of the last 7 days" in empty


@pytest.mark.parametrize(
    ("order", "header"),
    [
        (ForYouOrder.MODEL, "For you: the 2 best papers of the last 7 days, unseen first, "
                            "ranked by your ratings\n"),
        (ForYouOrder.MATCHES, "For you: the 2 best papers of the last 7 days, unseen first, by "
                              "how well they match your keywords or authors, then newest first. "
                              "Rate papers with 👍 or 👎"),
        (ForYouOrder.NEWEST, "For you: the 2 newest papers of the last 7 days that match your "
                             "filters, unseen first. Rate papers with 👍 or 👎"),
    ],
)  # fmt: skip
def test_for_you_page_header_names_the_order_used(order: ForYouOrder, header: str) -> None:
    entries = [MatchedPaper(paper(n, f"P{n}")) for n in range(1, 3)]
    text = visible_text(for_you_page(entries, offset=0, total=2, like={}, order=order))
    assert text.startswith(header)
