"""The Atom feed as a document (bot/text/atom.py) and what it holds (bot/rules/atom.py), pure."""

import datetime as dt
import xml.etree.ElementTree as ET

import feedparser
from test_formatting import DAY, GNN, NASTY, NASTY_TITLE

from bot.locales import locale
from bot.models import Paper, Ranking, Subscription
from bot.rules.atom import FEED_LIMIT, FeedItem, feed_items, feed_window
from bot.rules.matching import MatchedPaper
from bot.text.atom import ARXIV_SCHEME, FeedHead, atom_feed, entry_html, feed_link, feed_title

ATOM = "{http://www.w3.org/2005/Atom}"
HEAD = FeedHead(
    id="urn:uuid:0f1e2d3c-4b5a-5968-8776-655443322110",
    title="arXiv digests: cs.LG · pruning",
    subtitle="The papers this subscription matched.",
    updated=dt.date(2026, 1, 10),
    self_url="https://feeds.example.org/feed/AAAAAAAAAAAAAAAAAAAAAA.atom",
)
FULL = Paper(
    id="2601.00042",
    title="Pruning at scale",
    authors=("Ada Quill", "Bo Lindqvist"),
    category="cs.LG",
    categories=("cs.LG", "cs.DC"),
    tldr="Prune a billion weights.",
    motivation="Models are big.",
    method="Magnitude pruning,\nlayer by layer.",
    result="Half the weights.",
    conclusion="It works.",
    abstract="We prune.",
    date=dt.date(2026, 1, 9),
)


def parse(body: bytes) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def test_atom_feed_is_valid_atom_with_every_field_of_an_entry() -> None:
    parsed = parse(atom_feed(HEAD, [FeedItem(FULL, dt.date(2026, 1, 9))]))
    assert parsed.version == "atom10"
    assert parsed.feed.id == HEAD.id
    assert parsed.feed.title == HEAD.title
    assert parsed.feed.subtitle == HEAD.subtitle
    assert parsed.feed.updated == "2026-01-10T00:00:00Z"
    assert [(link.rel, link.href) for link in parsed.feed.links] == [("self", HEAD.self_url)]
    (entry,) = parsed.entries
    assert entry.id == "https://arxiv.org/abs/2601.00042"
    assert entry.title == "Pruning at scale"
    assert entry.updated == "2026-01-09T00:00:00Z"
    assert entry.link == "https://arxiv.org/abs/2601.00042"
    assert [(link.rel, link.type, link.href) for link in entry.links] == [
        ("alternate", "text/html", "https://arxiv.org/abs/2601.00042"),
        ("related", "application/pdf", "https://arxiv.org/pdf/2601.00042"),
    ]
    assert [author.name for author in entry.authors] == ["Ada Quill", "Bo Lindqvist"]
    assert [(tag.term, tag.scheme) for tag in entry.tags] == [
        ("cs.LG", ARXIV_SCHEME),
        ("cs.DC", ARXIV_SCHEME),
    ]
    (content,) = entry.content
    assert content.type == "text/html"
    assert "<b>TL;DR:</b> Prune a billion weights." in content.value
    assert "Magnitude pruning,<br />layer by layer." in content.value


def test_entry_html_holds_the_ai_sections_the_abstract_and_the_links() -> None:
    assert entry_html(FULL) == (
        "<p><b>TL;DR:</b> Prune a billion weights.</p>\n"
        "<p><b>Motivation</b><br>Models are big.</p>\n"
        "<p><b>Method</b><br>Magnitude pruning,<br>layer by layer.</p>\n"
        "<p><b>Result</b><br>Half the weights.</p>\n"
        "<p><b>Conclusion</b><br>It works.</p>\n"
        "<p><b>Abstract</b><br>We prune.</p>\n"
        '<p><a href="https://arxiv.org/abs/2601.00042">arXiv 2601.00042</a> · '
        '<a href="https://arxiv.org/pdf/2601.00042">PDF</a></p>'
    )


def test_entry_html_of_a_paper_without_ai_text_says_so() -> None:
    bare = Paper("2601.00043", "Bare", abstract="Only an abstract.")
    assert entry_html(bare).splitlines()[:2] == [
        "<p><i>No TL;DR in the digest.</i></p>",
        "<p><b>Abstract</b><br>Only an abstract.</p>",
    ]


def test_atom_feed_escapes_titles_authors_categories_and_content() -> None:
    body = atom_feed(HEAD, [FeedItem(NASTY, DAY)])
    (entry,) = parse(body).entries
    assert entry.title == NASTY_TITLE
    assert entry.authors[0].name == "Author <0> & Co"
    assert entry.tags[0].term == "cs.<LG>"
    element = ET.fromstring(body).find(f"{ATOM}entry/{ATOM}content")
    assert element is not None
    assert element.text is not None
    assert element.text.startswith("<p><b>TL;DR:</b> Uses &lt;EOS&gt; &amp; &#x27;quotes&#x27;")
    assert "&amp;amp; stays literal" in element.text


def test_atom_feed_drops_characters_xml_cannot_carry() -> None:
    odd = Paper("2601.00044", "Nul\x00 and escape\x1b and \ud800 gone", authors=("A\x0cB",))
    (entry,) = parse(atom_feed(HEAD, [FeedItem(odd, DAY)])).entries
    assert entry.title == "Nul and escape and  gone"
    assert entry.authors[0].name == "AB"


def test_atom_feed_is_the_same_bytes_for_the_same_inputs() -> None:
    items = [FeedItem(FULL, DAY), FeedItem(GNN, DAY)]
    assert atom_feed(HEAD, items) == atom_feed(HEAD, list(items))


def test_an_empty_feed_without_digests_or_self_link_is_still_valid() -> None:
    head = FeedHead(id=HEAD.id, title="t", subtitle="", updated=None)
    parsed = parse(atom_feed(head, []))
    assert parsed.entries == []
    assert parsed.feed.updated == "1970-01-01T00:00:00Z"


def test_feed_title_names_the_filters_in_the_chats_language() -> None:
    sub = Subscription(1, categories=frozenset({"cs.LG", "cs.DC"}), keywords=("pruning",),
                       authors=("Hinton",), excludes=("survey",))  # fmt: skip
    assert feed_title(sub) == "arXiv digests: cs.DC · cs.LG · pruning · Hinton"
    assert feed_title(Subscription(1)) == "arXiv digests: every paper"
    assert feed_title(Subscription(1), tr=locale("zh")) == "arXiv 日报：全部论文"


def test_feed_link_gives_the_url_and_says_it_is_a_secret() -> None:
    url = "https://feeds.example.org/feed/AAAAAAAAAAAAAAAAAAAAAA.atom"
    shown = feed_link(url, reset=False)
    assert shown.splitlines()[:2] == [
        "The private Atom feed of this subscription, for your feed reader:",
        url,
    ]
    assert "Anyone with the link can read it" in shown
    assert feed_link(url, reset=True).startswith("A new feed link for this subscription;")


def day(n: int) -> dt.date:
    return dt.date(2026, 1, n)


def paper(number: int, first: dt.date | None = None) -> Paper:
    return Paper(f"2601.{number:05d}", f"Paper {number}", date=first)


def matched(*papers: Paper) -> list[MatchedPaper]:
    return [MatchedPaper(p) for p in papers]


def test_feed_window_is_the_fourteen_days_up_to_the_newest_digest_newest_first() -> None:
    dates = [day(2), day(3), day(5), day(15), day(16), day(16)]
    assert feed_window(dates) == [day(16), day(15), day(5), day(3)]
    assert feed_window([]) == []


def test_feed_items_are_newest_digest_first_in_keyword_order_within_one() -> None:
    items = feed_items(
        [(day(9), matched(paper(1), paper(2))), (day(10), matched(paper(4), paper(3)))], None
    )
    assert [(i.paper.id, i.date) for i in items] == [
        ("2601.00004", day(10)),
        ("2601.00003", day(10)),
        ("2601.00001", day(9)),
        ("2601.00002", day(9)),
    ]


def test_feed_items_follow_the_chats_model_within_a_digest() -> None:
    ranking = Ranking(scores={"2601.00001": 0.1, "2601.00002": 0.9, "2601.00004": 0.5}, like={})
    items = feed_items(
        [(day(9), matched(paper(1), paper(2), paper(3))), (day(10), matched(paper(4)))], ranking
    )
    assert [i.paper.id for i in items] == ["2601.00004", "2601.00002", "2601.00001", "2601.00003"]


def test_a_paper_repeated_by_later_digests_stays_under_its_first() -> None:
    friday = paper(1, first=day(9))
    digests = [(day(11), matched(friday)), (day(10), matched(friday, paper(2))),
               (day(9), matched(friday))]  # fmt: skip
    items = feed_items(digests, None)
    assert [(i.paper.id, i.date) for i in items] == [
        ("2601.00002", day(10)),
        ("2601.00001", day(9)),
    ]


def test_feed_items_keep_the_newest_up_to_the_limit() -> None:
    digests = [(day(d), matched(*(paper(d * 1000 + n) for n in range(150)))) for d in (8, 9, 10)]
    items = feed_items(digests, None)
    assert len(items) == FEED_LIMIT
    assert {i.date for i in items} == {day(10), day(9)}
    assert len(feed_items(digests, None, limit=3)) == 3
