"""The interface's catalogs: complete, with the code's placeholders; every builder valid in each."""

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from test_formatting import DAY, GNN, NASTY
from test_telegram_text import assert_telegram_html

from bot.locales import FOLDER, SOURCE_LANGUAGE, client_language, languages, locale
from bot.models import (
    CategoryCount,
    DigestSummary,
    FeedbackCounts,
    IngestResult,
    LibraryCounts,
    QualityReport,
    SavedPage,
    SearchHit,
    SimilarHit,
    SimilarPapers,
    Subscription,
)
from bot.rules.feed import ForYouOrder
from bot.rules.filters import (
    InvalidFilterError,
    parse_time_of_day,
    validate_author,
    validate_category,
    validate_keyword,
    validate_timezone,
)
from bot.rules.matching import MatchedPaper
from bot.rules.query import parse_query
from bot.rules.summaries import parse_summaries_choice
from bot.rules.weekly import parse_frequency
from bot.text import exports, feed, library, messages
from bot.text.cards import paper_card, paper_section, settings_text
from bot.text.language import Locale
from bot.text.limits import split_message, visible_text
from bot.text.lists import (
    category_list,
    category_papers,
    delivery_summary,
    latest_digest,
    rollup_summary,
    search_results,
    similar_papers,
)

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"gettext": None, "ngettext": (1, 2), "N_": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdr]")
CATALOGS = sorted(FOLDER.glob("*.po"))


def template() -> Catalog:
    with (FOLDER / "messages.pot").open("rb") as file:
        return read_po(file)


def ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {message.id for message in catalog if message.id}


def test_locales_template_holds_exactly_the_texts_of_the_code() -> None:
    """Run the README's pybabel extract when this fails."""
    found = {
        message
        for package in ("bot", "handlers")
        for _, _, message, *_ in extract_from_dir(ROOT / package, keywords=KEYWORDS)
    }
    assert found == ids(template())


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.stem)
def test_locales_catalog_translates_every_id_with_the_same_placeholders(path: Path) -> None:
    with path.open("rb") as file:
        catalog = read_po(file, locale=path.stem)
    assert ids(catalog) == ids(template())
    for message in catalog:
        if not message.id:
            continue
        singular = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), singular
        assert not message.fuzzy, singular
        expected = set(PLACEHOLDER.findall(singular))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == expected, singular
        assert list(message.check(catalog)) == [], singular


def test_locales_are_english_and_one_per_catalog() -> None:
    assert languages() == (SOURCE_LANGUAGE, *(p.stem for p in CATALOGS))
    assert "zh" in languages()
    assert locale("zh").name == "中文"
    assert locale("xx") is locale(SOURCE_LANGUAGE)


@pytest.mark.parametrize(
    ("client", "language"),
    [("zh-hans", "zh"), ("zh-hant", "zh"), ("zh", "zh"), ("ZH-CN", "zh"), ("en", "en"),
     ("de", "en"), ("pt-br", "en"), ("", "en"), (None, "en")],
)  # fmt: skip
def test_locales_client_language_is_the_apps_when_there_is_a_catalog(
    client: str | None, language: str
) -> None:
    assert client_language(client) == language


def test_locales_chinese_plural_and_weekday() -> None:
    zh = locale("zh")
    assert messages.list_entries("keywords", ("剪枝", "graph"), tr=zh).startswith(
        "你的关键词（2 个）：\n"
    )
    weekly = Subscription(1, weekly=True, weekday=4, timezone="Asia/Shanghai")
    assert messages.time_set(weekly, tr=zh) == "每周摘要将于每周五 08:00（Asia/Shanghai）推送。"


SUB = Subscription(
    1,
    active=True,
    categories=frozenset({"cs.LG", "cs.AI"}),
    keywords=("graph neural", "剪枝"),
    excludes=("survey",),
    authors=("Hinton",),
    delivery_time=dt.time(8, 30),
    timezone="Asia/Shanghai",
)
MATCHES = [MatchedPaper(paper, keywords=("graph neural",)) for paper in (GNN, NASTY) * 8]
CATEGORIES = tuple(CategoryCount(f"cs.X{n}", n) for n in range(70))


def refused(bad: Callable[[], object]) -> InvalidFilterError:
    with pytest.raises(InvalidFilterError) as raised:
        bad()
    return raised.value


REPORT = IngestResult(
    date=DAY,
    source="https://example.org/<digest>.jsonl",
    papers_new=3,
    warnings=("line 3: <odd> & broken",) * 12,
    quality=QualityReport(
        papers=40,
        per_category=tuple((f"cs.X{n}", n) for n in range(20)),
        cross_listed=2,
        duplicates_merged=1,
        missing_summary=0,
    ),
)

BUILDERS: dict[str, Callable[[Locale], str]] = {
    "welcome": lambda tr: tr.gettext(messages.WELCOME),
    "welcome in a group": lambda tr: tr.gettext(messages.WELCOME_GROUP),
    "help": lambda tr: messages.help_text(
        [("category", "x", ("cat",), ("cs.LG",)), ("time", "y", (), ("08:30", "off"))],
        private=True,
        tr=tr,
    ),
    "help in a group": lambda tr: messages.help_text(
        [("category", "x", ("cat",), ("cs.LG",))], private=False, tr=tr
    ),
    "usage": lambda tr: messages.usage("time", "HH:MM | off", "08:30", "off", tr=tr),
    "language usage": lambda tr: messages.language_usage([locale(c) for c in languages()], tr=tr),
    "language set": messages.language_set,
    "subscribed": lambda tr: messages.subscribed(True, tr=tr),
    "unsubscribed": lambda tr: messages.subscribed(False, tr=tr),
    "categories prompt": lambda tr: messages.categories_prompt(SUB.categories, True, tr=tr),
    "categories set": lambda tr: messages.categories_set(SUB.categories, tr=tr),
    "keywords": lambda tr: messages.list_entries("keywords", SUB.keywords, tr=tr),
    "no authors": lambda tr: messages.list_entries("authors", (), tr=tr),
    "time set": lambda tr: messages.time_set(SUB, tr=tr),
    "weekly": lambda tr: messages.frequency_set(
        dataclasses.replace(SUB, weekly=True), gathered=True, tr=tr
    ),
    "not an id": lambda tr: messages.not_an_arxiv_id("<b>&", tr=tr),
    "not found": lambda tr: messages.paper_not_found("2510.00009", tr=tr),
    "settings": lambda tr: settings_text(
        SUB,
        would_match=3,
        digest_date=DAY,
        library=LibraryCounts(saved=2, liked=1, disliked=0),
        feedback=FeedbackCounts(liked=1),
        tr=tr,
    ),
    "card": lambda tr: paper_card(NASTY, tr=tr),
    "section": lambda tr: paper_section(GNN, "method", tr=tr),
    "delivery": lambda tr: delivery_summary(
        DAY, MATCHES, offset=0, total=40, suggested=MATCHES[:2], tr=tr
    ),
    "empty delivery": lambda tr: delivery_summary(DAY, [], offset=0, total=0, tr=tr),
    "roll-up": lambda tr: rollup_summary(
        DAY - dt.timedelta(days=6), DAY, MATCHES, offset=0, total=20, matching=31, tr=tr
    ),
    "ingest report": lambda tr: messages.ingest_report(REPORT, tr=tr),
    "search results": lambda tr: search_results(
        [SearchHit(p) for p in (GNN, NASTY) * 4], query_text="<gnn> 剪枝", offset=8, total=40, tr=tr
    ),
    "nothing found": lambda tr: search_results([], query_text="<x>", offset=0, total=0, tr=tr),
    "no more results": lambda tr: search_results([], query_text="x", offset=8, total=8, tr=tr),
    "query notes": lambda tr: messages.query_notes(
        parse_query("-cat:cs.LG cat:9 since:soon " + " ".join(f"w{n}" for n in range(30))).notes,
        tr=tr,
    ),
    "category list": lambda tr: category_list(CATEGORIES, tr=tr),
    "latest digest": lambda tr: latest_digest(DigestSummary(DAY, 1200, CATEGORIES), tr=tr),
    "category papers": lambda tr: category_papers(
        DAY, "cs.LG", [GNN, NASTY], offset=8, total=12, tr=tr
    ),
    "empty category": lambda tr: category_papers(DAY, "<cs>", [], offset=0, total=0, tr=tr),
    "similar papers": lambda tr: similar_papers(
        SimilarPapers(NASTY, tuple(SimilarHit(GNN, 1.0, ("graph", "剪枝")) for _ in range(8))),
        tr=tr,
    ),
    "nothing similar": lambda tr: similar_papers(SimilarPapers(NASTY), tr=tr),
    "ranking on": lambda tr: feed.ranking_set(True, FeedbackCounts(), tr=tr),
    "ranking learned": lambda tr: feed.ranking_set(True, FeedbackCounts(liked=3), tr=tr),
    "ranking off": lambda tr: feed.ranking_set(False, FeedbackCounts(), tr=tr),
    "suggest on": lambda tr: feed.suggest_set(True, FeedbackCounts(), tr=tr),
    "suggest off": lambda tr: feed.suggest_set(False, FeedbackCounts(), tr=tr),
    **{
        f"for you by {order.value}": (
            lambda tr, order=order: feed.for_you_page(
                MATCHES[:5], offset=5, total=10, like={}, order=order, tr=tr
            )
        )
        for order in ForYouOrder
    },
    "nothing for you": lambda tr: feed.for_you_page(
        [], offset=0, total=0, like={}, order=ForYouOrder.MODEL, tr=tr
    ),
    "saved list": lambda tr: library.saved_list(SavedPage((GNN, NASTY) * 4, 8, 20), tr=tr),
    "saved empty": lambda tr: library.saved_list(SavedPage((), 0, 0), tr=tr),
    "library is private": lambda tr: tr.gettext(library.LIBRARY_IS_PRIVATE),
    "forget question": lambda tr: library.forget_question(LibraryCounts(2, 1, 1), tr=tr),
    "forgotten": lambda tr: library.forgotten(LibraryCounts(2, 1, 1), tr=tr),
    "saved answer": lambda tr: library.saved_answer(True, in_group=True, tr=tr),
    "rating answer": lambda tr: library.rating_answer(-1, in_group=True, tr=tr),
    "needs private chat": lambda tr: library.saved_needs_private_chat(tr=tr),
    "unknown export": lambda tr: exports.unknown_format("<xml>", tr=tr),
    "export caption": lambda tr: exports.export_caption(
        exports.EXPORT_FORMATS["bibtex"], 3, 9, tr=tr
    ),
    **{
        f"refusal {n}": (lambda tr, bad=bad: messages.refusal(refused(bad), tr))
        for n, bad in enumerate(
            [
                lambda: validate_keyword(" "),
                lambda: validate_author("x" * 200),
                lambda: parse_time_of_day("25:00"),
                lambda: validate_timezone("Mars/Base"),
                lambda: validate_category("cs.XX", ["cs.LG"]),
                lambda: parse_frequency("hourly"),
                lambda: parse_summaries_choice("fr"),
            ]
        )
    },
}


@pytest.mark.parametrize("language", languages())
@pytest.mark.parametrize("name", BUILDERS)
def test_locales_every_builder_is_one_valid_message_in_each_language(
    name: str, language: str
) -> None:
    assert_telegram_html(BUILDERS[name](locale(language)))


def test_locales_a_long_chinese_list_splits_into_valid_parts_that_keep_every_entry() -> None:
    entries = tuple(f"关键词{n}：图神经网络的剪枝与蒸馏" for n in range(400))
    text = messages.list_entries("keywords", entries, tr=locale("zh"))
    parts = split_message(text)
    assert len(parts) > 1
    for part in parts:
        assert_telegram_html(part)
    shown = "\n".join(visible_text(part) for part in parts)
    assert all(f"关键词{n}：" in shown for n in range(400))


def test_locales_a_refusal_is_said_in_the_chats_language() -> None:
    error = refused(lambda: validate_category("cs.XX", ["cs.DC"]))
    assert str(error) == (
        "That category is not in any digest yet; send /categories to see them, or a code such "
        "as cs.DC."
    )
    assert messages.refusal(error, locale("zh")).endswith("或发送 cs.DC 这样的分类代码。")


def test_locales_chinese_lists_are_joined_with_the_enumeration_comma() -> None:
    entry = MatchedPaper(GNN, keywords=("graph neural", "剪枝"))
    text = delivery_summary(DAY, [entry], offset=0, total=1, tr=locale("zh"))
    assert "命中：&quot;graph neural&quot;、剪枝" in text
