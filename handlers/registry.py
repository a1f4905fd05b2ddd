"""The command table: it registers the handlers, writes /help and sets the bot's command menu."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.rules.weekly import ROLLUP_SIZE
from bot.text import messages
from handlers import (
    basic,
    categories,
    digests,
    feed,
    inline,
    library,
    lists,
    papers,
    search,
    similar,
    subscription,
    summaries,
)
from handlers.buttons import on_button
from handlers.context import BotContext
from handlers.errors import on_error
from handlers.guard import track_chat
from handlers.replies import is_private, reply

Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    summary: str
    callback: Callback
    examples: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    admin: bool = False
    """Left out of /help and the command menu; others get the unknown-command answer."""


async def help_command(update: Update, context: BotContext) -> None:
    """/help: every command with a one-line description and examples."""
    entries = [(c.name, c.summary, c.aliases, c.examples) for c in COMMANDS if not c.admin]
    await reply(update, messages.help_text(entries, examples=is_private(update)))


COMMANDS: tuple[Command, ...] = (
    Command("start", "what this bot does, with a button to subscribe", basic.start_command),
    Command("help", "this list", help_command),
    Command("paper", "a paper's card: TL;DR and buttons for the details", papers.paper_command,
            ("2510.19260", "https://arxiv.org/abs/2510.19260v2")),
    Command("search", "ranked search over all digests", search.search_command,
            ("graph pruning", '"mixture of experts" -survey cat:cs.LG', "剪枝")),
    Command("similar", "papers like this one, from all digests, and the words they share",
            similar.similar_command, ("2510.19260",)),
    Command("saved", "your saved papers, newest first (⭐ Save under any paper); as a file",
            library.saved_command, ("export bibtex", "export ris")),
    Command("foryou", "the best papers of the last 7 days for you, by your ratings",
            feed.foryou_command),
    Command("latest", "the newest digest: its size and categories", digests.latest_command),
    Command("category", "a category's papers in the newest digest; without one, the list",
            digests.category_command, ("cs.LG",), aliases=("cat",)),
    Command("subscribe", "receive the papers that match your filters",
            subscription.subscribe_command),
    Command("unsubscribe", "stop receiving digests (settings are kept)",
            subscription.unsubscribe_command),
    Command("categories", "choose categories by tapping, or name them",
            categories.categories_command, ("cs.LG cs.DC", "all")),
    Command("keywords", "words or phrases a paper should contain", lists.keywords_command,
            ("add pruning", 'add "graph neural"', "remove pruning")),
    Command("exclude", "words that drop a paper", lists.exclude_command, ("add survey",)),
    Command("authors", "people to follow", lists.authors_command,
            ("add Geoffrey Hinton", "remove Hinton")),
    Command("frequency",
            f"a summary per digest (daily), or the week's top {ROLLUP_SIZE} on a day (weekly)",
            subscription.frequency_command, ("weekly", "weekly fri", "daily")),
    Command("time", "when to deliver, in your time zone; off = as soon as published",
            subscription.time_command, ("08:30", "off")),
    Command("timezone", "your time zone (IANA name)", subscription.timezone_command,
            ("Europe/Berlin", "Asia/Shanghai")),
    Command("empty", "a one-line note when a digest has nothing for you (on), or silence (off)",
            subscription.empty_command, ("on", "off")),
    Command("ranking", "order your matches by what you rate 👍, 👎 and ⭐ (on), or by keywords",
            feed.ranking_command, ("on", "off")),
    Command("suggest", "up to 5 papers beyond your filters that your ratings rank high",
            feed.suggest_command, ("on", "off")),
    Command("summaries", "the language of the AI summaries you read: zh, en, ja, or any",
            summaries.summaries_command, ("zh", "en", "any")),
    Command("settings", "everything above, and what today's digest would send",
            subscription.settings_command),
    Command("forget", "delete your saved papers and ratings (asks first)",
            library.forget_command),
    Command("stats", "users, subscribers, digests, papers, last ingest", basic.stats_command,
            admin=True),
)  # fmt: skip


def bot_commands() -> list[BotCommand]:
    """The command menu sent with setMyCommands."""
    return [BotCommand(c.name, c.summary) for c in COMMANDS if not c.admin]


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(TypeHandler(Update, track_chat), group=-2)
    for command in COMMANDS:
        app.add_handler(CommandHandler((command.name, *command.aliases), command.callback))
    app.add_handler(MessageHandler(filters.COMMAND, basic.unknown_command))
    app.add_handler(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE, search.text_message
        )
    )
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(inline.handler())
    app.add_error_handler(on_error)
