"""reply_markup validation with the Bot API's wording (telegram-bot-api ``get_reply_markup``)."""

from typing import Any

from .errors import bad_request

MAX_BUTTONS = 100
MAX_CALLBACK_DATA_BYTES = 64
ACTION_FIELDS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
URL_SCHEMES = ("http://", "https://", "tg://")


def _button(button: Any) -> dict[str, Any]:
    prefix = "can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise bad_request(prefix + "InlineKeyboardButton must be an Object")
    if not isinstance(button.get("text"), str):
        raise bad_request(prefix + 'Field "text" must be of type String')
    actions = [name for name in ACTION_FIELDS if button.get(name) not in (None, "")]
    if not actions:
        raise bad_request(prefix + "Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        # Stricter than the server, which silently takes the first field; the docs say
        # "exactly one of the optional fields must be used".
        raise bad_request(prefix + "exactly one of the optional fields must be used")
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    data = button.get("callback_data")
    if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
        raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and not str(url).lower().startswith(URL_SCHEMES):
        raise bad_request("BUTTON_URL_INVALID")
    return button


def _inline_keyboard(rows: Any) -> dict[str, Any] | None:
    shape = 'Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array'
    if not isinstance(rows, list):
        raise bad_request(shape)
    if not all(isinstance(row, list) for row in rows):
        raise bad_request(shape + " of Arrays")
    keyboard = [[_button(button) for button in row] for row in rows]
    if sum(map(len, keyboard)) > MAX_BUTTONS:
        raise bad_request("reply markup is too long")
    return {"inline_keyboard": keyboard} if keyboard else None


def validate_reply_markup(markup: Any) -> dict[str, Any] | None:
    """Check a decoded reply_markup; return the inline keyboard Telegram stores, if any."""
    if markup is None or markup == "":
        return None
    if isinstance(markup, str):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if not isinstance(markup, dict):
        raise bad_request("object expected as reply markup")
    if "inline_keyboard" in markup:
        return _inline_keyboard(markup["inline_keyboard"])
    return None
