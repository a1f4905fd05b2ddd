"""HTML list messages (pure): search results, categories, the latest digest, a category's papers,
the delivery summary, the weekly roll-up and the papers like one. Each is one page that fits one
message; shorter titles and TL;DRs are tried in turn until it does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from bot.models import CategoryCount, DigestSummary, Paper, SearchHit, SimilarPapers
from bot.rules.matching import MatchedPaper
from bot.rules.similar import why_words
from bot.text.blocks import code, esc, first_message, link, one_line, quoted, separator, shorten
from bot.text.language import ENGLISH, Locale
from bot.text.limits import fits

BUDGETS = ((250, 200), (200, 120), (150, 60), (100, 0), (60, 0))
"""(title, TL;DR) visible units per entry, tried in turn until a page fits one message."""
QUERY_MAX = 100
MATCHED_MAX = 150
CATEGORY_LINES_MAX = 60


def _entry(
    number: int | str,
    paper: Paper,
    budget: tuple[int, int],
    *,
    dated: bool,
    why: str = "",
    tr: Locale = ENGLISH,
) -> str:
    title_max, tldr_max = budget
    lines = [f"{number}. {link(paper.url, shorten(one_line(paper.title), title_max))}"]
    meta = [code(c) for c in paper.all_categories[:1]]
    if dated and paper.date:
        meta.append(paper.date.isoformat())
    if meta:
        lines.append(" · ".join(meta))
    if tldr_max:
        if paper.tldr:
            tldr = shorten(one_line(paper.tldr), tldr_max)
        else:
            tldr = tr.gettext("No TL;DR in the digest.")
        lines.append(esc(tldr))
    if why:
        lines.append(f"<i>{esc(shorten(why, MATCHED_MAX))}</i>")
    return "\n".join(lines)


def _page(header: str, entries: Callable[[tuple[int, int]], list[str]]) -> str:
    text = header
    for budget in BUDGETS:
        text = "\n\n".join([header, *entries(budget)])
        if fits(text):
            return text
    return first_message(text)


def entries_page(
    header: str, papers: Sequence[Paper], *, offset: int, dated: bool, tr: Locale = ENGLISH
) -> str:
    """A list message: ``header``, then the papers numbered from ``offset + 1``."""
    return _page(
        header,
        lambda budget: [
            _entry(offset + n, paper, budget, dated=dated, tr=tr)
            for n, paper in enumerate(papers, 1)
        ],
    )


def matched_entries(
    header: str,
    entries: Sequence[MatchedPaper],
    *,
    offset: int,
    like: Mapping[str, str],
    tr: Locale = ENGLISH,
) -> str:
    """A list message of dated papers, each with why it is there (``_why``)."""
    return _matched_page(header, entries, offset=offset, dated=True, like=like, tr=tr)


def span(*, offset: int, count: int) -> str:
    """``1–8``, or ``9`` for a page of one."""
    return f"{offset + 1}" if count == 1 else f"{offset + 1}–{offset + count}"


def _total(total: int, *, capped: bool = False) -> str:
    return f"{total:,}+" if capped else f"{total:,}"


def span_suffix(*, offset: int, count: int, tr: Locale = ENGLISH) -> str:
    """``, 9–16`` after a header: which of the entries this page shows."""
    return tr.gettext(", %(span)s") % {"span": span(offset=offset, count=count)}


def search_results(
    hits: Sequence[SearchHit],
    *,
    query_text: str,
    offset: int,
    total: int,
    capped: bool = False,
    tr: Locale = ENGLISH,
) -> str:
    """One page of ranked results under a header with how many and which: ``40 results for
    <query>, 1–8``; a number, linked title, category, date and short TL;DR each."""
    query = f"<i>{esc(shorten(one_line(query_text), QUERY_MAX))}</i>"
    if not hits:
        if offset:
            return tr.gettext("No more results for %(query)s.") % {"query": query}
        return tr.gettext(
            "Nothing found for %(query)s. Try fewer or more general words, another spelling, "
            "or fewer filters (cat:, author:, since:); an arXiv id such as 2510.19260 opens "
            "that paper."
        ) % {"query": query}
    header = tr.ngettext(
        "<b>%(total)s result</b> for %(query)s",
        "<b>%(total)s results</b> for %(query)s",
        2 if capped else total,
    ) % {"total": _total(total, capped=capped), "query": query}
    if offset > 0 or len(hits) < total:
        header += span_suffix(offset=offset, count=len(hits), tr=tr)
    return entries_page(header, [hit.paper for hit in hits], offset=offset, dated=True, tr=tr)


def _category_lines(counts: Sequence[CategoryCount], tr: Locale) -> str:
    ordered = sorted(counts, key=lambda c: (-c.count, c.category.casefold()))
    lines = [f"{code(c.category)} {c.count}" for c in ordered[:CATEGORY_LINES_MAX]]
    hidden = len(ordered) - CATEGORY_LINES_MAX
    if hidden > 0:
        lines.append(
            tr.ngettext("… and %(count)d more category", "… and %(count)d more categories", hidden)
            % {"count": hidden}
        )
    return "\n".join(lines)


def category_list(counts: Sequence[CategoryCount], *, tr: Locale = ENGLISH) -> str:
    """Categories with their paper counts, most papers first, and how to open one."""
    if not counts:
        return tr.gettext("No categories yet: no digest has been ingested.")
    example = max(counts, key=lambda c: c.count).category
    return "\n\n".join(
        [
            tr.gettext("<b>Categories</b> (papers in each, cross-lists included)"),
            _category_lines(counts, tr),
            tr.gettext("Send /category %(example)s to see a category's papers.")
            % {"example": esc(example)},
        ]
    )


def papers_count(count: int, tr: Locale = ENGLISH) -> str:
    """``1 paper``, ``12 papers``."""
    return tr.ngettext("%(count)d paper", "%(count)d papers", count) % {"count": count}


def latest_digest(summary: DigestSummary | None, *, tr: Locale = ENGLISH) -> str:
    """The newest digest: date, size, per-category counts."""
    if summary is None:
        return tr.gettext("No digest has been ingested yet.")
    spread = len(summary.categories)
    size = tr.ngettext(
        "%(papers)s in %(count)d category (a cross-listed paper counts in each of its categories)",
        "%(papers)s in %(count)d categories (a cross-listed paper counts in each of its "
        "categories)",
        spread,
    ) % {"papers": papers_count(summary.papers, tr), "count": spread}
    header = tr.gettext("<b>Latest digest: %(date)s</b>") % {"date": summary.date.isoformat()}
    return f"{header}\n{size}\n\n{_category_lines(summary.categories, tr)}\n\n" + tr.gettext(
        "Tap a category to see its papers."
    )


def category_papers(
    date: dt.date,
    category: str,
    papers: Sequence[Paper],
    *,
    offset: int,
    total: int,
    tr: Locale = ENGLISH,
) -> str:
    """One page of a category's papers (primary or cross-listed) in the digest of ``date``,
    under a header with how many and which: ``cs.DC — papers 1–8 of 12``."""
    values = {"category": code(category), "date": date.isoformat()}
    if not papers:
        if offset:
            return tr.gettext("No more papers in %(category)s in the digest of %(date)s.") % values
        return (
            tr.gettext(
                "No papers in %(category)s in the digest of %(date)s. "
                "Send /category to see the categories it has."
            )
            % values
        )
    if offset == 0 and len(papers) >= total:
        header = tr.ngettext(
            "<b>%(category)s — %(count)d paper</b> in the digest of %(date)s",
            "<b>%(category)s — %(count)d papers</b> in the digest of %(date)s",
            total,
        ) % {**values, "count": total}
    else:
        header = tr.ngettext(
            "<b>%(category)s — paper %(span)s of %(total)s</b> in the digest of %(date)s",
            "<b>%(category)s — papers %(span)s of %(total)s</b> in the digest of %(date)s",
            len(papers),
        ) % {**values, "span": span(offset=offset, count=len(papers)), "total": f"{total:,}"}
    return entries_page(header, papers, offset=offset, dated=False, tr=tr)


LIKE_TITLE_MAX = 50
"""Visible units of the rated paper's title in a "like:" line."""


def _why(entry: MatchedPaper, like: Mapping[str, str], tr: Locale) -> str:
    """What put the entry there: the keywords and authors it matched, else the paper the chat
    rated that the model found most like it."""
    sep = separator(tr)
    reasons = [sep.join(quoted(k) for k in entry.keywords), sep.join(entry.authors)]
    found = " · ".join(r for r in reasons if r)
    if found:
        return tr.gettext("matched: %(found)s") % {"found": found}
    liked = like.get(entry.paper.id)
    if not liked or liked == entry.paper.title:  # the paper itself was rated: nothing to add
        return ""
    return tr.gettext("like: %(title)s") % {"title": shorten(one_line(liked), LIKE_TITLE_MAX)}


def delivery_empty_note(date: dt.date, *, tr: Locale = ENGLISH) -> str:
    """The one-line note for a chat that asked to hear about digests with nothing for it."""
    return tr.gettext(
        "Nothing in the arXiv digest of %(date)s matched your filters (/settings)."
    ) % {"date": date.isoformat()}


def _suggested_header(count: int, tr: Locale) -> str:
    return tr.ngettext(
        "<b>Suggested for you</b>: %(count)d paper beyond your filters that your 👍, 👎 "
        "and ⭐ rank among the digest's best (/suggest off hides them)",
        "<b>Suggested for you</b>: %(count)d papers beyond your filters that your 👍, 👎 "
        "and ⭐ rank among the digest's best (/suggest off hides them)",
        count,
    ) % {"count": count}


def delivery_summary(
    date: dt.date,
    entries: Sequence[MatchedPaper],
    *,
    offset: int,
    page_size: int = 15,
    total: int,
    suggested: Sequence[MatchedPaper] = (),
    like: Mapping[str, str] | None = None,
    tr: Locale = ENGLISH,
) -> str:
    """One page of a chat's matches for a new digest, best first, with why each is there.

    ``entries`` is this page (at most ``page_size`` are shown), ``offset`` the rank of its first
    entry among all ``total`` matches. ``suggested`` papers (first page only) follow under
    "Suggested for you", numbered +1, +2 …; ``like`` gives the "like:" reasons of the model.
    """
    shown = entries[:page_size]
    reasons = like or {}
    if not shown and not suggested:
        if total == 0:
            return delivery_empty_note(date, tr=tr)
        return tr.gettext("No more papers in this digest.")
    values = {"date": date.isoformat(), "count": total}
    if total > len(shown) and shown:
        header = tr.ngettext(
            "<b>arXiv digest of %(date)s</b>: %(count)d paper matches your filters, "
            "%(first)d–%(last)d below",
            "<b>arXiv digest of %(date)s</b>: %(count)d papers match your filters, "
            "%(first)d–%(last)d below",
            total,
        ) % {**values, "first": offset + 1, "last": offset + len(shown)}
    else:
        header = (
            tr.ngettext(
                "<b>arXiv digest of %(date)s</b>: %(count)d paper matches your filters",
                "<b>arXiv digest of %(date)s</b>: %(count)d papers match your filters",
                total,
            )
            % values
        )
    return _matched_page(
        header, shown, offset=offset, dated=False, like=reasons, suggested=suggested, tr=tr
    )


def _days(first: dt.date, last: dt.date) -> str:
    return first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}"


def rollup_empty_note(first: dt.date, last: dt.date, *, tr: Locale = ENGLISH) -> str:
    """The one-line note for a weekly chat that asked to hear about a week with nothing for it."""
    if first == last:
        return delivery_empty_note(first, tr=tr)
    return tr.gettext(
        "Nothing in the arXiv digests of %(days)s matched your filters (/settings)."
    ) % {"days": _days(first, last)}


def rollup_summary(
    first: dt.date,
    last: dt.date,
    entries: Sequence[MatchedPaper],
    *,
    offset: int,
    page_size: int = 15,
    total: int,
    matching: int,
    like: Mapping[str, str] | None = None,
    tr: Locale = ENGLISH,
) -> str:
    """One page of a chat's weekly roll-up of the digests from ``first`` to ``last``: the best
    ``total`` of its ``matching`` papers, with why each matched and its digest's date.

    ``entries`` is this page, ``offset`` the rank of its first entry, as in ``delivery_summary``.
    """
    shown = entries[:page_size]
    if not shown:
        if total == 0:
            return rollup_empty_note(first, last, tr=tr)
        return tr.gettext("No more papers in this summary.")
    header = tr.ngettext(
        "<b>Your week of arXiv, %(days)s</b>: %(count)s paper matched your filters",
        "<b>Your week of arXiv, %(days)s</b>: %(count)s papers matched your filters",
        matching,
    ) % {"days": _days(first, last), "count": f"{matching:,}"}
    if matching > total:
        header += tr.gettext(", the top %(count)d here") % {"count": total}
    if total > len(shown):
        header += tr.gettext(", %(first)d–%(last)d below") % {
            "first": offset + 1,
            "last": offset + len(shown),
        }
    return _matched_page(header, shown, offset=offset, dated=True, like=like or {}, tr=tr)


def _matched_page(
    header: str,
    shown: Sequence[MatchedPaper],
    *,
    offset: int,
    dated: bool,
    like: Mapping[str, str],
    suggested: Sequence[MatchedPaper] = (),
    tr: Locale,
) -> str:
    """Numbered entries with why each is there, then any suggestions under their header."""

    def page(budget: tuple[int, int]) -> list[str]:
        lines = [
            _entry(offset + n, e.paper, budget, dated=dated, why=_why(e, like, tr), tr=tr)
            for n, e in enumerate(shown, 1)
        ]
        if suggested:
            lines.append(_suggested_header(len(suggested), tr))
            lines += [
                _entry(f"+{n}", e.paper, budget, dated=dated, why=_why(e, like, tr), tr=tr)
                for n, e in enumerate(suggested, 1)
            ]
        return lines

    return _page(header, page)


def similar_papers(found: SimilarPapers, *, tr: Locale = ENGLISH) -> str:
    """The papers most like one, closest first, under a header that names it and says how many:
    a number, linked title, category, date, short TL;DR and the words it shares, each."""
    title = link(found.paper.url, shorten(one_line(found.paper.title), QUERY_MAX))
    if not found.hits:
        return tr.gettext(
            "No other paper I have is like %(title)s: none shares enough of its telling words."
        ) % {"title": title}
    count = len(found.hits)
    header = tr.ngettext(
        "<b>%(count)d paper like</b> %(title)s", "<b>%(count)d papers like</b> %(title)s", count
    ) % {"count": count, "title": title}
    return _page(
        header,
        lambda budget: [
            _entry(
                n,
                hit.paper,
                budget,
                dated=True,
                why=tr.gettext("shared: %(words)s")
                % {"words": " · ".join(why_words(found.paper, hit))},
                tr=tr,
            )
            for n, hit in enumerate(found.hits, 1)
        ],
    )
