"""Button payloads round-trip for their own chat and are refused when forged, altered or moved."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.text.callbacks import MAX_BYTES, CallbackCodec, CallbackTooLongError

CODEC = CallbackCodec.for_token("123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcd")


def test_codec_round_trips_fields_for_the_same_chat() -> None:
    data = CODEC.encode(42, "p", "2510.19260", "abstract")
    assert CODEC.decode(42, data) == ("p", "2510.19260", "abstract")
    assert len(data.encode()) <= MAX_BYTES


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "p|2510.19260|abstract",
        "garbage",
        "p|2510.19260|abstract|AAAAAAAAAA",
        "|" * 64,
        "🙂" * 16,
        "sub|é",
        "p|2510.19498|card|日本語",
        "p|\x00",
    ],
)
def test_codec_refuses_data_it_did_not_issue(data: str | None) -> None:
    assert CODEC.decode(42, data) is None


def test_codec_refuses_a_payload_from_another_chat() -> None:
    assert CODEC.decode(43, CODEC.encode(42, "tog", "cs.LG")) is None


def test_codec_refuses_an_altered_field() -> None:
    data = CODEC.encode(42, "tog", "cs.LG")
    assert CODEC.decode(42, data.replace("cs.LG", "cs.AI")) is None


def test_codec_refuses_payloads_signed_with_another_key() -> None:
    other = CallbackCodec.for_token("654321:ABCDEFGHIJKLMNOPQRSTUVWXYZabcd")
    assert CODEC.decode(42, other.encode(42, "sub")) is None


def test_codec_rejects_payloads_over_64_bytes() -> None:
    with pytest.raises(CallbackTooLongError):
        CODEC.encode(42, "s", "x" * 60)


def test_codec_rejects_separator_inside_a_field() -> None:
    with pytest.raises(ValueError, match="may not contain"):
        CODEC.encode(42, "a|b")


@given(st.text(), st.integers())
def test_codec_decode_of_any_text_is_refused_or_fields_never_an_exception(
    data: str, chat_id: int
) -> None:
    """Any client can send any text as a button press: it is refused, never a crash."""
    assert CODEC.decode(chat_id, data) in (None, tuple(data.rpartition("|")[0].split("|")))


FIELD_TEXT = st.text(
    alphabet=st.characters(exclude_characters="|", exclude_categories=("Cs",)), max_size=8
)
"""What the bot puts in a field: any text but the separator (a lone surrogate is not text
Python can encode; forged data with one is covered by the decode test above)."""


@given(st.lists(FIELD_TEXT, max_size=3))
def test_codec_round_trips_any_fields_that_fit(fields: list[str]) -> None:
    try:
        data = CODEC.encode(7, "x", *fields)
    except CallbackTooLongError:
        return
    assert CODEC.decode(7, data) == ("x", *fields)
