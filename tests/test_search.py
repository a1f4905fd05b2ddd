"""The search query language: what each kind of input becomes, and that nothing makes it raise."""

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.models import Digest, Paper
from bot.rules.query import MAX_PARTS, MAX_QUERY_CHARS, Query, parse_query
from storage.store import Store

D = dt.date
NOW = dt.datetime(2026, 1, 10, 2, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pruning", Query(terms=("pruning",))),
        ("graph  neural\tnetwork", Query(terms=("graph", "neural", "network"))),
        ('"large language model" agents', Query(terms=("large language model", "agents"))),
        ("“curly quotes” too", Query(terms=("curly quotes", "too"))),
        ("剪枝 强化学习", Query(terms=("剪枝", "强化学习"))),
        ("pruning -quantization", Query(terms=("pruning",), excluded=("quantization",))),
        ('-"large language"', Query(excluded=("large language",))),
        ("cat:cs.LG", Query(categories=("cs.LG",))),
        ("cat:cs.LG cat:astro-ph.GA", Query(categories=("cs.LG", "astro-ph.GA"))),
        ("CAT:cs.lg,hep-th", Query(categories=("cs.lg", "hep-th"))),
        ("cat:cond-mat.mtrl-sci", Query(categories=("cond-mat.mtrl-sci",))),
        ("author:Hinton", Query(authors=("Hinton",))),
        ('author:"Geoffrey Hinton"', Query(authors=("Geoffrey Hinton",))),
        ("since:2025-10-01", Query(since=D(2025, 10, 1))),
        ("until:2025-10-31", Query(until=D(2025, 10, 31))),
        ("since:2025-02 until:2025-02", Query(since=D(2025, 2, 1), until=D(2025, 2, 28))),
        ("since:2024 until:2024", Query(since=D(2024, 1, 1), until=D(2024, 12, 31))),
        ("Pruning pruning PRUNING", Query(terms=("Pruning",))),
        ("", Query()),
    ],
)
def test_parse_query_reads_each_kind_of_part(text: str, expected: Query) -> None:
    assert parse_query(text) == expected


@pytest.mark.parametrize(
    ("text", "terms", "notes"),
    [
        ("since:2025-13 x", ("x",), ("Ignored “since:2025-13”: not a date (use YYYY-MM-DD).",)),
        ("until:yesterday", (), ("Ignored “until:yesterday”: not a date (use YYYY-MM-DD).",)),
        ("cat:cs.LG;drop", (), ("Ignored “cat:cs.LG;drop”: not an arXiv category like cs.LG.",)),
        ("-cat:cs.LG", (), ("Ignored “-cat:cs.LG”: only words and phrases can be excluded.",)),
        ("-author: x", ("x",), ("Ignored “-author:”: only words and phrases can be excluded.",)),
        (
            "x * ()",
            ("x",),
            ("Ignored “*”: nothing to search for.", "Ignored “()”: nothing to search for."),
        ),
        ("author:*", (), ("Ignored “author:*”: nothing to search for.",)),
    ],
)
def test_parse_query_explains_what_it_ignores(
    text: str, terms: tuple[str, ...], notes: tuple[str, ...]
) -> None:
    query = parse_query(text)
    assert query.terms == terms
    assert query.notes == notes


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("cat:", "Ignored “cat:”: nothing to filter by."),
        ("author:", "Ignored “author:”: nothing to filter by."),
        ("since:", "Ignored “since:”: nothing to filter by."),
        ("UNTIL:", "Ignored “until:”: nothing to filter by."),
        ('author:""', 'Ignored “author:""”: nothing to filter by.'),
        ('cat:""', 'Ignored “cat:""”: nothing to filter by.'),
    ],
)
def test_parse_query_names_a_filter_without_a_value_once_in_the_same_words(
    text: str, note: str
) -> None:
    """A filter with nothing after it reads the same whatever its kind, without a double colon."""
    assert parse_query(f"{text} x") == Query(terms=("x",), notes=(note,))


def test_parse_query_notes_a_date_range_that_cannot_match() -> None:
    query = parse_query("since:2025-10-02 until:2025-10-01")
    assert query.notes == ("The since: date is after the until: date, so nothing can match.",)


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ('"unbalanced phrase', ("unbalanced phrase",)),
        ("NOT OR AND", ("NOT", "OR", "AND")),
        ("NEAR(a b, 2)", ("NEAR(a", "b,", "2)")),
        ("title:foo", ("title:foo",)),
        ("x' OR 1=1; DROP TABLE papers; --", ("x'", "OR", "1=1;", "DROP", "TABLE", "papers;")),
        ("a\x00b\x07c", ("a", "b", "c")),
        ("-", ()),
    ],
)
def test_parse_query_treats_syntax_as_text(text: str, terms: tuple[str, ...]) -> None:
    assert parse_query(text).terms == terms


def test_parse_query_caps_long_input() -> None:
    query = parse_query("x" * 10_000)
    assert query.terms == ("x" * MAX_QUERY_CHARS,)
    assert query.notes == (
        f"Only the words in the first {MAX_QUERY_CHARS} characters of the query were used.",
    )


def test_parse_query_caps_long_input_between_words() -> None:
    """The limit falls inside "learning": its first letters do not become a term of their own."""
    query = parse_query("graph " * 83 + "learning " * 20)
    assert query.terms == ("graph",)
    assert query.notes == (
        f"Only the words in the first {MAX_QUERY_CHARS} characters of the query were used.",
    )


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("a" * 497 + " bc" + " d", ("a" * 497, "bc")),  # the limit falls after a word
        ("a" * 498 + " bc d", ("a" * 498,)),  # ... inside one
        ("a" * 499 + " bc", ("a" * 499,)),  # ... after a space
        ("a" * 300 + " " + "b" * 300, ("a" * 300,)),
    ],
)
def test_parse_query_keeps_whole_words_within_the_limit(text: str, terms: tuple[str, ...]) -> None:
    assert parse_query(text).terms == terms


def test_parse_query_caps_the_number_of_parts_in_one_note() -> None:
    query = parse_query(" ".join(f"w{i}" for i in range(30)) + " cat:cs.LG")
    assert len(query.terms) == MAX_PARTS
    assert query.categories == ()
    assert query.notes == (
        f"Ignored 11 words and filters beyond the first {MAX_PARTS} a query can use: "
        "w20 w21 w22 w23 w24 …",
    )


def test_parse_query_of_400_words_says_what_was_ignored_in_one_line() -> None:
    query = parse_query(" ".join(f"w{i}" for i in range(400)))
    assert len(query.notes) == 2
    assert query.notes[0].startswith("Only the words in the first 500 characters")
    assert query.notes[1].startswith("Ignored 102 words and filters beyond the first 20")


def test_parse_query_keeps_at_most_five_notes() -> None:
    query = parse_query(" ".join(f"cat:bad{i}!" for i in range(9)))
    assert query.notes[:4] == tuple(
        f"Ignored “cat:bad{i}!”: not an arXiv category like cs.LG." for i in range(4)
    )
    assert query.notes[4:] == ("… and 5 more notes like these.",)


@pytest.mark.parametrize(
    ("text", "empty"),
    [("", True), ("* ( )", True), ("cat:nope!", True), ("-x", False), ("until:2025", False)],
)
def test_query_is_empty_when_nothing_is_left(text: str, empty: bool) -> None:
    assert parse_query(text).is_empty is empty


QUERY_PIECES = st.sampled_from(
    ['"', "“", "”", "-", "*", ":", "(", ")", "{", "}", "^", "+", "NEAR(", "AND", "OR", "NOT",
     "cat:", "author:", "since:", "until:", "2025-10-01", "cs.LG", "强化学习", "枝", "학습", " ",
     "\x00", "\ud800", "'", ";", "--", "\\"]
)  # fmt: skip
QUERY_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=())),
    st.lists(st.one_of(QUERY_PIECES, st.text(max_size=5)), max_size=30).map("".join),
)


@given(QUERY_TEXT)
def test_parse_query_never_raises(text: str) -> None:
    query = parse_query(text)
    assert len(query.terms) + len(query.excluded) + len(query.authors) <= MAX_PARTS


# Searching a real store -------------------------------------------------------------------------

OLD, FRI, SAT = dt.date(2025, 12, 1), dt.date(2026, 1, 9), dt.date(2026, 1, 10)
CORPUS = {
    OLD: (
        Paper(
            id="hep-th/9901001",
            title="Pruning the String Landscape",
            authors=("Ada Lovelace",),
            category="hep-th",
            abstract="Vacua are counted.",
        ),
    ),
    FRI: (
        Paper(
            id="2601.00001",
            title="Structured Pruning of Large Language Models",
            authors=("Geoffrey Hinton", "Ada Lovelace"),
            category="cs.LG",
            categories=("cs.LG", "cs.CL"),
            tldr="提出一种结构化剪枝方法，压缩大语言模型。",
            abstract="We prune channels and heads of large language models, without quantization.",
        ),
        Paper(
            id="2601.00002",
            title="Robot Control with Model-Based Agents",
            authors=("Yann LeCun",),
            category="cs.RO",
            tldr="基于强化学习的机器人控制。",
            abstract="A neural network policy from reinforcement learning; we study pruning it.",
        ),
    ),
    SAT: (
        Paper(
            id="2601.00003",
            title="Fast Inference for Transformers",
            authors=("Hiro Tanaka",),
            category="cs.AI",
            tldr="強化学習による推論の高速化。",
        ),
        Paper(
            id="2601.00004",
            title="Training Korean Language Models",
            authors=("Kim Minsu",),
            category="cs.CL",
            tldr="강화학습을 이용한 언어 모델 학습.",
        ),
    ),
}
P0, P1, P2, P3, P4 = "hep-th/9901001", "2601.00001", "2601.00002", "2601.00003", "2601.00004"


@pytest.fixture
def corpus(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(tmp_path / "search.db")
    for date, papers in CORPUS.items():
        digest = Digest(date=date, papers=papers)
        store.ingest(digest, source=f"{date}.md", content_hash=str(date), now=NOW)
    yield store
    store.close()


def ids(store: Store, text: str) -> list[str]:
    return [hit.paper.id for hit in store.search(parse_query(text), limit=20).hits]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("剪枝", [P1]),
        ("结构化剪枝", [P1]),
        ("强化学习", [P2]),
        ("化学", [P3, P2]),
        ("強化学習", [P3]),
        ("推論", [P3]),
        ("강화학습", [P4]),
        ("학습", [P4]),
        ("枝", [P1]),
        ("习", [P2]),
        ("量子", []),
        ("剪枝 大语言模型", [P1]),
        ("剪枝 -大语言模型", []),
    ],
)
def test_store_search_finds_cjk_substrings(corpus: Store, text: str, expected: list[str]) -> None:
    assert ids(corpus, text) == expected


def test_store_search_finds_a_one_character_term_anywhere_in_a_run(corpus: Store) -> None:
    assert sorted(ids(corpus, "化")) == [P1, P2, P3]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pruning", [P0, P1, P2]),
        ("pruning since:2026-01-01", [P1, P2]),
        ("pruning until:2025-12-31", [P0]),
        ('"language models"', [P4, P1]),
        ('"models language"', []),
        ("models language", [P4, P1]),
        ("networks", [P2]),
        ("pruning -quantization", [P0, P2]),
        ('pruning -"string landscape"', [P1, P2]),
        ("cat:cs.CL", [P4, P1]),
        ("cat:CS.cl", [P4, P1]),
        ("cat:cs.RO cat:cs.AI", [P3, P2]),
        ("cat:cs.CL pruning", [P1]),
        ("cat:math.AG", []),
        ("author:Hinton", [P1]),
        ('author:"Geoffrey Hinton"', [P1]),
        ('author:"Hinton Geoffrey"', []),
        ("author:lovelace", [P1, P0]),
        ("author:LeCun robot", [P2]),
        ("Hinton", [P1]),
        ("since:2026-01-10", [P4, P3]),
        ("until:2026-01-09 -pruning", []),
        ("-pruning", [P4, P3]),
        ("", []),
    ],
)
def test_store_search_applies_the_query_language(
    corpus: Store, text: str, expected: list[str]
) -> None:
    assert ids(corpus, text) == expected


def test_store_search_ranks_a_title_match_above_an_abstract_match(corpus: Store) -> None:
    hits = corpus.search(parse_query("pruning")).hits
    assert [hit.paper.id for hit in hits[1:]] == [P1, P2]
    assert hits[1].score > hits[2].score > 0


def test_store_search_pages_through_results(corpus: Store) -> None:
    first = corpus.search(parse_query("pruning"), limit=2)
    second = corpus.search(parse_query("pruning"), limit=2, offset=2)
    assert ([h.paper.id for h in first.hits], first.offset, first.has_more) == ([P0, P1], 0, True)
    assert ([h.paper.id for h in second.hits], second.has_more) == ([P2], False)
    assert (first.total, second.total, first.capped) == (3, 3, False)


def test_store_search_past_the_end_is_empty_and_still_counts(corpus: Store) -> None:
    page = corpus.search(parse_query("pruning"), limit=2, offset=10)
    assert (page.hits, page.total, page.has_more) == ((), 3, False)


def test_store_search_returns_complete_papers(corpus: Store) -> None:
    (hit,) = corpus.search(parse_query("剪枝")).hits
    assert hit.paper == dataclasses.replace(CORPUS[FRI][0], date=FRI)


@pytest.mark.parametrize(
    "text",
    [
        "'; DROP TABLE papers; --",
        "NEAR(pruning",
        '"unbalanced',
        "title:pruning",
        "{title}: pruning",
        "pruning OR robot",
        "pruning AND NOT robot",
        "prun*",
        "^pruning",
        "a:b:c",
    ],
)
def test_store_search_treats_fts_syntax_as_text(corpus: Store, text: str) -> None:
    corpus.search(parse_query(text))
    assert corpus.stats().papers == 5


def test_store_reindex_keeps_every_search_working(corpus: Store) -> None:
    corpus.reindex()
    assert ids(corpus, "剪枝") == [P1]
    assert ids(corpus, "cat:cs.CL") == [P4, P1]


def test_store_search_never_raises(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "prop.db")
    for date, papers in CORPUS.items():
        store.ingest(Digest(date=date, papers=papers), source="d", content_hash="h", now=NOW)

    @given(QUERY_TEXT, st.integers(-5, 50), st.integers(-5, 50))
    @settings(max_examples=300, deadline=None)
    def search(text: str, limit: int, offset: int) -> None:
        page = store.search(parse_query(text), limit=limit, offset=offset)
        assert len(page.hits) <= max(limit, 0)

    search()
    store.close()
