"""Measure the offline core: parse throughput, 100k-paper ingest, search latency, re-ingest.

Usage: python bench/bench_core.py [--papers 100000] [--db PATH] [--corpus ../shared/digests]
       python bench/bench_core.py --history [FOLDER] [--db PATH]

``--history`` measures real history instead: the thirty days of upstream JSONL in
``../shared/history`` (or FOLDER) ingested into a fresh database, then the same search queries.

Every figure is printed next to a baseline measured in the same run on the same machine, so the
ratios stay meaningful when the machine is slower or busier than the one in the README.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.delivery.ingest import NotADigestError, ingest_raw  # noqa: E402
from bot.delivery.sources import DIGEST_SUFFIXES, RawDigest  # noqa: E402
from bot.digest.parse import DigestParseError, date_from_name, parse_digest  # noqa: E402
from bot.rules.query import parse_query  # noqa: E402
from storage.store import Store  # noqa: E402

QUERIES = (
    "learning",
    "graph neural network",
    "diffusion model",
    '"large language models"',
    "reinforcement learning -survey",
    "cat:cs.LG",
    "cat:cs.CV transformer",
    "author:Wang",
    "quantum error correction",
    "since:2026-01-01 benchmark",
    "剪枝",
    "强化学习",
    "模型",
    "大语言模型",
    "扩散模型",
    "图像",
    "가속",
    "星系",
    "galaxy cluster",
    "federated",
)
"""Twenty fixed queries: English words, phrases, filters, Chinese two- and four-character terms."""

_ID = re.compile(r"(?<![\d.])(\d{4})\.(\d{4,5})(?!\d)")
_HEADING = re.compile(r"^#{2,3} .*$", re.MULTILINE)


def corpus_files(corpus: Path) -> list[Path]:
    files = [*corpus.glob("*.md"), *corpus.glob("jsonl/*.jsonl")]
    return sorted(f for f in files if date_from_name(f.name) is not None)


def bench_parse(files: list[Path], rounds: int = 3) -> None:
    texts = [f.read_text(encoding="utf-8") for f in files]
    megabytes = sum(len(t.encode()) for t in texts) / 1e6
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            parse_digest(text, date=dt.date(2026, 1, 1))
    parse_s = (time.perf_counter() - start) / rounds
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            _HEADING.findall(text)
    baseline_s = (time.perf_counter() - start) / rounds
    print(f"parse: {megabytes:.2f} MB in {parse_s * 1000:.0f} ms = {megabytes / parse_s:.1f} MB/s")
    print(
        f"  baseline (one regex over the text, no parsing): {megabytes / baseline_s:.1f} MB/s; "
        f"parse costs {parse_s / baseline_s:.1f}x the baseline"
    )


def shifted_copies(files: list[Path], papers: int) -> Iterator[RawDigest]:
    """The corpus again and again, with ids and dates moved so every copy adds new papers.

    In copy ``c`` the n-th distinct id of the corpus becomes ``<month c>.<n>``, so no two papers
    of any copies share an id, while papers repeated across files stay repeated.
    """
    texts = [f.read_text(encoding="utf-8") for f in files]
    ids = sorted({p.id for text in texts for p in parse_digest(text).papers if _ID.fullmatch(p.id)})
    serial = {paper_id: n for n, paper_id in enumerate(ids)}
    for copy in range(-(-papers // len(ids))):
        month = f"{10 + copy // 12:02d}{copy % 12 + 1:02d}"

        def shift(match: re.Match[str], month: str = month) -> str:
            n = serial.get(match.group())
            return match.group() if n is None else f"{month}.{n:05d}"

        for index, (path, text) in enumerate(zip(files, texts, strict=True)):
            day = dt.date(2020, 1, 1) + dt.timedelta(days=copy * len(files) + index)
            yield RawDigest(f"{day.isoformat()}{path.suffix}", _ID.sub(shift, text).encode())


def build(db: Path, corpus: Path, papers: int) -> None:
    """Run in a child process so that its peak RSS is the ingest's alone.

    Only the ``ingest_raw`` calls (parse and store) are timed, not the making of the shifted copies.
    """
    store = Store.open(db)
    now = dt.datetime.now(dt.UTC)
    elapsed = 0.0
    for raw in shifted_copies(corpus_files(corpus), papers):
        start = time.perf_counter()
        with contextlib.suppress(NotADigestError):
            ingest_raw(store, raw, now=now)
        elapsed += time.perf_counter() - start
    count = store.stats().papers
    store.close()
    print(f"{elapsed:.2f} {count}")


def bench_ingest(db: Path, corpus: Path, papers: int) -> None:
    start = time.perf_counter()
    output = subprocess.run(
        [
            sys.executable,
            __file__,
            "--build",
            str(db),
            "--corpus",
            str(corpus),
            "--papers",
            str(papers),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    wall = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    elapsed, count = float(output[0]), int(output[1])
    size_mb = db.stat().st_size / 1e6
    print(
        f"ingest: {count} papers from scratch in {elapsed:.1f} s ({count / elapsed:.0f} papers/s;"
        f" {wall:.1f} s with making the copies), peak RSS {peak_mb:.0f} MB,"
        f" database {size_mb:.0f} MB"
    )


def bench_search(db: Path, repeats: int = 20) -> None:
    store = Store.open(db)
    timings: list[float] = []
    for _ in range(repeats):
        for text in QUERIES:
            query = parse_query(text)
            start = time.perf_counter()
            store.search(query, limit=10)
            timings.append((time.perf_counter() - start) * 1000)
    store.close()
    like = _like_baseline(db)
    p50, p99 = _percentile(timings, 50), _percentile(timings, 99)
    print(f"search: {len(QUERIES)} queries x {repeats}: p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    like50, like99 = _percentile(like, 50), _percentile(like, 99)
    print(
        f"  baseline (naive LIKE scan finding every match of the same words): p50 {like50:.1f} ms, "
        f"p99 {like99:.1f} ms; FTS is {like50 / p50:.0f}x faster at p50, {like99 / p99:.0f}x at p99"
    )


def _like_baseline(db: Path) -> list[float]:
    """Every match found by LIKE over the text columns, as ranking them would need."""
    connection = sqlite3.connect(db)
    timings = []
    for text in QUERIES:
        words = [w.strip('"') for w in text.split() if ":" not in w and not w.startswith("-")]
        if not words:
            continue
        clause = " AND ".join("(title || ' ' || coalesce(tldr,'') || ' ' || coalesce(abstract,'')"
                              " LIKE ?)" for _ in words)  # fmt: skip
        start = time.perf_counter()
        connection.execute(
            f"SELECT count(*) FROM papers WHERE {clause}", [f"%{w}%" for w in words]
        ).fetchall()
        timings.append((time.perf_counter() - start) * 1000)
    connection.close()
    return timings


def bench_history(folder: Path, db: Path) -> None:
    """Ingest every dated digest of ``folder`` as it is, then time the search queries on it."""
    if not folder.is_dir():
        print(
            f"history: skipped, no folder {folder} (../shared/history: 30 days of upstream JSONL)"
        )
        return
    files = sorted(
        f for f in folder.iterdir() if f.suffix in DIGEST_SUFFIXES and date_from_name(f.name)
    )
    store = Store.open(db)
    now = dt.datetime.now(dt.UTC)
    failed = records = 0
    start = time.perf_counter()
    for path in files:
        try:
            result = ingest_raw(store, RawDigest(path.name, path.read_bytes()), now=now)
        except (NotADigestError, DigestParseError):
            failed += 1
            continue
        records += result.papers_new + result.papers_updated + result.papers_unchanged
    elapsed = time.perf_counter() - start
    figures = store.stats()
    store.close()
    print(
        f"history: {len(files)} files ({failed} failed) from {folder}: {records} records,"
        f" {figures.papers} distinct papers in {figures.digests} digests, ingested in"
        f" {elapsed:.1f} s;"
        f" database {db.stat().st_size / 1e6:.0f} MB"
    )
    bench_search(db)


def bench_reingest(db: Path, corpus: Path) -> None:
    store = Store.open(db)
    path = max(corpus_files(corpus), key=lambda f: f.stat().st_size)
    raw = RawDigest(path.name, path.read_bytes())
    now = dt.datetime.now(dt.UTC)
    ingest_raw(store, raw, now=now)
    start = time.perf_counter()
    result = ingest_raw(store, raw, now=now)
    elapsed = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    raw.content_hash  # noqa: B018 - the baseline: hashing the file's bytes
    hashing = (time.perf_counter() - start) * 1000
    store.close()
    print(
        f"re-ingest of an unchanged digest ({path.stat().st_size / 1e6:.1f} MB): "
        f"{elapsed:.1f} ms (skipped={result.skipped}); hashing alone {hashing:.1f} ms"
    )


def _percentile(values: list[float], pct: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return (
        statistics.quantiles(values, n=100, method="inclusive")[pct - 1]
        if pct < 100
        else max(values)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "digests")
    parser.add_argument("--history", type=Path, nargs="?", const=ROOT.parent / "shared" / "history")
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build(args.build, args.corpus, args.papers)
        return
    if args.history:
        with tempfile.TemporaryDirectory() as tmp:
            db = args.db or Path(tmp) / "history.db"
            if db.exists():
                db.unlink()
            bench_history(args.history, db)
        return
    if not args.corpus.is_dir():
        sys.exit(f"no corpus at {args.corpus}")
    files = corpus_files(args.corpus)
    bench_parse(files)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        if db.exists():
            db.unlink()
        bench_ingest(db, args.corpus, args.papers)
        bench_search(db)
        bench_reingest(db, args.corpus)


if __name__ == "__main__":
    main()
