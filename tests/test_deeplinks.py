"""t.me start links: a paper id written with the characters a payload allows, and read back."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.text.deeplinks import paper_id_from, paper_payload, start_link

TELEGRAM_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")


@pytest.mark.parametrize(
    ("paper_id", "payload"),
    [
        ("2510.19260", "p_2510_19260"),
        ("0704.0001", "p_0704_0001"),
        ("hep-th/9901001", "p_hep-th-9901001"),
        ("math.GT/0309136", "p_math_GT-0309136"),
        ("cond-mat/0102536", "p_cond-mat-0102536"),
        ("astro-ph/0001001", "p_astro-ph-0001001"),
        ("cs/0112017", "p_cs-0112017"),
    ],
)
def test_paper_payload_round_trips(paper_id: str, payload: str) -> None:
    assert paper_payload(paper_id) == payload
    assert paper_id_from(payload.removeprefix("p_")) == paper_id


new_ids = st.builds(
    "{:02d}{:02d}.{}".format,
    st.integers(7, 99),
    st.integers(1, 12),
    st.from_regex(r"[0-9]{4,5}", fullmatch=True),
)
old_ids = st.builds(
    "{}/{}".format,
    st.from_regex(r"[a-z]{1,12}(-[a-z]{1,8})?(\.[A-Z]{2})?", fullmatch=True),
    st.from_regex(r"[0-9]{7}", fullmatch=True),
)


@given(new_ids | old_ids)
def test_paper_payload_is_a_telegram_payload_that_reads_back_exactly(paper_id: str) -> None:
    payload = paper_payload(paper_id)
    assert TELEGRAM_PAYLOAD.fullmatch(payload)
    assert paper_id_from(payload.removeprefix("p_")) == paper_id


@pytest.mark.parametrize(
    "argument",
    [
        "",
        "2510_19260v2",  # a version: the link names a paper, never one of its versions
        "2513_00001",  # no 13th month
        "HEP-TH-9901001",  # not how a payload of ours writes it
        "hep-th-990100",
        "hep-th_9901001",
        "2510-19260",
        "2510.19260",
        "x",
    ],
)
def test_paper_id_from_refuses_what_no_link_of_ours_holds(argument: str) -> None:
    assert paper_id_from(argument) is None


def test_start_link_opens_the_bot_with_the_payload() -> None:
    assert start_link("digest_bot", "p_2510_19260") == "https://t.me/digest_bot?start=p_2510_19260"


@pytest.mark.parametrize("payload", ["", "p_2510.19260", "p/x", "x" * 65, "p 1"])
def test_start_link_refuses_a_payload_telegram_would_not_pass(payload: str) -> None:
    with pytest.raises(ValueError, match="not a start payload"):
        start_link("digest_bot", payload)
