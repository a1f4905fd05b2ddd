"""The delivery ledger: which chat gets which papers of which digest, and what became of it."""

from __future__ import annotations

DELIVERIES_SCHEMA: tuple[str, ...] = ()
