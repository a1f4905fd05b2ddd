"""``/saved export <format>``: a person's saved papers as one file (BibTeX, RIS, Markdown, CSV)."""

from __future__ import annotations

from telegram import Update

from bot.models import SavedPage
from bot.text import exports
from handlers.context import BotContext
from handlers.replies import reply, reply_document
from storage.store import Store

MAX_EXPORTED = 10_000
"""The newest saved papers an export holds: 10,000 make a file of a few MB in about a second."""


async def export_saved(update: Update, context: BotContext, fmt: str) -> None:
    """Send the person's saved papers, newest save first, as a file in format ``fmt``.

    An unknown format, an empty library or a file over Telegram's 50 MB each get one sentence.
    The papers are read and written in a reader thread, so the bot goes on answering meanwhile.
    """
    user, tr = update.effective_user, context.tr(update)
    export = exports.find_format(fmt)
    if user is None:
        return
    if export is None:
        await reply(update, exports.unknown_format(fmt, tr=tr))
        return

    def read_and_write(store: Store) -> tuple[SavedPage, bytes]:
        saved = store.saved_papers(user.id, limit=MAX_EXPORTED)
        return saved, export.encode(export.render(saved.papers))

    saved, data = await context.services.reads.run(read_and_write)
    if not saved.papers:
        await reply(update, tr.gettext(exports.NOTHING_SAVED))
        return
    if len(data) > exports.MAX_DOCUMENT_BYTES:
        await reply(update, exports.too_large(export, len(data), tr=tr))
        return
    await reply_document(
        update,
        data,
        file_name=export.file_name(context.services.now().date()),
        mime_type=export.mime_type,
        caption=exports.export_caption(export, len(saved.papers), saved.total, tr=tr),
    )
