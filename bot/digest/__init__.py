"""The digest parser (pure): ``bot.digest.parse.parse_digest(text, date=...)`` -> ``Digest``.

Every layout of the upstream and its forks, Markdown and JSONL, placeholders and the merging of
two records of one paper. Imports only ``bot.models``, ``bot.arxiv_id`` and this package.
"""
