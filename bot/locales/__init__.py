"""The interface's languages: a gettext catalog ``<code>.po`` per language in this folder.

English is the source language (the message ids are its text) and needs none. A catalog is
compiled with Babel the first time its language is used, so a fresh clone needs no build step
and the ``.po`` files are the only copy. Adding a language is adding its catalog (README).
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

import babel
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.text.language import ENGLISH, Locale

FOLDER = Path(__file__).parent
SOURCE_LANGUAGE = ENGLISH.code


@functools.cache
def languages() -> tuple[str, ...]:
    """The codes of the interface's languages: English, then one per catalog."""
    return (SOURCE_LANGUAGE, *sorted(path.stem for path in FOLDER.glob("*.po")))


@functools.cache
def locale(code: str) -> Locale:
    """The language ``code``, compiled once; English for a code without a catalog."""
    if code == SOURCE_LANGUAGE or code not in languages():
        return ENGLISH
    with (FOLDER / f"{code}.po").open("rb") as file:
        catalog = read_po(file, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    name = babel.Locale.parse(code).get_display_name(code) or code
    return Locale(code, name, gettext.GNUTranslations(compiled))


def client_language(language_code: str | None) -> str:
    """The language for a person whose Telegram app is in ``language_code`` (an IETF tag such
    as ``zh-hans`` or ``pt-br``): its language when there is a catalog for it, else English."""
    code = (language_code or "").split("-")[0].casefold()
    return code if code in languages() else SOURCE_LANGUAGE
