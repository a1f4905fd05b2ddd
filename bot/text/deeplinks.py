"""Deep links into the bot (pure): ``https://t.me/<bot>?start=<payload>`` and what they open.

Telegram hands the payload to the bot as ``/start <payload>``, and allows only ``A-Z``, ``a-z``,
``0-9``, ``_`` and ``-`` in it, at most 64 of them. A payload is a kind, then ``_`` and the
kind's argument (or the kind alone): ``p_2510_19260`` opens the paper 2510.19260.

A paper id is written with ``.`` as ``_`` and ``/`` as ``-``: ``2510.19260`` -> ``2510_19260``,
``hep-th/9901001`` -> ``hep-th-9901001``, ``math.GT/0309136`` -> ``math_GT-0309136``. arXiv ids
hold no ``_``, and a ``-`` only inside an old-style archive name, which comes before the ``/``
and its seven digits; so the last ``-`` is the ``/``, and reading a payload back is exact.
"""

from __future__ import annotations

import re

from bot.arxiv_id import parse_arxiv_id
from bot.text.language import N_

PAPER = "p"
"""The kind of payload that opens a paper's card."""
MAX_PAYLOAD = 64
_PAYLOAD = re.compile(rf"[A-Za-z0-9_-]{{1,{MAX_PAYLOAD}}}")
_OLD_NUMBER = re.compile(r"\d{7}")

NOT_A_PAPER_LINK = N_("This link does not name a paper. Send /paper with an arXiv id instead.")


def start_link(bot_username: str, payload: str) -> str:
    """The link that opens a private chat with the bot and sends it ``/start <payload>``."""
    if not _PAYLOAD.fullmatch(payload):
        raise ValueError(f"not a start payload Telegram allows: {payload!r}")
    return f"https://t.me/{bot_username}?start={payload}"


def paper_payload(paper_id: str) -> str:
    """``p_`` and the bare id written with the characters a payload allows."""
    return f"{PAPER}_{paper_id.replace('.', '_').replace('/', '-')}"


def paper_id_from(argument: str) -> str | None:
    """The bare arXiv id a payload's argument names (the inverse of ``paper_payload``), or None."""
    head, dash, number = argument.rpartition("-")
    if dash and _OLD_NUMBER.fullmatch(number):
        candidate = f"{head.replace('_', '.')}/{number}"
    else:
        candidate = argument.replace("_", ".")
    found = parse_arxiv_id(candidate)
    if found is None or paper_payload(found.id) != f"{PAPER}_{argument}":
        return None
    return found.id
