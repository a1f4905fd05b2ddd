"""Adding to and removing from a chat's keywords, excluded words and followed authors (pure).

A change says which of the typed values changed nothing (already in the list, or not in it), so
that the reply can say so instead of showing the same list as if it had worked. An author is
removed by any part of the name it was added with (``/authors remove Hinton`` takes out
"Geoffrey Hinton"), as long as that part fits only one of the chat's authors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.rules.filters import InvalidFilterError
from bot.rules.matching_text import name_words
from bot.rules.sentences import N_


@dataclass(frozen=True, slots=True)
class ListChange:
    entries: tuple[str, ...]
    """The list after the change."""
    unchanged: tuple[str, ...] = ()
    """The values that changed nothing: already in the list (add), or not in it (remove)."""


def add_entries(entries: Sequence[str], values: Sequence[str]) -> ListChange:
    """``values`` appended, but those already in the list (ignoring case) or typed twice."""
    known = {e.casefold() for e in entries}
    added: list[str] = []
    unchanged: list[str] = []
    for value in values:
        if value.casefold() in known:
            unchanged.append(value)
        else:
            known.add(value.casefold())
            added.append(value)
    return ListChange((*entries, *added), tuple(dict.fromkeys(unchanged)))


def remove_entries(
    entries: Sequence[str], values: Sequence[str], *, by_name: bool = False
) -> ListChange:
    """``entries`` without each of ``values`` (ignoring case). With ``by_name``, a value that is
    no entry removes the one entry whose name has all its words (ignoring case and accents).

    Raises InvalidFilterError when such a part of a name fits several entries: which one was
    meant is the person's to say.
    """
    gone: set[str] = set()
    unchanged: list[str] = []
    for value in values:
        exact = [e for e in entries if e.casefold() == value.casefold()]
        found = exact or (_by_words(entries, value) if by_name else [])
        if len(found) > 1 and not exact:
            raise InvalidFilterError(
                N_("“%(name)s” fits %(count)d of your authors (%(names)s): write the whole name."),
                name=value,
                count=len(found),
                names=", ".join(found),
            )
        if not found:
            unchanged.append(value)
        gone.update(found)
    return ListChange(tuple(e for e in entries if e not in gone), tuple(dict.fromkeys(unchanged)))


def _by_words(entries: Sequence[str], value: str) -> list[str]:
    wanted = set(name_words(value))
    return [e for e in entries if wanted and wanted <= set(name_words(e))]
