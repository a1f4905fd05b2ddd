"""/keywords, /exclude and /authors: add, remove, clear and list a chat's words and names."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from telegram import Update

from bot.rules.filters import InvalidFilterError, validate_author, validate_keyword
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
    validate: Callable[[str], str]
    one_per_message: bool
    """Authors' names contain spaces: the rest of the message is one name."""
    examples: tuple[str, ...]


KEYWORDS = ListKind(
    "keywords",
    "keywords",
    {"add": N_("Say which keyword to add."), "remove": N_("Say which keyword to remove.")},
    validate_keyword,
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
    validate_keyword,
    False,
    ("add survey",),
)
AUTHORS = ListKind(
    "authors",
    "authors",
    {"add": N_("Say which author to add."), "remove": N_("Say which author to remove.")},
    validate_author,
    True,
    ("add Geoffrey Hinton", "remove Hinton"),
)


def _values(kind: ListKind, rest: str) -> list[str]:
    raw = [rest] if kind.one_per_message else _WORDS.findall(rest)
    return [kind.validate(value) for value in raw]


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
        values = _values(kind, rest) if action != "clear" else []
        if action != "clear" and not values:
            raise InvalidFilterError(kind.say_which[action])
        updated = _apply(entries, action, values)
        if len(updated) > MAX_ENTRIES:
            raise InvalidFilterError(
                N_("A chat can have at most %(max)d of these."), max=MAX_ENTRIES
            )
    except InvalidFilterError as exc:
        await reply(update, messages.refusal(exc, tr))
        return
    change: dict[str, Any] = {kind.field: updated}
    save(context, dataclasses.replace(sub, **change))
    await reply(update, messages.list_entries(kind.command, updated, tr=tr))


def _apply(entries: tuple[str, ...], action: str, values: list[str]) -> tuple[str, ...]:
    if action == "clear":
        return ()
    folded = {v.casefold() for v in values}
    if action == "remove":
        return tuple(e for e in entries if e.casefold() not in folded)
    known = {e.casefold() for e in entries}
    added = [v for v in dict.fromkeys(values) if v.casefold() not in known]
    return (*entries, *added)


async def keywords_command(update: Update, context: BotContext) -> None:
    """/keywords [add|remove <word or "phrase">|clear]."""
    await edit_list(update, context, KEYWORDS)


async def exclude_command(update: Update, context: BotContext) -> None:
    """/exclude [add|remove <word>|clear]: words that drop a paper."""
    await edit_list(update, context, EXCLUDES)


async def authors_command(update: Update, context: BotContext) -> None:
    """/authors [add|remove <name>|clear]: people to follow."""
    await edit_list(update, context, AUTHORS)
