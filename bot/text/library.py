"""What the bot says about a person's library (pure): the saved list, the answers to presses,
/forget's question and answer."""

from __future__ import annotations

from bot.models import LibraryCounts, SavedPage
from bot.text.language import ENGLISH, N_, Locale
from bot.text.lists import entries_page, span_suffix

SAVED_EMPTY = N_(
    "Nothing saved yet. Tap ⭐ Save under a paper (from /paper, a search, a category or a "
    "delivered summary) to keep it here."
)
LIBRARY_IS_PRIVATE = N_(
    "Your saved papers and ratings are yours alone: open them in a private chat with me."
)
FORGET_NOTHING = N_("Your library is empty: there is nothing to forget.")
FORGET_KEPT = N_("Kept your library as it is.")
OPEN_LIBRARY = N_("Open my library")
FORGET_YES = N_("Yes, delete it")
FORGET_NO = N_("Keep it")


def saved_list(page: SavedPage, *, tr: Locale = ENGLISH) -> str:
    """A page of the saved papers, newest save first, under how many there are and which."""
    if not page.papers:
        return tr.gettext(SAVED_EMPTY) if page.total == 0 else tr.gettext("No more saved papers.")
    header = tr.ngettext(
        "<b>Your %(count)d saved paper</b>, newest first",
        "<b>Your %(count)d saved papers</b>, newest first",
        page.total,
    ) % {"count": page.total}
    if page.offset or len(page.papers) < page.total:
        header += span_suffix(offset=page.offset, count=len(page.papers), tr=tr)
    return entries_page(header, page.papers, offset=page.offset, dated=True, tr=tr)


def library_line(counts: LibraryCounts, *, tr: Locale = ENGLISH) -> str:
    """``12 saved, 3 👍, 1 👎``."""
    return tr.gettext("%(saved)d saved, %(liked)d 👍, %(disliked)d 👎") % {
        "saved": counts.saved,
        "liked": counts.liked,
        "disliked": counts.disliked,
    }


def forget_question(counts: LibraryCounts, *, tr: Locale = ENGLISH) -> str:
    return tr.gettext(
        "This deletes your library for good: %(library)s. The settings of your "
        "chats stay as they are. Delete it?"
    ) % {"library": library_line(counts, tr=tr)}


def forgotten(counts: LibraryCounts, *, tr: Locale = ENGLISH) -> str:
    return tr.gettext("Deleted your library: %(library)s.") % {
        "library": library_line(counts, tr=tr)
    }


def saved_answer(saved: bool, *, in_group: bool, tr: Locale = ENGLISH) -> str:
    """The answer to ⭐: what happened, and where the library is."""
    if not saved:
        return tr.gettext("Removed from your saved papers.")
    if in_group:
        return tr.gettext("Saved to your library (/saved in a private chat with me).")
    return tr.gettext("Saved.")


def rating_answer(rating: int, *, in_group: bool, tr: Locale = ENGLISH) -> str:
    if rating == 0:
        return tr.gettext("Rating cleared.")
    thumb = "👍" if rating > 0 else "👎"
    if in_group:
        return tr.gettext("%(thumb)s counted for you and this group.") % {"thumb": thumb}
    return tr.gettext("%(thumb)s noted.") % {"thumb": thumb}


def saved_needs_private_chat(*, tr: Locale = ENGLISH) -> str:
    """The answer to a group's ⭐ from someone who never opened a private chat with the bot."""
    return tr.gettext(
        "Saved. To see your library, open a private chat with me: tap here, then Start."
    )
