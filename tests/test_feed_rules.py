"""The feed's pure rules: a model orders matches, suggests beyond them, and picks /foryou."""

import datetime as dt

from bot.models import FeedbackCounts, Paper, Ranking, Subscription
from bot.rules.feed import (
    SUGGEST_MAX,
    ForYouOrder,
    for_you,
    for_you_order,
    ranked,
    suggestions,
    suggests,
)
from bot.rules.matching import DigestIndex, compile_subscription
from bot.rules.planning import PlannedDelivery, plan_digest

ARRIVED = dt.datetime(2026, 1, 9, 2, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 1, 9)


def paper(n: int, title: str, category: str = "cs.LG", day: dt.date = DAY) -> Paper:
    return Paper(f"2601.{n:05d}", title, category=category, date=day)


PRUNING = [paper(1, "Pruning transformers"), paper(2, "Pruning graphs"), paper(3, "Pruning CNNs")]
OTHERS = [paper(10 + n, f"Topic {n} study") for n in range(40)]
DIGEST = PRUNING + OTHERS


def ranking(order: list[Paper]) -> Ranking:
    """Scores that put ``order`` first, in that order, and every other paper of the digest after."""
    scores = {p.id: -1.0 for p in DIGEST}
    scores |= {p.id: float(len(order) - n) for n, p in enumerate(order)}
    return Ranking(scores, {p.id: "A paper I liked" for p in order})


def test_ranked_follows_the_model_and_keeps_keyword_order_without_one() -> None:
    matches = DigestIndex(DIGEST).match(
        compile_subscription(Subscription(1, keywords=("pruning",)))
    )
    assert [m.paper.id for m in ranked(matches, None)] == [p.id for p in PRUNING]
    model = ranking([PRUNING[2], PRUNING[0]])
    assert [m.paper.id for m in ranked(matches, model)] == [
        PRUNING[2].id,
        PRUNING[0].id,
        PRUNING[1].id,
    ]


def test_ranked_breaks_ties_by_keyword_order() -> None:
    matches = DigestIndex(PRUNING).match(compile_subscription(Subscription(1)))
    flat = Ranking({p.id: 0.5 for p in PRUNING}, {})
    assert [m.paper.id for m in ranked(matches, flat)] == [p.id for p in PRUNING]


def test_suggestions_are_on_after_five_ratings_unless_the_chat_chose() -> None:
    sub = Subscription(1)
    assert not suggests(sub, FeedbackCounts(liked=2, disliked=1, saved=1))
    assert suggests(sub, FeedbackCounts(liked=2, disliked=1, saved=2))
    assert not suggests(Subscription(1, suggest=False), FeedbackCounts(liked=50))
    assert suggests(Subscription(1, suggest=True), FeedbackCounts())


def test_suggestions_come_from_the_top_five_percent_beyond_the_keywords() -> None:
    sub = Subscription(1, keywords=("pruning",))
    index = DigestIndex(DIGEST)
    matched = {p.id for p in PRUNING}
    # 43 papers: the top 5% is 3 papers. Two of them matched already; the third is suggested.
    model = ranking([PRUNING[0], OTHERS[7], PRUNING[1], OTHERS[8]])
    assert suggestions(index, sub, model, matched=matched) == (OTHERS[7].id,)
    assert suggestions(index, sub, model, matched=matched, seen={OTHERS[7].id}) == ()


def test_suggestions_are_at_most_five_and_keep_categories_and_exclusions() -> None:
    many = [paper(100 + n, f"Subject {n}", category="cs.CV") for n in range(200)]
    index = DigestIndex(many)
    scores = {p.id: float(-n) for n, p in enumerate(many)}
    model = Ranking(scores, {p.id: "Liked" for p in many})
    sub = Subscription(1, keywords=("nothing",))
    assert suggestions(index, sub, model, matched=set()) == tuple(p.id for p in many[:SUGGEST_MAX])
    elsewhere = Subscription(1, categories=frozenset({"cs.LG"}), keywords=("nothing",))
    assert suggestions(index, elsewhere, model, matched=set()) == ()
    excluding = Subscription(1, keywords=("nothing",), excludes=("subject 0", "subject 2"))
    assert suggestions(index, excluding, model, matched=set())[:2] == (many[1].id, many[3].id)


def test_a_model_without_a_liked_paper_suggests_nothing() -> None:
    sub = Subscription(1, keywords=("pruning",))
    only_dislikes = Ranking(ranking([OTHERS[7]]).scores, {})
    assert suggestions(DigestIndex(DIGEST), sub, only_dislikes, matched=set()) == ()


def test_plan_orders_by_the_model_and_adds_suggestions() -> None:
    sub = Subscription(1, active=True, keywords=("pruning",))
    model = ranking([PRUNING[1], OTHERS[3], PRUNING[2], PRUNING[0]])
    common = {"delivered": {}, "already_planned": set(), "arrived": ARRIVED}
    (planned,) = plan_digest(
        DigestIndex(DIGEST), [sub], rankings={1: model}, suggest_to={(1, None)}, **common
    )  # type: ignore[arg-type]
    assert planned == PlannedDelivery(
        1, (PRUNING[1].id, PRUNING[2].id, PRUNING[0].id), ARRIVED, (OTHERS[3].id,)
    )
    (keyword_order,) = plan_digest(
        DigestIndex(DIGEST),
        [Subscription(1, active=True, keywords=("pruning",), ranking=False)],
        rankings={1: model},
        **common,  # type: ignore[arg-type]
    )
    assert keyword_order == PlannedDelivery(1, tuple(p.id for p in PRUNING), ARRIVED)


def test_plan_sends_suggestions_alone_when_nothing_matched() -> None:
    sub = Subscription(1, active=True, keywords=("quantum",))
    model = ranking([OTHERS[5], OTHERS[9], OTHERS[6]])
    common = {"delivered": {}, "already_planned": set(), "arrived": ARRIVED}
    (planned,) = plan_digest(
        DigestIndex(DIGEST), [sub], rankings={1: model}, suggest_to={(1, None)}, **common
    )  # type: ignore[arg-type]
    assert planned == PlannedDelivery(1, (), ARRIVED, (OTHERS[5].id, OTHERS[9].id, OTHERS[6].id))
    assert list(plan_digest(DigestIndex(DIGEST), [sub], rankings={1: model}, **common)) == []  # type: ignore[arg-type]


def test_for_you_puts_unseen_papers_first_best_first() -> None:
    sub = Subscription(1)
    model = ranking([OTHERS[0], OTHERS[1], OTHERS[2], OTHERS[3]])
    chosen = for_you(DIGEST, sub, model, seen={OTHERS[0].id}, limit=4)
    assert [p.id for p in chosen] == [OTHERS[1].id, OTHERS[2].id, OTHERS[3].id, OTHERS[0].id]


def test_for_you_without_a_model_gives_the_keyword_matches() -> None:
    sub = Subscription(1, keywords=("graphs",))
    assert for_you(DIGEST, sub, None, seen=set()) == [PRUNING[1]]


def test_for_you_keeps_to_the_categories_and_exclusions() -> None:
    sub = Subscription(1, categories=frozenset({"cs.CV"}))
    assert for_you(DIGEST, sub, ranking(OTHERS[:3]), seen=set()) == []


def test_for_you_order_is_the_model_else_the_keywords_and_authors_else_the_newest() -> None:
    assert for_you_order(Subscription(1, keywords=("x",)), learned=True) is ForYouOrder.MODEL
    assert for_you_order(Subscription(1, keywords=("x",)), learned=False) is ForYouOrder.MATCHES
    assert for_you_order(Subscription(1, authors=("Ada",)), learned=False) is ForYouOrder.MATCHES
    assert for_you_order(Subscription(1, excludes=("x",)), learned=False) is ForYouOrder.NEWEST
