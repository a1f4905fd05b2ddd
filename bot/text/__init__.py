"""What the bot says (pure): Telegram HTML for cards, lists and messages, its length and
splitting as Telegram counts them, signed button payloads and keyboards, the page of a delivery.

Imports only ``bot.models``, ``bot.arxiv_id``, ``bot.rules`` and this package.
"""
