"""A paper as an inline-mode article: title, a line of facts and TL;DR, its card, a link."""

import dataclasses
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from bot.models import Paper
from bot.text.cards import paper_card
from bot.text.inline_results import DESCRIPTION_MAX, TITLE_MAX, paper_article
from bot.text.keyboards import Button
from bot.text.limits import fits, utf16_length

PAPER = Paper(
    id="2510.19260",
    title="Graph   pruning\nat scale",
    category="cs.LG",
    categories=("cs.LG", "cs.DC"),
    tldr="We prune graphs. 我们剪枝。",
    date=dt.date(2026, 2, 10),
)


def test_paper_article_shows_the_paper_and_sends_its_card_with_a_link() -> None:
    article = paper_article(PAPER, bot_username="digest_bot")
    assert article.id == "2510.19260"
    assert article.title == "Graph pruning at scale"
    assert article.description == "cs.LG · 2026-02-10 · We prune graphs. 我们剪枝。"
    assert article.message == paper_card(PAPER)
    link = "https://t.me/digest_bot?start=p_2510_19260"
    assert article.keyboard == ((Button("Open in the bot", url=link),),)


def test_paper_article_marks_a_saved_paper() -> None:
    article = paper_article(PAPER, bot_username="digest_bot", saved=True)
    assert article.description.startswith("★ Saved · cs.LG · ")


def test_paper_article_without_title_tldr_or_date_still_says_what_it_is() -> None:
    bare = Paper(id="hep-th/9901001", title=" ")
    article = paper_article(bare, bot_username="digest_bot")
    assert (article.title, article.description) == ("arXiv hep-th/9901001", "")
    assert article.keyboard[0][0].url == "https://t.me/digest_bot?start=p_hep-th-9901001"


@given(title=st.text(min_size=1), tldr=st.text(), abstract=st.text())
def test_paper_article_fits_whatever_the_digest_holds(title: str, tldr: str, abstract: str) -> None:
    paper = dataclasses.replace(PAPER, title=title * 50, tldr=tldr * 50, abstract=abstract)
    article = paper_article(paper, bot_username="digest_bot")
    assert 1 <= utf16_length(article.title) <= TITLE_MAX
    assert utf16_length(article.description) <= DESCRIPTION_MAX
    assert "\n" not in article.title + article.description
    assert fits(article.message)
