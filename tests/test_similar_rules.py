"""Which terms describe a paper, which titles are re-postings, and the words two papers share."""

import pytest

from bot.models import Paper, SimilarHit
from bot.rules.similar import (
    TermProfile,
    pick_terms,
    prose,
    readable_terms,
    shared_words,
    term_profile,
    title_key,
    why_words,
    words,
)


def test_words_split_as_the_tokenizer_does() -> None:
    assert words("Graph-based pruning (GNN_v2), 剪枝 枝") == [
        "Graph", "based", "pruning", "GNN", "v2", "剪枝", "枝",
    ]  # fmt: skip


def test_term_profile_counts_a_title_word_three_times() -> None:
    stems = {"pruning": ("prune",), "pruned": ("prune",), "graph": ("graph",)}
    profile = term_profile([["pruning"], ["graph", "pruned"], ["pruning", "graph"]], stems)
    assert profile == TermProfile(
        weights={"prune": 5.0, "graph": 2.0},
        spellings={"prune": "pruning", "graph": "graph"},
    )


def test_term_profile_skips_words_the_tokenizer_drops() -> None:
    assert term_profile([["x"], [], []], {}) == TermProfile(weights={}, spellings={})


def test_pick_terms_orders_by_tf_idf() -> None:
    weights = {"prune": 3.0, "graph": 1.0, "sparsiti": 2.0}
    papers_with = {"prune": 10, "graph": 10, "sparsiti": 10}
    assert pick_terms(weights, papers_with, 1000) == ("prune", "sparsiti", "graph")


def test_pick_terms_leaves_out_terms_of_this_paper_alone_and_common_ones() -> None:
    weights = {"the": 20.0, "unique": 9.0, "prune": 1.0, "gone": 5.0}
    papers_with = {"the": 900, "unique": 1, "prune": 40, "gone": 0}
    assert pick_terms(weights, papers_with, 1000) == ("prune",)


def test_pick_terms_leaves_out_numbers() -> None:
    weights = {"52": 9.0, "2024": 9.0, "3d": 1.0}
    assert pick_terms(weights, dict.fromkeys(weights, 3), 1000) == ("3d",)


def test_pick_terms_keeps_terms_of_a_few_papers_in_a_small_collection() -> None:
    """In ten papers, one in twenty is less than one paper: up to five are never too common."""
    weights = {"prune": 1.0, "the": 1.0}
    assert pick_terms(weights, {"prune": 5, "the": 6}, 10) == ("prune",)


def test_pick_terms_weighs_cjk_bigrams_half() -> None:
    weights = {"剪枝": 3.0, "prune": 2.0}
    assert pick_terms(weights, {"剪枝": 10, "prune": 10}, 1000) == ("prune", "剪枝")


def test_pick_terms_keeps_their_papers_within_the_budget() -> None:
    weights = {"a1": 4.0, "b2": 3.0, "c3": 2.0, "d4": 1.0}
    papers_with = {"a1": 30, "b2": 60, "c3": 20, "d4": 10}
    assert pick_terms(weights, papers_with, 10_000, budget=60) == ("a1", "c3", "d4")


def test_pick_terms_stops_at_the_limit_and_breaks_ties_by_term() -> None:
    weights = dict.fromkeys(("bb", "aa", "dd", "cc"), 1.0)
    assert pick_terms(weights, dict.fromkeys(weights, 3), 1000, limit=3) == ("aa", "bb", "cc")


def test_pick_terms_leaves_out_single_letters_but_not_cjk_characters() -> None:
    """The n and O of O(n log n), a Greek letter: no subject; 枝, the end of a CJK run, is one."""
    weights = {"n": 9.0, "o": 9.0, "α": 9.0, "枝": 1.0, "ml": 1.0}
    assert pick_terms(weights, dict.fromkeys(weights, 3), 1000) == ("ml", "枝")


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (r"Adapters in $\mathcal{O}(n \log n)$ Time", ["Adapters", "in", "Time"]),
        ("pass@$k$ and $$\\sum_i x_i$$ end", ["pass", "and", "end"]),
        (r"an \ell_1 norm, \textbf{sparse} codes", ["an", "1", "norm", "sparse", "codes"]),
        (r"\(x^2\) or \[ \frac{a}{b} \] here", ["or", "here"]),
        ("图 $G$ 的剪枝", ["图", "的剪枝"]),
    ],
)
def test_prose_leaves_out_math_and_latex_commands(text: str, kept: list[str]) -> None:
    assert words(prose(text)) == kept


@pytest.mark.parametrize(
    "text",
    [
        "from $1,503 to $708, yielding $795 a month",
        r"worth about \$12 per night, or \$20",
        "real per-stage cost ($/1k queries) and code",
        "thresholds T in (0%, 50%]$ and survives",
        "no formula, 剪枝 and pruning",
    ],
)
def test_prose_leaves_prices_and_stray_dollars_alone(text: str) -> None:
    assert words(prose(text)) == words(text)


def test_prose_reads_past_a_price_in_a_formula() -> None:
    assert words(prose(r"costs of $<\$0.01$ per proof")) == ["costs", "of", "per", "proof"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Structured Pruning of GNNs", "structured pruning of gnns."),
        ("A*-Guided   Pruning: Adapters", "A* Guided Pruning — Adapters"),
        ("Ｇｒａｐｈ Pruning", "Graph pruning"),
        ("结构化剪枝：图神经网络", "结构化剪枝 图神经网络"),
    ],
)
def test_title_key_is_shared_by_re_postings(first: str, second: str) -> None:
    assert title_key(first) == title_key(second)


def test_title_key_tells_different_titles_apart() -> None:
    assert title_key("Pruning GNNs") != title_key("Pruning GNNs II")


def test_shared_words_gives_the_terms_found_in_order_as_written() -> None:
    text = "LoRA adapters\nWe prune LoRA weights; pruned adapters."
    stems = {"lora": ("lora",), "adapters": ("adapt",), "we": ("we",), "prune": ("prune",),
             "weights": ("weight",), "pruned": ("prune",)}  # fmt: skip
    found = dict.fromkeys(words(text.lower()))
    assert shared_words(["prune", "gnn", "lora"], text, found, stems) == ("prune", "LoRA")


def test_shared_words_finds_a_word_only_as_a_whole_word() -> None:
    text = "Superposition, then pos tagging: POS"
    stems = {"superposition": ("superposit",), "then": ("then",), "pos": ("po",),
             "tagging": ("tag",)}  # fmt: skip
    found = dict.fromkeys(words(text.lower()))
    assert shared_words(["po"], text, found, stems) == ("pos",)


@pytest.mark.parametrize(
    ("shared", "texts", "other", "expected"),
    [
        (["prune", "GNN"], ["pruning GNN"], ["GNN"], ("prune", "GNN")),
        (["化检"], ["无监督建筑变化检测"], ["基于变化检测的方法"], ("变化检测",)),
        (["强化", "学习"], ["深度强化学习方法"], ["强化学习"], ("强化学习",)),
        (["强化", "学习"], ["强化与学习"], ["强化学习"], ("强化", "学习")),
        (
            ["建筑", "GNN", "化检"],
            ["建筑物变化检测"],
            ["建筑变化检测"],
            ("建筑", "GNN", "变化检测"),
        ),
        (["剪枝"], ["强化学习的剪枝"], ["学习中的剪枝"], ("剪枝",)),
        (["剪枝"], ["剪枝"], ["结构化剪枝"], ("剪枝",)),
    ],
)
def test_readable_terms_grows_cjk_bigrams_into_the_words_both_papers_write(
    shared: list[str], texts: list[str], other: list[str], expected: tuple[str, ...]
) -> None:
    assert readable_terms(shared, texts, other) == expected


def test_readable_terms_grows_a_bigram_right_then_left_to_four_characters() -> None:
    text = "一二三四五六七八九十"
    assert readable_terms(["四五"], [text], [text]) == ("四五六七",)
    assert readable_terms(["九十"], [text], [text]) == ("七八九十",)


def test_readable_terms_shows_at_most_the_limit() -> None:
    assert readable_terms(["a", "b", "c"], [], [], limit=2) == ("a", "b")


def test_why_words_reads_both_papers_texts() -> None:
    asked = Paper("2601.00001", "强化学习的剪枝", tldr="我们研究强化学习。")
    like = Paper("2601.00002", "Pruning", abstract="pruning", tldr="深度强化学习中的剪枝")
    hit = SimilarHit(like, 1.0, ("剪枝", "化学", "pruning"))
    assert why_words(asked, hit) == ("剪枝", "强化学习", "pruning")
