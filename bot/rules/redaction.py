"""Credentials in URLs, hidden: a digest source's URL may carry a user and password
(``https://user:pass@host/…``) or a key in its query, and such a URL is written to the log and
to the admins when the source fails."""

from __future__ import annotations

import re

HIDDEN = "<secret>"

_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s\"'<>]+", re.IGNORECASE)
_USERINFO = re.compile(r"^([a-z][a-z0-9+.-]*://)[^/?#@]+@", re.IGNORECASE)
_QUERY_VALUE = re.compile(r"([?&][^=&#]+=)[^&#]+")


def redact_urls(text: str) -> str:
    """``text`` with each URL's user and password, and its query's values, hidden."""

    def hide(url: re.Match[str]) -> str:
        found = _USERINFO.sub(rf"\g<1>{HIDDEN}@", url[0])
        return _QUERY_VALUE.sub(rf"\g<1>{HIDDEN}", found)

    return _URL.sub(hide, text)
