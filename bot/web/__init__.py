"""The bot's one HTTP server: Telegram's webhook posts, and what operators and feed readers fetch.

Above the handlers: routes reach the store and settings through the application's services.
"""
