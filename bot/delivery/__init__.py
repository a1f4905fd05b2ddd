"""The pipeline's I/O: reading sources, storing digests, planning and sending deliveries at
Telegram's pace.

Below ``handlers``: it may use the store, the pure packages and the wiring's leaves
(``bot.config``, ``bot.markup``), never a handler.
"""
