"""Visible length, entity count and HTML-safe splitting for Telegram (bot.text.limits).

``assert_telegram_html`` is a small stand-in for tdlib's HTML parser, strict where it matters to
us: only the tags Telegram supports, balanced and properly nested, every ``<`` a tag and every
``&`` an entity, at most 4096 visible UTF-16 units and 100 entities. test_formatting uses it too.
"""

import html as html_lib
import re
from html.parser import HTMLParser

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.text.limits import (
    MAX_ENTITIES,
    MAX_MESSAGE_LENGTH,
    entity_count,
    pack_blocks,
    split_message,
    utf16_length,
    visible_length,
    visible_text,
)

_ALLOWED = {
    "b": set(),
    "strong": set(),
    "i": set(),
    "em": set(),
    "u": set(),
    "ins": set(),
    "s": set(),
    "strike": set(),
    "del": set(),
    "a": {"href"},
    "code": {"class"},
    "pre": set(),
    "blockquote": {"expandable"},
    "tg-spoiler": set(),
}
_NO_CHILDREN = {"code", "pre"}
_RAW_LT = re.compile(r"<(?!/?[a-z][a-z-]*(?:\s[^<>]*)?>)")
_RAW_AMP = re.compile(r"&(?!#[0-9]+;|#x[0-9a-fA-F]+;|lt;|gt;|amp;|quot;)")


class _StrictParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in _ALLOWED, f"unsupported tag <{tag}>"
        assert {name for name, _ in attrs} <= _ALLOWED[tag], f"bad attributes on <{tag}>: {attrs}"
        if tag == "a":
            assert dict(attrs).get("href"), "<a> without href"
            assert "a" not in self.stack, "nested <a>"
        if tag == "blockquote":
            assert "blockquote" not in self.stack, "nested blockquote"
        inside = self.stack[-1] if self.stack else None
        if inside in _NO_CHILDREN:
            assert (inside, tag) == ("pre", "code"), f"<{tag}> inside <{inside}>"
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> without a start tag"
        expected = self.stack.pop()
        assert tag == expected, f"expected </{expected}>, found </{tag}>"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise AssertionError(f"self-closing <{tag}/> is not Telegram HTML")


def assert_telegram_html(text: str) -> None:
    """Fail unless Telegram would accept ``text`` as one HTML message."""
    assert not _RAW_LT.search(text), f"unescaped '<' in {text[:200]!r}"
    assert not _RAW_AMP.search(text), f"unescaped '&' in {text[:200]!r}"
    parser = _StrictParser()
    parser.feed(text)
    parser.close()
    assert parser.stack == [], f"unclosed tags {parser.stack}"
    assert 0 < visible_length(text) <= MAX_MESSAGE_LENGTH, visible_length(text)
    assert entity_count(text) <= MAX_ENTITIES


@pytest.mark.parametrize(
    "html",
    [
        "a<b",
        "<br>",
        "<b>bold",
        "<b><i>x</b></i>",
        "x</b>",
        '<span class="x">s</span>',
        "<code><b>x</b></code>",
        "<blockquote><blockquote>x</blockquote></blockquote>",
        "&nbsp;",
        "",
    ],
)
def test_assert_telegram_html_rejects_what_we_must_never_send(html: str) -> None:
    with pytest.raises(AssertionError):
        assert_telegram_html(html)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("plain", 5),
        ("<b>bold</b>", 4),
        ('<a href="https://arxiv.org/abs/1?a=1&amp;b=2">x</a>', 1),
        ("a &amp; b", 5),
        ("&lt;thought&gt;", 9),
        ("&quot;q&quot; &#x27;s&#39;", 7),
        ("&nbsp;", 6),
        ("强化学习", 4),
        ("😀", 2),
        ("&#128512;", 2),
        ("👩‍💻", 5),
        ("한국어 テスト", 7),
        ("", 0),
    ],
)
def test_visible_length_counts_utf16_units_after_tags_and_entities(
    html: str, expected: int
) -> None:
    assert visible_length(html) == expected


def test_visible_text_decodes_only_entities_tdlib_knows() -> None:
    assert visible_text("<i>a &amp; b &lt;x&gt; &nbsp; &#65;</i>") == "a & b <x> &nbsp; A"


def test_utf16_length_counts_astral_characters_twice() -> None:
    assert utf16_length("a😀强") == 4


def test_entity_count_counts_start_tags() -> None:
    assert entity_count('<b>x</b> <a href="u">y</a> &lt;b&gt;') == 2


def test_split_message_returns_a_fitting_message_unchanged() -> None:
    assert split_message("<b>short</b>") == ["<b>short</b>"]


def _parts_are_valid(parts: list[str], limit: int) -> None:
    for part in parts:
        assert_telegram_html(part)
        assert visible_length(part) <= limit


def test_split_message_prefers_paragraph_breaks() -> None:
    html = "\n\n".join(f"<b>Paper {n}</b> " + "word " * 30 for n in range(10))
    parts = split_message(html, limit=400)
    _parts_are_valid(parts, 400)
    assert all(part.startswith("<b>Paper") for part in parts)
    assert "".join(visible_text("".join(parts)).split()) == "".join(visible_text(html).split())


def test_split_message_closes_and_reopens_tags_at_a_cut() -> None:
    html = '<b><a href="https://x.org/?a=1&amp;b=2">' + "alpha " * 50 + "</a></b> tail"
    parts = split_message(html, limit=100)
    _parts_are_valid(parts, 100)
    assert parts[0].endswith("</a></b>")
    assert parts[1].startswith('<b><a href="https://x.org/?a=1&amp;b=2">')


def test_split_message_reopens_expandable_blockquote_with_its_attribute() -> None:
    html = "<blockquote expandable>" + "Sentence here. " * 40 + "</blockquote>"
    parts = split_message(html, limit=150)
    _parts_are_valid(parts, 150)
    assert all(p.startswith("<blockquote expandable>") for p in parts)
    assert all(p.endswith("</blockquote>") for p in parts)
    assert all(visible_text(p).rstrip().endswith(".") for p in parts)


def test_split_message_never_cuts_an_entity() -> None:
    html = "&amp;" * 300
    parts = split_message(html, limit=100)
    assert [visible_length(p) for p in parts] == [100, 100, 100]
    assert all(p == "&amp;" * 100 for p in parts)


def test_split_message_never_cuts_a_surrogate_pair() -> None:
    html = "😀" * 101
    parts = split_message(html, limit=101)
    assert [p.count("😀") for p in parts] == [50, 50, 1]
    _parts_are_valid(parts, 101)


def test_split_message_keeps_an_emoji_zwj_sequence_together() -> None:
    html = "a" * 8 + "👩‍💻"
    parts = split_message(html, limit=10)
    assert parts == ["a" * 8, "👩‍💻"]


def test_split_message_cuts_cjk_text_at_sentence_ends() -> None:
    html = "强化学习很有用。" * 20
    parts = split_message(html, limit=50)
    _parts_are_valid(parts, 50)
    assert all(p.endswith("。") for p in parts)
    assert "".join(parts) == html


def test_split_message_cuts_hard_when_there_is_no_break() -> None:
    parts = split_message("x" * 250, limit=100)
    assert parts == ["x" * 100, "x" * 100, "x" * 50]


def test_split_message_respects_the_entity_limit() -> None:
    html = " ".join(f"<b>{n}</b>" for n in range(250))
    parts = split_message(html)
    assert [entity_count(p) for p in parts] == [100, 100, 50]
    _parts_are_valid(parts, MAX_MESSAGE_LENGTH)


def test_split_message_drops_whitespace_at_the_cut() -> None:
    parts = split_message("first part\n\nsecond part", limit=12)
    assert parts == ["first part", "second part"]


def test_split_message_does_not_leave_an_empty_reopened_tag() -> None:
    parts = split_message("<b>" + "word " * 30 + "\n</b>after", limit=60)
    _parts_are_valid(parts, 60)
    assert "<b></b>" not in "".join(parts)


def test_split_message_rejects_a_limit_below_one() -> None:
    with pytest.raises(ValueError, match="positive"):
        split_message("text", limit=0)


_SAFE_TEXT = st.text(
    alphabet=st.sampled_from([*"ab .\n。强😀&<>\"'", "\u200d", "\u0301"]), max_size=400
)


@given(
    st.lists(st.tuples(st.sampled_from(["", "b", "i", "code"]), _SAFE_TEXT), max_size=8),
    st.integers(min_value=5, max_value=120),
)
def test_split_message_parts_are_always_valid_and_keep_every_visible_character(
    pieces: list[tuple[str, str]], limit: int
) -> None:
    html = "".join(
        f"<{tag}>{html_lib.escape(text)}</{tag}>" if tag else html_lib.escape(text)
        for tag, text in pieces
    )
    assume(visible_text(html).strip())
    parts = split_message(html, limit=limit)
    for part in parts:
        assert visible_length(part) <= limit
        parser = _StrictParser()
        parser.feed(part)
        assert parser.stack == []
    kept = "".join(visible_text(p) for p in parts)
    assert "".join(kept.split()) == "".join(visible_text(html).split())


def test_pack_blocks_fills_messages_with_whole_blocks() -> None:
    blocks = [f"<b>{n}</b> " + "x" * 90 for n in range(10)]
    parts = pack_blocks(blocks, limit=300)
    assert [p.count("<b>") for p in parts] == [3, 3, 3, 1]
    assert parts[0] == "\n\n".join(blocks[:3])


def test_pack_blocks_splits_only_the_block_that_is_too_long_alone() -> None:
    blocks = ["short one", "long " * 100, "short two"]
    parts = pack_blocks(blocks, limit=200)
    assert parts[0] == "short one"
    assert parts[-1] == "short two"
    assert all(visible_length(p) <= 200 for p in parts)
    assert len(parts) == 5


def test_pack_blocks_counts_entities_per_message() -> None:
    blocks = ["<b>a</b><i>b</i>"] * 60
    parts = pack_blocks(blocks)
    assert [entity_count(p) for p in parts] == [100, 20]


def test_pack_blocks_of_nothing_is_no_message() -> None:
    assert pack_blocks(["", ""]) == []
