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
from bot.text.language import N_, Locale
from handlers import (
    atom,
    basic,
    categories,
    digests,
    feed,
    inline,
    language,
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

    def describe(self, tr: Locale) -> str:
        """The summary in ``tr``'s language."""
        return tr.gettext(self.summary) % {"size": ROLLUP_SIZE}


async def help_command(update: Update, context: BotContext) -> None:
    """/help: every command with a one-line description and examples."""
    tr = context.tr(update)
    entries = [(c.name, c.describe(tr), c.aliases, c.examples) for c in COMMANDS if not c.admin]
    await reply(update, messages.help_text(entries, private=is_private(update), tr=tr))


COMMANDS: tuple[Command, ...] = (
    Command("start", N_("what this bot does, with a button to subscribe"), basic.start_command),
    Command("help", N_("this list"), help_command),
    Command("paper", N_("a paper's card: TL;DR and buttons for the details"), papers.paper_command,
            ("2510.19260", "https://arxiv.org/abs/2510.19260v2")),
    Command("search", N_("ranked search over all digests"), search.search_command,
            ("graph pruning", '"mixture of experts" -survey cat:cs.LG', "剪枝")),
    Command("similar", N_("papers like this one, from all digests, and the words they share"),
            similar.similar_command, ("2510.19260",)),
    Command("saved", N_("your saved papers, newest first (⭐ Save under any paper); as a file"),
            library.saved_command, ("export bibtex", "export ris")),
    Command("foryou", N_("the best papers of the last 7 days for you, by your ratings"),
            feed.foryou_command),
    Command("latest", N_("the newest digest: its size and categories"), digests.latest_command),
    Command("category", N_("a category's papers in the newest digest; without one, the list"),
            digests.category_command, ("cs.LG",), aliases=("cat",)),
    Command("subscribe", N_("receive the papers that match your filters"),
            subscription.subscribe_command),
    Command("unsubscribe", N_("stop receiving digests (settings are kept)"),
            subscription.unsubscribe_command),
    Command("categories", N_("choose categories by tapping, or name them"),
            categories.categories_command, ("cs.LG cs.DC", "all")),
    Command("keywords", N_("words or phrases a paper should contain"), lists.keywords_command,
            ("add pruning", 'add "graph neural"', "remove pruning")),
    Command("exclude", N_("words that drop a paper"), lists.exclude_command, ("add survey",)),
    Command("authors", N_("people to follow"), lists.authors_command,
            ("add Geoffrey Hinton", "remove Hinton")),
    Command("frequency",
            N_("a summary per digest (daily), or the week's top %(size)d on a day (weekly)"),
            subscription.frequency_command, ("weekly", "weekly fri", "daily")),
    Command("time", N_("when to deliver, in your time zone; off = as soon as published"),
            subscription.time_command, ("08:30", "off")),
    Command("timezone", N_("your time zone (IANA name)"), subscription.timezone_command,
            ("Europe/Berlin", "Asia/Shanghai")),
    Command("empty", N_("a one-line note when a digest has nothing for you (on), or silence (off)"),
            subscription.empty_command, ("on", "off")),
    Command("ranking", N_("order your matches by what you rate 👍, 👎 and ⭐ (on), or by keywords"),
            feed.ranking_command, ("on", "off")),
    Command("suggest", N_("up to 5 papers beyond your filters that your ratings rank high"),
            feed.suggest_command, ("on", "off")),
    Command("summaries", N_("the language of the AI summaries you read: zh, en, ja, or any"),
            summaries.summaries_command, ("zh", "en", "any")),
    Command("language", N_("the language I speak in this chat"), language.language_command,
            ("zh", "en")),
    Command("settings", N_("everything above, and what today's digest would send"),
            subscription.settings_command),
    Command("feed", N_("your matches of the last two weeks as a private Atom feed, for a feed "
                       "reader; reset makes a new link"), atom.feed_command, ("reset",)),
    Command("forget", N_("delete your saved papers and ratings (asks first)"),
            library.forget_command),
    Command("stats", N_("users, subscribers, digests, papers, last ingest"), basic.stats_command,
            admin=True),
)  # fmt: skip


def bot_commands(tr: Locale) -> list[BotCommand]:
    """The command menu sent with setMyCommands, in ``tr``'s language."""
    return [BotCommand(c.name, c.describe(tr)) for c in COMMANDS if not c.admin]


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
