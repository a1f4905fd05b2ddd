"""Inline-mode results as values (pure): a paper as an article a person sends to any chat.

The article shows the title and a line of facts and TL;DR in the list; the message it sends is
the paper's card (one message, as ``paper_card`` always is) with a link that opens the paper in
the bot. The link is a URL, not a callback button: a message sent through inline mode belongs
to a chat the bot may not be in, so a signed per-chat button could not be checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.models import Paper
from bot.text.blocks import one_line, shorten
from bot.text.cards import paper_card
from bot.text.deeplinks import paper_payload, start_link
from bot.text.keyboards import Button, Keyboard
from bot.text.language import ENGLISH, N_, Locale

TITLE_MAX = 200
DESCRIPTION_MAX = 200
"""Telegram apps show two or three lines of a result's description."""
OPEN_IN_BOT = N_("Open in the bot")
SAVED_MARK = N_("★ Saved")


@dataclass(frozen=True, slots=True)
class InlineArticle:
    """One result: ``id`` is unique within an answer (the paper's id, at most 64 bytes)."""

    id: str
    title: str
    description: str
    message: str
    """HTML, one message of at most 4096 characters."""
    keyboard: Keyboard


def _description(paper: Paper, *, saved: bool, tr: Locale) -> str:
    facts = [tr.gettext(SAVED_MARK)] if saved else []
    facts += [fact for fact in (paper.category, paper.date and paper.date.isoformat()) if fact]
    line = " · ".join([*facts, one_line(paper.tldr or "")] if paper.tldr else facts)
    return shorten(line, DESCRIPTION_MAX)


def paper_article(
    paper: Paper, *, bot_username: str, saved: bool = False, tr: Locale = ENGLISH
) -> InlineArticle:
    """The paper as a result: its card as the message, a link to open it in the bot, in the
    language of the person's app."""
    title = shorten(one_line(paper.title), TITLE_MAX) or f"arXiv {paper.id}"
    link = start_link(bot_username, paper_payload(paper.id))
    return InlineArticle(
        id=paper.id,
        title=title,
        description=_description(paper, saved=saved, tr=tr),
        message=paper_card(paper, tr=tr),
        keyboard=((Button(tr.gettext(OPEN_IN_BOT), url=link),),),
    )
