"""Sentences the pure rules say to a person (pure), kept translatable without ``bot.text``.

A rule that explains itself (a refused value, an ignored part of a query) builds a ``Sentence``:
the English text, which it is, plus the catalog template and the values it was made of, so
``bot.text`` can say it again in the chat's language. Templates are marked with ``N_``.
"""

from __future__ import annotations

from collections.abc import Mapping


def N_(message: str) -> str:
    """Marks a constant for the catalogs; it is translated where it is used."""
    return message


class Sentence(str):
    """``template % values`` in English, remembering both (values may be Sentences too)."""

    template: str
    values: Mapping[str, object]

    def __new__(cls, template: str, **values: object) -> Sentence:
        sentence = super().__new__(cls, template % values if values else template)
        sentence.template = template
        sentence.values = values
        return sentence
