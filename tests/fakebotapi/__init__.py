"""A strict fake Telegram Bot API server for end-to-end tests (see server.FakeBotApi)."""

from .errors import ApiError
from .server import Call, FakeBotApi

__all__ = ["ApiError", "Call", "FakeBotApi"]
