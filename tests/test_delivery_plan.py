"""Planning a digest's deliveries: the matching papers a chat has not had, on its time."""

import datetime as dt

from bot.models import Paper, Subscription
from bot.rules.matching import DigestIndex
from bot.rules.planning import PlannedDelivery, explain, plan_digest

ARRIVED = dt.datetime(2026, 1, 9, 2, 0, tzinfo=dt.UTC)
PAPERS = [
    Paper("2601.00001", "Pruning transformers", category="cs.LG"),
    Paper("2601.00002", "Pruning graphs", category="cs.DS"),
    Paper("2601.00003", "Galaxy clusters", category="astro-ph.GA"),
]


def plan(subs: list[Subscription], **kwargs: object) -> list[PlannedDelivery]:
    options: dict[str, object] = {"delivered": {}, "already_planned": set(), "arrived": ARRIVED}
    return list(plan_digest(DigestIndex(PAPERS), subs, **(options | kwargs)))  # type: ignore[arg-type]


def test_plan_gives_each_chat_its_matches_best_first() -> None:
    subs = [Subscription(1, active=True, keywords=("pruning",)), Subscription(2, active=True)]
    assert plan(subs) == [
        PlannedDelivery(1, ("2601.00001", "2601.00002"), ARRIVED),
        PlannedDelivery(2, ("2601.00001", "2601.00002", "2601.00003"), ARRIVED),
    ]


def test_plan_never_repeats_a_delivered_paper() -> None:
    subs = [Subscription(1, active=True, keywords=("pruning",))]
    assert plan(subs, delivered={(1, None): {"2601.00001"}}) == [
        PlannedDelivery(1, ("2601.00002",), ARRIVED)
    ]
    assert plan(subs, delivered={(1, None): {"2601.00001", "2601.00002"}}) == []


def test_plan_sends_the_empty_note_only_when_asked_and_once() -> None:
    quiet = Subscription(1, active=True, keywords=("quantum",))
    noted = Subscription(2, active=True, keywords=("quantum",), notify_empty=True)
    assert plan([quiet, noted]) == [PlannedDelivery(2, (), ARRIVED)]
    assert plan([noted], already_planned={(2, None)}) == []


def test_plan_uses_the_chat_time_of_day() -> None:
    sub = Subscription(1, active=True, delivery_time=dt.time(8, 0), timezone="Asia/Shanghai")
    (planned,) = plan([sub])
    assert planned.due_at == dt.datetime(2026, 1, 10, 0, 0, tzinfo=dt.UTC)


def test_explain_keeps_the_order_and_says_why() -> None:
    sub = Subscription(1, keywords=("galaxy",))
    explained = explain(PAPERS[::-1], sub)
    assert [e.paper.id for e in explained] == ["2601.00003", "2601.00002", "2601.00001"]
    assert [e.keywords for e in explained] == [("galaxy",), (), ()]
