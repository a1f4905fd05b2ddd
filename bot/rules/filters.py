"""Validation of what a person types into /keywords, /exclude, /authors, /time, /timezone and
/categories (pure).

Each validator returns the value to store or raises ``InvalidFilterError`` whose message is one
plain-text sentence saying what is accepted; it never echoes the input, so a handler can send it
as it is (after ``html.escape`` like any text), or in the chat's language through the
error's ``sentence`` (``messages.refusal``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
import zoneinfo
from collections.abc import Collection

from bot.rules.sentences import N_, Sentence

MAX_FILTER_LENGTH = 100
_QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»", "「": "」", "『": "』", "'": "'"}
_TIME = re.compile(r"([01]?[0-9]|2[0-3])[:.h]([0-5][0-9])")
_ZONE_NAME = re.compile(r"[A-Za-z0-9_+-]+(?:/[A-Za-z0-9_+-]+)*")


class InvalidFilterError(ValueError):
    """A value a person typed that cannot be stored; ``str(error)`` is the sentence to show,
    ``sentence`` the same, translatable (an ``N_`` template and its values)."""

    def __init__(self, template: str, **values: object) -> None:
        self.sentence = Sentence(template, **values)
        super().__init__(str(self.sentence))


_KEYWORD_REFUSALS = (
    N_("A keyword cannot contain control characters or line breaks."),
    N_("A keyword cannot be empty."),
    N_("A keyword can be at most %(max)d characters long."),
    N_("A keyword needs at least one letter or digit."),
)
_AUTHOR_REFUSALS = (
    N_("An author's name cannot contain control characters or line breaks."),
    N_("An author's name cannot be empty."),
    N_("An author's name can be at most %(max)d characters long."),
    N_("An author's name needs at least one letter or digit."),
)
"""What is wrong with a keyword or a name: control characters, empty, too long, no letter."""


def _clean(text: str, refusals: tuple[str, str, str, str]) -> str:
    control, empty, long, no_letter = refusals
    text = text.strip()
    if len(text) >= 2 and _QUOTES.get(text[0]) == text[-1]:
        text = text[1:-1].strip()
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise InvalidFilterError(control)
    text = " ".join(text.split())
    if not text:
        raise InvalidFilterError(empty)
    if len(text) > MAX_FILTER_LENGTH:
        raise InvalidFilterError(long, max=MAX_FILTER_LENGTH)
    if not any(c.isalnum() for c in text):
        raise InvalidFilterError(no_letter)
    return text


def validate_keyword(text: str) -> str:
    """A keyword or phrase to store; surrounding quotes are dropped (``"graph neural"``). A lone
    Latin letter or digit is refused: as a keyword it matches nearly every paper ("a"), as an
    excluded word it drops them."""
    keyword = clean_keyword(text)
    if len(keyword) == 1 and keyword.isascii():
        raise InvalidFilterError(
            N_("A keyword needs at least two characters: one letter is in nearly every paper.")
        )
    return keyword


def clean_keyword(text: str) -> str:
    """``text`` as a keyword is stored (quotes dropped, spaces folded), to find it in a list:
    a keyword stored before a rule of ``validate_keyword`` must still be removable."""
    return _clean(text, _KEYWORD_REFUSALS)


def validate_author(name: str) -> str:
    """A name to follow, as typed (matching ignores case and accents)."""
    return _clean(name, _AUTHOR_REFUSALS)


def parse_time_of_day(text: str) -> dt.time:
    """``HH:MM`` on a 24-hour clock (``8:30``, ``08:30``, ``20.15`` too)."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise InvalidFilterError(
            N_(
                "Send a time of day as HH:MM on a 24-hour clock, for example /time 08:30 "
                "(or /time off to get each digest as soon as it arrives)."
            )
        )
    return dt.time(int(match.group(1)), int(match.group(2)))


def is_place_zone(name: str) -> bool:
    """False for the names the zoneinfo database carries that are not places: the machine's own
    ``localtime``, ``Factory`` (a placeholder), and the ``posix``/``right`` copies."""
    return name not in ("localtime", "Factory") and not name.startswith(("posix", "right/"))


@functools.cache
def _known_zones() -> dict[str, str]:
    zones = filter(is_place_zone, zoneinfo.available_timezones())
    return {name.casefold(): name for name in zones}


def known_timezone(name: str) -> str | None:
    """The IANA name of a place as spelled in the database, matched ignoring case, or None."""
    name = name.strip()
    return _known_zones().get(name.casefold()) if _ZONE_NAME.fullmatch(name) else None


def is_timezone(name: str) -> bool:
    """True for the IANA name of a place spelled exactly, checked by loading that one zone:
    listing them all, as ``known_timezone`` does, costs some 20 ms of every command's start."""
    if not _ZONE_NAME.fullmatch(name) or not is_place_zone(name):
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def validate_timezone(name: str) -> str:
    """The canonical IANA name (``europe/berlin`` -> ``Europe/Berlin``)."""
    known = known_timezone(name)
    if known is None:
        raise InvalidFilterError(
            N_(
                "That is not a time zone I know; send an IANA name such as Europe/Berlin, "
                "America/New_York, Asia/Shanghai or UTC."
            )
        )
    return known


def validate_category(category: str, known: Collection[str]) -> str:
    """The category as the digests spell it (``CS.lg`` -> ``cs.LG``), if any digest has it."""
    spelled = {c.casefold(): c for c in known}
    found = spelled.get(category.strip().casefold())
    if found is None:
        example = "cs.LG" if "cs.LG" in spelled.values() or not spelled else min(spelled.values())
        raise InvalidFilterError(
            N_(
                "That category is not in any digest yet; send /categories to see them, or a code "
                "such as %(example)s."
            ),
            example=example,
        )
    return found
