"""Measure the library export: a person's saved papers read from SQLite and written in each format.

Usage: python bench/bench_export.py [--corpus ../shared/digests] [--papers 1000] [--runs 5]

The papers are the corpus's own (each once; repeated under new ids when the corpus has fewer),
stored in a fresh database and all saved by one person. Timed, ``--runs`` times each, best and
median: reading them as ``/saved export`` does (``Store.saved_papers``), then each format's
text and its bytes (``ExportFormat.render`` and ``encode``), with the file's size against
Telegram's 50 MB. The baseline, in the same run: ``json.dumps`` of the same papers (the fields
of ``digestbot parse --json``), the cheapest serialisation there is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TypeVar

from bot.cli.output import paper_json
from bot.digest.errors import DigestParseError
from bot.digest.parse import date_from_name, parse_digest
from bot.models import Digest, Paper
from bot.text.exports import EXPORT_FORMATS, MAX_DOCUMENT_BYTES, ExportFormat
from storage.store import Store

ROOT = Path(__file__).resolve().parents[1]
PERSON = 7
T = TypeVar("T")
NOW = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def corpus_papers(folder: Path, count: int) -> list[Paper]:
    """``count`` papers from the digests in ``folder``, each id once, renamed when repeated."""
    found: dict[str, Paper] = {}
    for path in sorted(p for p in folder.rglob("*") if p.suffix in (".md", ".jsonl")):
        try:
            digest = parse_digest(path.read_text(encoding="utf-8"), date=date_from_name(path.name))
        except DigestParseError:
            continue
        for paper in digest.papers:
            found.setdefault(paper.id, paper)
    if not found:
        sys.exit(f"no paper in {folder}")
    unique = list(found.values())
    rounds = -(-count // len(unique))
    papers = [
        replace(paper, id=f"{paper.id}{n}" if n else paper.id)
        for n in range(rounds)
        for paper in unique
    ]
    return papers[:count]


def saved_store(path: Path, papers: list[Paper]) -> Store:
    store = Store.open(path)
    store.ingest(
        Digest(date=NOW.date(), papers=tuple(papers)), source="bench", content_hash="b", now=NOW
    )
    for minute, paper in enumerate(papers):
        store.set_saved(PERSON, paper.id, True, now=NOW + dt.timedelta(minutes=minute))
    return store


def timed(work: Callable[[], T], runs: int) -> tuple[float, float, T]:
    """Best and median milliseconds of ``runs`` calls (at least one), and the last one's result."""
    times = []
    for _ in range(max(runs, 1)):
        start = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times), result


def written(export: ExportFormat, papers: Sequence[Paper]) -> bytes:
    return export.encode(export.render(papers))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "digests")
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    papers = corpus_papers(args.corpus, args.papers)
    with tempfile.TemporaryDirectory() as folder:
        store = saved_store(Path(folder) / "bench.db", papers)
        best, median, page = timed(lambda: store.saved_papers(PERSON, limit=10_000), args.runs)
        store.close()
    saved = page.papers
    assert len(saved) == len(papers)
    print(f"export: {len(saved):,} saved papers from {args.corpus}, best / median of {args.runs}")
    print(f"  {'read (Store.saved_papers)':<28} {best:8.1f} ms {median:8.1f} ms")
    best, median, data = timed(
        lambda: json.dumps([paper_json(p) for p in saved]).encode(), args.runs
    )
    baseline = best
    size = len(data)
    print(f"  {'json.dumps (baseline)':<28} {best:8.1f} ms {median:8.1f} ms {size / 1e6:8.2f} MB")
    for export in EXPORT_FORMATS.values():
        best, median, data = timed(partial(written, export, saved), args.runs)
        size = len(data)
        print(
            f"  {export.name:<28} {best:8.1f} ms {median:8.1f} ms {size / 1e6:8.2f} MB"
            f"  {best / baseline:5.1f}x json, {size / MAX_DOCUMENT_BYTES:6.1%} of 50 MB"
        )


if __name__ == "__main__":
    main()
