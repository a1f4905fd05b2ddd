"""A small RIS reader for the tests, stricter than the importers: every line ``TAG  - value``
ended by CR LF, each record from ``TY`` to ``ER``, nothing outside one."""

from __future__ import annotations

import re

LINE = re.compile(r"([A-Z][A-Z0-9])  - (.*)")

Record = dict[str, list[str]]


def read_ris(text: str) -> list[Record]:
    """The records of ``text``, each a tag -> its values in order, TY kept, ER dropped."""
    if text and not text.endswith("\r\n"):
        raise ValueError("the last line is not ended by CR LF")
    records: list[Record] = []
    current: Record | None = None
    for number, line in enumerate(text.split("\r\n")[:-1], start=1):
        match = LINE.fullmatch(line)
        if match is None:
            raise ValueError(f"line {number} is not 'TAG  - value': {line!r}")
        tag, value = match.groups()
        if tag == "TY":
            if current is not None:
                raise ValueError(f"line {number}: a record starts before the last one ended")
            current = {"TY": [value]}
        elif current is None:
            raise ValueError(f"line {number}: {tag} outside a record")
        elif tag == "ER":
            if value:
                raise ValueError(f"line {number}: ER carries a value")
            records.append(current)
            current = None
        else:
            current.setdefault(tag, []).append(value)
    if current is not None:
        raise ValueError("the last record has no ER")
    return records
