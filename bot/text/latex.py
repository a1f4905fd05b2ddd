"""Titles and names as BibTeX field values: LaTeX that compiles, braces BibTeX can count (pure).

arXiv titles are TeX already: ``$\\mathcal{O}(n)$``, ``\\texttt{HTSR}``, ``{\\'e}`` are meant to
be typeset and are kept. Everything else a title may hold is made safe: ``& % # _`` and a
lone ``$`` get a backslash; ``~``, ``^`` and a backslash that ends the text become the commands
that print them; a brace that has no partner is printed with a command rather than left to end
the field early: BibTeX counts every brace, ``\\{`` included, and one unmatched brace spoils the
rest of the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_MATH_OR_ESCAPE = re.compile(r"\\.|(\$(?:\\.|[^$\\])+\$)", re.DOTALL)
"""Inline math, from a ``$`` to the next one with something between; or a backslash and the
character after it, so that ``\\$`` never opens math and ``\\\\`` is a backslash pair."""
_TEXT_TOKEN = re.compile(
    r"(?P<math>\$(?:\\.|[^$\\])+\$)"
    r"|(?P<word>\\[A-Za-z]+)"  # a control word: \texttt, \alpha
    r"|(?P<symbol>\\[^A-Za-z])"  # a control symbol: \& \% \" \' \{ \\
    r"|(?P<lone>\\)"  # a backslash that ends the text
    r"|(?P<special>[&%#_$~^])"
    r"|(?P<brace>[{}])"
)
_TEXT_SPECIALS = {
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_ANY_SPECIAL = re.compile(r"[\\{}&%#_$~^]")
_MATH_SPECIAL = re.compile(r"(?<!\\)[&%#]")
"""Characters that end or break inline math when written bare (an alignment tab, a comment)."""
_MATH_TOKEN = re.compile(r"\\[{}]|[{}]|\\.|[^\\{}]+", re.DOTALL)
TEXT_BRACES = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
MATH_BRACES = {"{": r"\lbrace{}", "}": r"\rbrace{}"}
OPENING = ("{", r"\{")
CLOSING = ("}", r"\}")


def latex_field(text: str) -> str:
    """``text`` as the value between the braces of a BibTeX field, valid for BibTeX and LaTeX."""
    if _ANY_SPECIAL.search(text) is None:  # most titles and nearly every name
        return text
    tokens = list(_text_tokens(text))
    for index in _unmatched(tokens):
        tokens[index] = TEXT_BRACES[tokens[index][-1]]
    return "".join(tokens)


def split_math(text: str) -> Iterator[tuple[str, bool]]:
    """``text`` in pieces, each with whether it is inline math (``$...$``), in order."""
    position = 0
    for match in _MATH_OR_ESCAPE.finditer(text):
        if match.group(1) is None:
            continue
        if match.start() > position:
            yield text[position : match.start()], False
        yield match.group(), True
        position = match.end()
    if position < len(text):
        yield text[position:], False


def _text_tokens(text: str) -> Iterator[str]:
    """Plain runs, commands kept as written, specials escaped, math whole; each brace its own
    token so that unmatched ones can be found."""
    position = 0
    for match in _TEXT_TOKEN.finditer(text):
        if match.start() > position:
            yield text[position : match.start()]
        kind, value = match.lastgroup, match.group()
        if kind == "math":
            yield _math(value)
        elif kind == "lone":
            yield r"\textbackslash{}"
        elif kind == "special":
            yield _TEXT_SPECIALS[value]
        else:  # a command, a control symbol (\{ and \} among them) or a brace
            yield value
        position = match.end()
    if position < len(text):
        yield text[position:]


def _math(math: str) -> str:
    """Inline math with its bare ``& % #`` escaped and every brace matched within it."""
    tokens = _MATH_TOKEN.findall(_MATH_SPECIAL.sub(lambda m: "\\" + m.group(), math[1:-1]))
    for index in _unmatched(tokens):
        tokens[index] = MATH_BRACES[tokens[index][-1]]
    return "$" + "".join(tokens) + "$"


def _unmatched(tokens: list[str]) -> list[int]:
    """Indexes of the braces without a partner: ``{ }`` pair with each other, ``\\{ \\}`` too.

    Two sequences each balanced on its own add up to one that BibTeX's count finds balanced.
    """
    open_at: dict[str, list[int]] = {"{": [], r"\{": []}
    unmatched: list[int] = []
    for index, token in enumerate(tokens):
        if token in OPENING:
            open_at[token].append(index)
        elif token in CLOSING:
            stack = open_at[OPENING[CLOSING.index(token)]]
            if stack:
                stack.pop()
            else:
                unmatched.append(index)
    return unmatched + open_at["{"] + open_at[r"\{"]
