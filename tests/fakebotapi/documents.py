"""sendDocument: an uploaded file (multipart/form-data), or one sent before by its file_id.

As the Bot API documents it: a file of at most 50 MB, a caption of 0-1024 characters after
entity parsing (HTML checked as for texts), a reachable chat and a valid keyboard. The fake
keeps every uploaded file's bytes, so a test can read what the bot sent.
"""

import hashlib
from typing import Any

from .errors import ApiError, bad_request
from .markup import validate_reply_markup
from .messages import new_message
from .params import Params, Upload
from .state import Json, State
from .text import format_caption

MAX_UPLOAD_BYTES = 50_000_000
""""50 MB" for uploads, read as python-telegram-bot's FileSizeLimit.FILESIZE_UPLOAD does (the
smaller reading, so the fake never lets through what Telegram might refuse)."""


def too_large() -> ApiError:
    """Telegram's answer to a file over the limit (python-telegram-bot raises NetworkError)."""
    return ApiError(413, "Request Entity Too Large")


def _stored(state: State, upload: Upload) -> Json:
    """The Document object of an upload, its bytes kept under its file_id."""
    digest = hashlib.sha256(upload.data).hexdigest()
    document = {
        "file_id": f"BQAC{digest[:40]}{len(state.files):04d}",
        "file_unique_id": f"AgAD{digest[:12]}",
        "file_name": upload.file_name,
        "mime_type": upload.mime_type,
        "file_size": len(upload.data),
    }
    state.files[document["file_id"]] = (document, upload.data)
    return document


def _document(state: State, value: Any) -> Json:
    if value is None or value == "":
        raise bad_request("there is no document in the request")
    if isinstance(value, Upload):
        if not value.data:
            raise bad_request("file must be non-empty")
        if len(value.data) > MAX_UPLOAD_BYTES:
            raise too_large()
        return _stored(state, value)
    if str(value) in state.files:
        return state.files[str(value)][0]
    raise bad_request("wrong file identifier/HTTP URL specified")


def send_document(state: State, params: Params) -> Json:
    document = _document(state, params.get("document"))
    caption, entities = format_caption(
        params.get("caption"), params.get("parse_mode"), params.get("caption_entities")
    )
    markup = validate_reply_markup(params.get("reply_markup"))
    message = new_message(state, params)
    message["document"] = document
    if caption:
        message["caption"] = caption
    if entities:
        message["caption_entities"] = entities
    if markup:
        message["reply_markup"] = markup
    return message
