"""Keyboards as values: what a card's buttons show and carry, within Telegram's 64 bytes."""

import pytest

from bot.models import Paper, PaperMark
from bot.text.callbacks import MAX_BYTES, CallbackCodec
from bot.text.cards import SECTIONS
from bot.text.keyboards import Button, Buttons

CODEC = CallbackCodec.for_token("123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcd")
PAPER = Paper(id="2510.19260", title="Graph pruning")
OLD = Paper(id="math.GT/0309136", title="Old style")


def library_row(mark: PaperMark | None) -> list[tuple[str, tuple[str, ...]]]:
    buttons = Buttons(CODEC, 42)
    keyboard = buttons.paper(PAPER, mark=mark)
    row = keyboard[-2]
    return [(b.text, CODEC.decode(42, b.data) or ()) for b in row]


@pytest.mark.parametrize(
    ("mark", "expected"),
    [
        (
            PaperMark(),
            [
                ("⭐ Save", ("sv", "2510.19260", "1", "card")),
                ("👍", ("r", "2510.19260", "1", "card")),
                ("👎", ("r", "2510.19260", "-1", "card")),
            ],
        ),
        (
            PaperMark(saved=True, rating=1),
            [
                ("★ Saved", ("sv", "2510.19260", "0", "card")),
                ("👍 ✓", ("r", "2510.19260", "0", "card")),
                ("👎", ("r", "2510.19260", "-1", "card")),
            ],
        ),
        (
            None,
            [
                ("⭐ Save", ("sv", "2510.19260", "~", "card")),
                ("👍", ("r", "2510.19260", "~1", "card")),
                ("👎", ("r", "2510.19260", "~-1", "card")),
            ],
        ),
    ],
)
def test_keyboards_card_library_row_shows_the_state_and_asks_for_the_next(
    mark: PaperMark | None, expected: list[tuple[str, tuple[str, ...]]]
) -> None:
    assert library_row(mark) == expected


def test_keyboards_card_shares_with_an_inline_query_only_when_asked() -> None:
    buttons = Buttons(CODEC, 42)
    assert buttons.paper(PAPER)[-1] == (buttons.button("🔗 Similar", "m", PAPER.id),)
    shared = buttons.paper(PAPER, share=True)[-1]
    assert shared[1] == Button("↗ Share", inline_query="2510.19260")


@pytest.mark.parametrize("showing", ["card", *SECTIONS])
@pytest.mark.parametrize("mark", [None, PaperMark(saved=True, rating=-1)])
def test_keyboards_every_card_payload_fits_telegrams_64_bytes(
    showing: str, mark: PaperMark | None
) -> None:
    keyboard = Buttons(CODEC, -1001234567890).paper(OLD, showing=showing, mark=mark, share=True)
    for row in keyboard:
        for button in row:
            assert button.data is None or len(button.data.encode()) <= MAX_BYTES


def test_keyboards_entries_number_from_the_offset_five_to_a_row() -> None:
    keyboard = Buttons(CODEC, 42).entries([f"2510.{n:05d}" for n in range(7)], offset=8)
    assert [[b.text for b in row] for row in keyboard] == [
        ["9", "10", "11", "12", "13"],
        ["14", "15"],
    ]
    assert CODEC.decode(42, keyboard[1][1].data) == ("o", "2510.00006")
