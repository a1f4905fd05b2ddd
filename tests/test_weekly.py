"""The weekly roll-up's rules and words: /frequency, its slot, which papers it shows, its page."""

import dataclasses
import datetime as dt
from collections.abc import Sequence

import pytest

from bot.models import Delivery, Paper, RollUp, Subscription
from bot.rules.filters import InvalidFilterError
from bot.rules.matching import DigestIndex, MatchedPaper
from bot.rules.planning import PlannedDelivery, plan_digest
from bot.rules.schedule import WEEKLY_TIME, next_weekly_due, rollup_due
from bot.rules.weekly import ROLLUP_SIZE, choose_rollup, parse_frequency, parse_weekday
from bot.text import messages
from bot.text.cards import settings_text
from bot.text.lists import rollup_summary

MON, FRI, SUN = 0, 4, 6
MONDAY = dt.date(2026, 1, 5)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("daily", (False, None)),
        ("weekly", (True, None)),
        ("weekly fri", (True, FRI)),
        ("Weekly Friday", (True, FRI)),
        ("  WEEKLY   sun ", (True, SUN)),
        ("weekly MON", (True, MON)),
    ],
)
def test_parse_frequency_reads_daily_and_weekly_with_an_optional_day(
    typed: str, parsed: tuple[bool, int | None]
) -> None:
    assert parse_frequency(typed) == parsed


CHOOSE = "Send daily, or weekly with a day if you like, for example /frequency weekly fri."


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("", CHOOSE),
        ("hourly", CHOOSE),
        ("fri", CHOOSE),
        ("daily mon", "Only a weekly summary has a day: send /frequency weekly fri, or "
                      "/frequency daily alone."),
        ("weekly funday", "That is not a day of the week; send mon, tue, wed, thu, fri, sat or "
                          "sun, or the full name."),
        ("weekly mon tue", "Send one day, for example /frequency weekly fri."),
    ],
)  # fmt: skip
def test_parse_frequency_refuses_with_one_clear_sentence(typed: str, sentence: str) -> None:
    with pytest.raises(InvalidFilterError) as raised:
        parse_frequency(typed)
    assert str(raised.value) == sentence


@pytest.mark.parametrize(
    ("word", "day"), [("mon", 0), ("Tuesday", 1), ("WED", 2), ("thu", 3), ("sat", 5), ("Sun", 6)]
)
def test_parse_weekday_takes_short_and_full_names_in_any_case(word: str, day: int) -> None:
    assert parse_weekday(word) == day


@pytest.mark.parametrize("word", ["fr", "thurs", "1", "montag", "mon."])
def test_parse_weekday_refuses_anything_else(word: str) -> None:
    with pytest.raises(InvalidFilterError, match="not a day of the week"):
        parse_weekday(word)


@pytest.mark.parametrize(
    ("after", "time", "zone", "weekday", "due"),
    [
        # Monday morning: Friday 09:00 in Berlin is 08:00 UTC in winter.
        (at(2026, 1, 5, 10, 0), dt.time(9, 0), "Europe/Berlin", FRI, at(2026, 1, 9, 8, 0)),
        # At the slot itself it is due; a second later, the next week's.
        (at(2026, 1, 9, 8, 0), dt.time(9, 0), "Europe/Berlin", FRI, at(2026, 1, 9, 8, 0)),
        (at(2026, 1, 9, 8, 0, 1), dt.time(9, 0), "Europe/Berlin", FRI, at(2026, 1, 16, 8, 0)),
        # Without /time: WEEKLY_TIME, 08:00 on the chat's clock.
        (at(2026, 1, 5, 10, 0), None, "Europe/Berlin", FRI, at(2026, 1, 9, 7, 0)),
        (at(2026, 1, 5, 10, 0), None, "UTC", MON, at(2026, 1, 12, 8, 0)),
        # The chat's weekday, not UTC's: Friday 08:00 in Shanghai is Friday 00:00 UTC, and
        # Friday 20:00 in Los Angeles is Saturday 04:00 UTC.
        (at(2026, 1, 8, 23, 0), dt.time(8, 0), "Asia/Shanghai", FRI, at(2026, 1, 9, 0, 0)),
        (at(2026, 1, 9, 5, 0), dt.time(20, 0), "America/Los_Angeles", FRI, at(2026, 1, 10, 4, 0)),
        # Across spring-forward (Berlin, 2026-03-29) Monday 09:00 moves from 08:00 to 07:00 UTC.
        (at(2026, 3, 24, 0, 0), dt.time(9, 0), "Europe/Berlin", MON, at(2026, 3, 30, 7, 0)),
        (at(2026, 3, 17, 0, 0), dt.time(9, 0), "Europe/Berlin", MON, at(2026, 3, 23, 8, 0)),
        # And back after fall-back (2026-10-25).
        (at(2026, 10, 20, 0, 0), dt.time(9, 0), "Europe/Berlin", MON, at(2026, 10, 26, 8, 0)),
        # Sunday 02:30 does not exist on 2026-03-29 in Berlin: 03:30 CEST; on 2026-10-25 it
        # happens twice: the first (CEST) counts.
        (at(2026, 3, 27, 0, 0), dt.time(2, 30), "Europe/Berlin", SUN, at(2026, 3, 29, 1, 30)),
        (at(2026, 10, 23, 0, 0), dt.time(2, 30), "Europe/Berlin", SUN, at(2026, 10, 25, 0, 30)),
    ],
)
def test_next_weekly_due(
    after: dt.datetime, time: dt.time | None, zone: str, weekday: int, due: dt.datetime
) -> None:
    assert next_weekly_due(after, time, zone, weekday) == due


def test_weekly_time_is_eight_in_the_morning() -> None:
    assert dt.time(8, 0) == WEEKLY_TIME


def test_next_weekly_due_needs_an_aware_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_weekly_due(dt.datetime(2026, 1, 5), None, "UTC", MON)


def test_rollup_due_is_the_weekly_slot_or_for_a_daily_chat_its_next_daily_time() -> None:
    now = at(2026, 1, 6, 12, 0)  # a Tuesday
    weekly = Subscription(1, weekly=True, weekday=FRI, delivery_time=dt.time(9, 0))
    assert rollup_due(now, weekly) == at(2026, 1, 9, 9, 0)
    daily = dataclasses.replace(weekly, weekly=False)
    assert rollup_due(now, daily) == at(2026, 1, 7, 9, 0)
    assert rollup_due(now, dataclasses.replace(daily, delivery_time=None)) == now


def paper(number: int, title: str, day: dt.date = MONDAY) -> Paper:
    return Paper(f"2601.{number:05d}", title, category="cs.LG", date=day)


def rollup(candidates: Sequence[Paper]) -> Delivery:
    ids = tuple(p.id for p in candidates)
    return Delivery(1, 7, MONDAY + dt.timedelta(days=3), (), at(2026, 1, 9, 8), 0,
                    RollUp(MONDAY, ids))  # fmt: skip


def test_choose_rollup_keeps_the_best_matches_up_to_its_size() -> None:
    candidates = [paper(n, f"Study {n} of graphs" if n % 2 else f"Pruning study {n}")
                  for n in range(50)]  # fmt: skip
    sub = Subscription(7, keywords=("pruning",))
    chosen = choose_rollup(rollup(candidates), candidates, sub)
    assert chosen.paper_ids == tuple(f"2601.{n:05d}" for n in range(0, 40, 2))
    assert len(chosen.paper_ids) == ROLLUP_SIZE == 20
    assert chosen.rollup == RollUp(MONDAY, tuple(p.id for p in candidates), matching=25)


def test_choose_rollup_ranks_by_keywords_and_authors_then_the_order_gathered() -> None:
    candidates = [
        paper(1, "Graphs, with a note on pruning in the abstract"),
        paper(2, "Galaxies"),
        dataclasses.replace(paper(3, "Graph work"), abstract="We study pruning."),
        paper(4, "Pruning graphs"),
    ]
    sub = Subscription(7, keywords=("pruning",))
    chosen = choose_rollup(rollup(candidates), candidates, sub, size=3)
    # Title matches first (the paper 1 and 4 titles), then the one matched in its abstract.
    assert chosen.paper_ids == ("2601.00001", "2601.00004", "2601.00003")
    assert chosen.rollup is not None
    assert chosen.rollup.matching == 3


def test_choose_rollup_leaves_out_what_the_filters_no_longer_match() -> None:
    candidates = [paper(1, "Pruning graphs"), paper(2, "A survey of pruning")]
    sub = Subscription(7, keywords=("pruning",), excludes=("survey",))
    assert choose_rollup(rollup(candidates), candidates, sub).paper_ids == ("2601.00001",)


def test_choose_rollup_shows_the_first_papers_of_the_order_it_is_given() -> None:
    """The seam for a per-chat ranking: ``order`` decides, the roll-up keeps its first ``size``."""
    candidates = [paper(n, f"Pruning study {n}") for n in range(5)]
    seen: list[tuple[str, ...]] = []

    def newest_first(matches: Sequence[MatchedPaper], sub: Subscription) -> list[MatchedPaper]:
        seen.append(tuple(m.paper.id for m in matches))
        return list(reversed(matches))

    sub = Subscription(7, keywords=("pruning",))
    chosen = choose_rollup(rollup(candidates), candidates, sub, order=newest_first, size=2)
    assert chosen.paper_ids == ("2601.00004", "2601.00003")
    assert seen == [tuple(p.id for p in candidates)]


def test_choose_rollup_refuses_a_daily_delivery() -> None:
    daily = Delivery(1, 7, MONDAY, ("2601.00001",), at(2026, 1, 5, 8))
    with pytest.raises(ValueError, match="only a roll-up"):
        choose_rollup(daily, [], Subscription(7))


ARRIVED = at(2026, 1, 6, 2, 0)  # Tuesday
PAPERS = [paper(1, "Pruning transformers"), paper(2, "Pruning graphs"), paper(3, "Galaxies")]


def plan(subs: list[Subscription], **kwargs: object) -> list[PlannedDelivery]:
    options: dict[str, object] = {"delivered": {}, "already_planned": set(), "arrived": ARRIVED}
    return list(plan_digest(DigestIndex(PAPERS), subs, **(options | kwargs)))  # type: ignore[arg-type]


def test_plan_gathers_a_weekly_chats_fresh_papers_for_its_slot() -> None:
    weekly = Subscription(1, active=True, keywords=("pruning",), weekly=True, weekday=FRI,
                          delivery_time=dt.time(9, 0), timezone="Europe/Berlin")  # fmt: skip
    daily = dataclasses.replace(weekly, chat_id=2, weekly=False)
    assert plan([weekly, daily], delivered={(1, None): {"2601.00001"}}) == [
        PlannedDelivery(1, ("2601.00002",), at(2026, 1, 9, 8, 0), rollup=True),
        PlannedDelivery(2, ("2601.00001", "2601.00002"), at(2026, 1, 6, 8, 0)),
    ]


def test_plan_gives_a_weekly_chat_with_nothing_new_a_roll_up_only_if_it_wants_the_note() -> None:
    quiet = Subscription(1, active=True, keywords=("quantum",), weekly=True)
    noted = dataclasses.replace(quiet, chat_id=2, notify_empty=True)
    done = dataclasses.replace(quiet, chat_id=3, keywords=("pruning",))
    delivered = {(3, None): {"2601.00001", "2601.00002"}}
    slot = at(2026, 1, 12, 8, 0)  # Monday 08:00 UTC, the default day and WEEKLY_TIME
    assert plan([quiet, noted, done], delivered=delivered, already_planned={(2, None)}) == [
        PlannedDelivery(2, (), slot, rollup=True)
    ]


def matched(*titles: str) -> list[MatchedPaper]:
    return [MatchedPaper(paper(n, t), keywords=("pruning",)) for n, t in enumerate(titles, 1)]


def test_rollup_summary_says_how_many_matched_and_how_many_it_shows() -> None:
    friday = dt.date(2026, 1, 9)
    page = rollup_summary(MONDAY, friday, matched("Pruning A", "Pruning B"), offset=0, total=20,
                          matching=35, page_size=2)  # fmt: skip
    assert page.splitlines()[0] == (
        "<b>Your week of arXiv, 2026-01-05 – 2026-01-09</b>: 35 papers matched your filters, "
        "the top 20 here, 1–2 below"
    )
    assert page.splitlines()[3] == "<code>cs.LG</code> · 2026-01-05"  # its digest's date
    assert "matched: pruning" in page
    alone = rollup_summary(MONDAY, MONDAY, matched("Pruning A"), offset=0, total=1, matching=1)
    assert alone.splitlines()[0] == (
        "<b>Your week of arXiv, 2026-01-05</b>: 1 paper matched your filters"
    )


def test_rollup_summary_of_nothing_is_the_one_line_note() -> None:
    assert rollup_summary(MONDAY, dt.date(2026, 1, 8), [], offset=0, total=0, matching=0) == (
        "Nothing in the arXiv digests of 2026-01-05 – 2026-01-08 matched your filters (/settings)."
    )
    assert rollup_summary(MONDAY, MONDAY, [], offset=15, total=3, matching=3) == (
        "No more papers in this summary."
    )


def test_settings_and_answers_name_the_frequency() -> None:
    weekly = Subscription(7, weekly=True, weekday=FRI, timezone="Europe/Berlin")
    text = settings_text(weekly, would_match=None, digest_date=None)
    assert "Frequency: weekly, the top 20 papers on Fridays\n" in text
    assert "Delivery: at 08:00 (the weekly summary's time when /time is off)\n" in text
    assert "/frequency" in text
    assert messages.frequency_set(weekly, gathered=False) == (
        "From the next digest, its papers are gathered into one summary of the week's top 20, "
        "on Fridays at 08:00 (Europe/Berlin). Summaries already planned still come."
    )
    daily = dataclasses.replace(weekly, weekly=False, delivery_time=dt.time(9, 30))
    assert "Frequency: daily, a summary of each digest\n" in settings_text(
        daily, would_match=None, digest_date=None
    )
    assert messages.frequency_set(daily, gathered=True) == (
        "Each new digest will bring its own summary again. The papers gathered for your weekly "
        "summary come at 09:30 (Europe/Berlin)."
    )
    assert messages.frequency_set(daily, gathered=False) == (
        "Each new digest will bring its own summary again."
    )
    assert messages.time_set(dataclasses.replace(weekly, delivery_time=dt.time(7, 15))) == (
        "Your weekly summary will come on Fridays at 07:15 (Europe/Berlin)."
    )
