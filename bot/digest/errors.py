"""The one exception the digest parser raises (kept apart so every parser module can raise it)."""

from __future__ import annotations


class DigestParseError(ValueError):
    """The text is definitely corrupt (a JSONL line that is not JSON, NUL bytes), not just odd."""

    def __init__(self, reason: str, *, line: int | None = None) -> None:
        self.line = line
        self.reason = reason
        super().__init__(f"line {line}: {reason}" if line is not None else reason)
