"""The language a builder writes in (pure): a ``Locale`` wraps one language's gettext catalog.

Message ids are the English text, so English needs no catalog: ``ENGLISH`` answers every id
with itself. ``bot.locales`` compiles the other languages' catalogs into ``Locale`` values.
Builders call ``tr.gettext`` and ``tr.ngettext`` with literal text, the names Babel extracts.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from typing import Protocol

from bot.rules.sentences import N_, Sentence

__all__ = ["ENGLISH", "N_", "Locale", "Translations"]


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

    def say(self, sentence: str) -> str:
        """A rule's ``Sentence`` in this language (its values too); any other text as it is."""
        if not isinstance(sentence, Sentence):
            return sentence
        if not sentence.values:
            return self.gettext(sentence.template)
        values = {k: self.say(v) if isinstance(v, str) else v for k, v in sentence.values.items()}
        return self.gettext(sentence.template) % values


ENGLISH = Locale("en", "English", gettext.NullTranslations())
