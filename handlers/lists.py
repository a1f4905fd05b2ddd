"""/keywords, /exclude and /authors: add, remove, clear and list a chat's words and names."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from telegram import Update

from bot.rules.entry_lists import ListChange, add_entries, remove_entries
from bot.rules.filters import (
    InvalidFilterError,
    clean_keyword,
    validate_author,
    validate_keyword,
)
from bot.text import messages
from bot.text.language import N_
from handlers.context import BotContext
from handlers.guard import may_change_settings
from handlers.replies import reply
from handlers.subscription import current, save

MAX_ENTRIES = 50
_WORDS = re.compile(r'"[^"]*"|“[^”]*”|\S+')


@dataclasses.dataclass(frozen=True)
class ListKind:
    command: str
    field: str
    say_which: dict[str, str]
    """``add``, ``remove`` -> the refusal of the action without a value."""
    too_many: str
    """The refusal of an ``add`` beyond ``MAX_ENTRIES``."""
    validate: Callable[[str], str]
    """A value to add, as stored."""
    clean: Callable[[str], str]
    """A value to remove, as it would have been stored (by older rules too)."""
    one_per_message: bool
    """Authors' names contain spaces: the rest of the message is one name."""
    examples: tuple[str, ...]


KEYWORDS = ListKind(
    "keywords",
    "keywords",
    {"add": N_("Say which keyword to add."), "remove": N_("Say which keyword to remove.")},
    N_("A chat can have at most %(max)d keywords: remove one first."),
    validate_keyword,
    clean_keyword,
    False,
    ("add pruning", 'add "graph neural"'),
)
EXCLUDES = ListKind(
    "exclude",
    "excludes",
    {
        "add": N_("Say which excluded word to add."),
        "remove": N_("Say which excluded word to remove."),
    },
    N_("A chat can have at most %(max)d excluded words: remove one first."),
    validate_keyword,
    clean_keyword,
    False,
    ("add survey",),
)
AUTHORS = ListKind(
    "authors",
    "authors",
    {"add": N_("Say which author to add."), "remove": N_("Say which author to remove.")},
    N_("A chat can follow at most %(max)d authors: remove one first."),
    validate_author,
    validate_author,
    True,
    ("add Geoffrey Hinton", "remove Hinton"),
)


def _values(kind: ListKind, action: str, rest: str) -> list[str]:
    raw = [rest] if kind.one_per_message else _WORDS.findall(rest)
    check = kind.validate if action == "add" else kind.clean
    return [check(value) for value in raw]


async def edit_list(update: Update, context: BotContext, kind: ListKind) -> None:
    sub, tr = current(update, context), context.tr(update)
    entries: tuple[str, ...] = getattr(sub, kind.field)
    action, _, rest = " ".join(context.args or ()).partition(" ")
    action = action.casefold()
    if action in ("", "list"):
        await reply(update, messages.list_entries(kind.command, entries, tr=tr))
        return
    if action not in ("add", "remove", "clear"):
        usage = messages.usage(kind.command, "add|remove <value> | clear", *kind.examples, tr=tr)
        await reply(update, usage)
        return
    if not await may_change_settings(update, context):
        await reply(update, tr.gettext(messages.GROUP_SETTINGS_ADMINS_ONLY))
        return
    try:
        values = _values(kind, action, rest) if action != "clear" else []
        if action != "clear" and not values:
            raise InvalidFilterError(kind.say_which[action])
        change = _apply(kind, entries, action, values)
        if len(change.entries) > MAX_ENTRIES:
            raise InvalidFilterError(kind.too_many, max=MAX_ENTRIES)
    except InvalidFilterError as exc:
        await reply(update, messages.refusal(exc, tr))
        return
    if change.entries != entries:
        updated: dict[str, Any] = {kind.field: change.entries}
        sub = dataclasses.replace(sub, **updated)
        save(context, sub)
    text = messages.list_entries(kind.command, change.entries, tr=tr)
    if change.unchanged:
        text = f"{messages.list_unchanged(action, change.unchanged, tr=tr)}\n\n{text}"
    await reply(update, messages.with_subscribe_hint(text, sub.active, tr=tr))


def _apply(kind: ListKind, entries: tuple[str, ...], action: str, values: list[str]) -> ListChange:
    if action == "clear":
        return ListChange(())
    if action == "remove":
        return remove_entries(entries, values, by_name=kind is AUTHORS)
    return add_entries(entries, values)


async def keywords_command(update: Update, context: BotContext) -> None:
    """/keywords [add|remove <word or "phrase">|clear]."""
    await edit_list(update, context, KEYWORDS)


async def exclude_command(update: Update, context: BotContext) -> None:
    """/exclude [add|remove <word>|clear]: words that drop a paper."""
    await edit_list(update, context, EXCLUDES)


async def authors_command(update: Update, context: BotContext) -> None:
    """/authors [add|remove <name>|clear]: people to follow."""
    await edit_list(update, context, AUTHORS)
