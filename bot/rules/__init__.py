"""Decisions (pure): the query language, matching, delivery planning, schedules, pacing windows,
the flood guard, source specs and the rules for failing sources.

Functions over plain values; the caller passes the time. Imports only ``bot.models``,
``bot.arxiv_id`` and this package.
"""
