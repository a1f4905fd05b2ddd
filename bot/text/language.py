"""The language a builder writes in (pure): a ``Locale`` wraps one language's gettext catalog.

Message ids are the English text, so English needs no catalog: ``ENGLISH`` answers every id
with itself. ``bot.locales`` compiles the other languages' catalogs into ``Locale`` values.
Builders call ``tr.gettext`` and ``tr.ngettext`` with literal text, the names Babel extracts.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from typing import Protocol


class Translations(Protocol):
    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


@dataclass(frozen=True, slots=True)
class Locale:
    """One interface language: its ISO 639-1 ``code``, its ``name`` in itself, its catalog."""

    code: str
    name: str
    translations: Translations

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a constant for the catalogs; it is translated where it is used."""
    return message


ENGLISH = Locale("en", "English", gettext.NullTranslations())
