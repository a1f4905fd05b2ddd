"""A subscription's private Atom feed (RFC 4287), and what ``/feed`` answers (pure).

The document is built with ElementTree, which escapes every text and attribute; each entry's
content is HTML (``type="html"``) whose fields went through ``html.escape`` first, so a title
like ``a<b & c`` arrives in the reader as written. Characters XML 1.0 cannot carry (control
characters, lone surrogates) are dropped. The same inputs give the same bytes, so a hash of
the body is a sound ``ETag``.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from bot.models import Paper, Subscription
from bot.rules.atom import FEED_DAYS, FEED_LIMIT, FeedItem
from bot.text.cards import SECTIONS
from bot.text.language import ENGLISH, N_, Locale

ATOM = "http://www.w3.org/2005/Atom"
ARXIV_SCHEME = "http://arxiv.org/schemas/atom"
"""The scheme arXiv's own Atom API gives its categories."""
GENERATOR = "digestbot"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

FEEDS_OFF = N_(
    "Feeds are off on this bot: its operator has to set PUBLIC_URL (the address where readers "
    "reach the bot's HTTP server) and run that server (HTTP_PORT, or webhook mode). "
    "Please ask the bot's operator."
)
NO_SUBSCRIPTION = N_(
    "This chat has no subscription yet, so there is no feed to give: /subscribe first, then "
    "send /feed."
)
FEED_ADMINS_ONLY = N_("Only this group's administrators can reset its feed link.")


@dataclass(frozen=True, slots=True)
class FeedHead:
    """What a feed says about itself."""

    id: str
    """A stable URI, the same for as long as the feed's link."""
    title: str
    subtitle: str
    updated: dt.date | None
    """The newest digest the feed covers; None when there is none yet."""
    self_url: str | None = None


def feed_title(sub: Subscription, *, tr: Locale = ENGLISH) -> str:
    """``arXiv digests: cs.LG · pruning · Hinton``: the filters the feed follows."""
    filters = [*sorted(sub.categories), *sub.keywords, *sub.authors]
    if not filters:
        return tr.gettext("arXiv digests: every paper")
    return tr.gettext("arXiv digests: %(filters)s") % {"filters": " · ".join(filters)}


def feed_subtitle(*, tr: Locale = ENGLISH) -> str:
    return tr.gettext(
        "The papers this subscription matched in the digests of the last %(days)d days, newest "
        "digest first (at most %(limit)d), each with its AI summary."
    ) % {"days": FEED_DAYS, "limit": FEED_LIMIT}


def atom_feed(head: FeedHead, items: Sequence[FeedItem], *, tr: Locale = ENGLISH) -> bytes:
    """The feed as UTF-8 XML."""
    feed = ET.Element("feed", {"xmlns": ATOM})
    _text(feed, "id", head.id)
    _text(feed, "title", head.title)
    _text(feed, "subtitle", head.subtitle)
    _text(feed, "updated", _timestamp(head.updated))
    if head.self_url is not None:
        ET.SubElement(
            feed, "link", {"rel": "self", "type": "application/atom+xml", "href": head.self_url}
        )
    author = ET.SubElement(feed, "author")
    _text(author, "name", GENERATOR)
    _text(feed, "generator", GENERATOR)
    for item in items:
        feed.append(_entry(item, tr))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _entry(item: FeedItem, tr: Locale) -> ET.Element:
    paper = item.paper
    entry = ET.Element("entry")
    _text(entry, "id", paper.url)
    _text(entry, "title", paper.title)
    _text(entry, "updated", _timestamp(item.date))
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": paper.url})
    ET.SubElement(
        entry,
        "link",
        {"rel": "related", "type": "application/pdf", "title": "pdf", "href": _pdf(paper)},
    )
    for name in paper.authors:
        author = ET.SubElement(entry, "author")
        _text(author, "name", name)
    for category in paper.all_categories:
        ET.SubElement(entry, "category", {"term": _clean(category), "scheme": ARXIV_SCHEME})
    content = _text(entry, "content", entry_html(paper, tr=tr))
    content.set("type", "html")
    return entry


def entry_html(paper: Paper, *, tr: Locale = ENGLISH) -> str:
    """An entry's content: the TL;DR, the other AI sections, the abstract, and the links."""
    if paper.tldr:
        parts = [f"<p>{tr.gettext('<b>TL;DR:</b> ')}{_html(paper.tldr)}</p>"]
    else:
        parts = [f"<p>{tr.gettext('<i>No TL;DR in the digest.</i>')}</p>"]
    for name, label in SECTIONS.items():
        value = getattr(paper, name)
        if value:
            parts.append(f"<p><b>{escape(tr.gettext(label))}</b><br>{_html(value)}</p>")
    safe_id = escape(paper.id)
    parts.append(
        f'<p><a href="{escape(paper.url)}">arXiv {safe_id}</a> · '
        f'<a href="{escape(_pdf(paper))}">PDF</a></p>'
    )
    return "\n".join(parts)


def feed_link(url: str, *, reset: bool, tr: Locale = ENGLISH) -> str:
    """``/feed``'s answer: the link, what the feed holds, and that it is a secret."""
    if reset:
        head = tr.gettext("A new feed link for this subscription; the old one no longer works:")
    else:
        head = tr.gettext("The private Atom feed of this subscription, for your feed reader:")
    body = tr.gettext(
        "It lists what the filters matched in the last %(days)d days of digests (at most "
        "%(limit)d papers), each with its AI summary. Anyone with the link can read it: "
        "<code>/feed reset</code> makes a new one and the old one stops working."
    ) % {"days": FEED_DAYS, "limit": FEED_LIMIT}
    return f"{head}\n{escape(url)}\n\n{body}"


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _clean(text)
    return element


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _html(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _pdf(paper: Paper) -> str:
    return f"https://arxiv.org/pdf/{paper.id}"


def _timestamp(day: dt.date | None) -> str:
    """RFC 3339, midnight UTC of ``day`` (the epoch for None)."""
    return f"{(day or dt.date(1970, 1, 1)).isoformat()}T00:00:00Z"
