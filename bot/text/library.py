"""What the bot says about a person's library (pure): the saved list, the answers to presses,
/forget's question and answer."""

from __future__ import annotations

from bot.models import LibraryCounts, SavedPage
from bot.text.blocks import plural
from bot.text.language import ENGLISH, Locale
from bot.text.lists import entries_page, span

SAVED_EMPTY = (
    "Nothing saved yet. Tap ⭐ Save under a paper (from /paper, a search, a category or a "
    "delivered summary) to keep it here."
)
LIBRARY_IS_PRIVATE = (
    "Your saved papers and ratings are yours alone: open them in a private chat with me."
)
FORGET_NOTHING = "Your library is empty: there is nothing to forget."
FORGET_KEPT = "Kept your library as it is."


def saved_list(page: SavedPage) -> str:
    """A page of the saved papers, newest save first, under how many there are and which."""
    if not page.papers:
        return SAVED_EMPTY if page.total == 0 else "No more saved papers."
    header = f"<b>Your {plural(page.total, 'saved paper')}</b>, newest first"
    if page.offset or len(page.papers) < page.total:
        header += f", {span(offset=page.offset, count=len(page.papers))}"
    return entries_page(header, page.papers, offset=page.offset, dated=True)


def library_line(counts: LibraryCounts, *, tr: Locale = ENGLISH) -> str:
    """``12 saved, 3 👍, 1 👎``."""
    return tr.gettext("%(saved)d saved, %(liked)d 👍, %(disliked)d 👎") % {
        "saved": counts.saved,
        "liked": counts.liked,
        "disliked": counts.disliked,
    }


def forget_question(counts: LibraryCounts) -> str:
    return (
        f"This deletes your library for good: {library_line(counts)}. The settings of your "
        "chats stay as they are. Delete it?"
    )


def forgotten(counts: LibraryCounts) -> str:
    return f"Deleted your library: {library_line(counts)}."


def saved_answer(saved: bool, *, in_group: bool) -> str:
    """The answer to ⭐: what happened, and where the library is."""
    if not saved:
        return "Removed from your saved papers."
    return "Saved to your library (/saved in a private chat with me)." if in_group else "Saved."


def rating_answer(rating: int, *, in_group: bool) -> str:
    if rating == 0:
        return "Rating cleared."
    thumb = "👍" if rating > 0 else "👎"
    return f"{thumb} counted for you and this group." if in_group else f"{thumb} noted."


def saved_needs_private_chat() -> str:
    """The answer to a group's ⭐ from someone who never opened a private chat with the bot."""
    return "Saved. To see your library, open a private chat with me: tap here, then Start."
