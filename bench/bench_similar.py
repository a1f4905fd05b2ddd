"""Measure /similar: ``Store.similar`` for papers picked evenly through a database, p50 and p99.

Usage: python bench/bench_similar.py --db 100k.db [--papers 200] [--quality]
       python bench/bench_similar.py --history [FOLDER] [--quality]

The database is opened as the bot opens it, so an older one is migrated (work on a copy).
``--history`` ingests the real upstream days of ``../shared/history`` (or FOLDER) into a fresh
database first. Twenty papers outside the timed ones warm the stemmer's memory of words first, as
the bot's readers are warm after a few questions. Beside the figure, in the same run, on
every tenth of those papers (``--baseline-papers``, 20: the first baseline takes seconds each):

- whole paper: one bm25 query with every term of the paper instead of its weightiest, what
  searching for the paper's whole text costs;
- without term_counts: the weightiest terms again, but every term's number of papers read from
  the index's vocabulary (fts5vocab), as it would be without the counted table.

Then the cost of counting the terms again (done when the papers have grown by a quarter).
``--quality`` compares the papers found with the eight closest by exact tf-idf cosine over every
term of every paper (all papers tokenized in memory, so meant for the history's few thousand):
recall@8 against them, and how many share the paper's primary category, for ours and the whole
paper query.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.delivery.ingest import NotADigestError, ingest_raw  # noqa: E402
from bot.delivery.sources import DIGEST_SUFFIXES, RawDigest  # noqa: E402
from bot.digest.parse import DigestParseError, date_from_name  # noqa: E402
from bot.models import Paper  # noqa: E402
from bot.rules.similar import (  # noqa: E402
    TermProfile,
    pick_terms,
    prose,
    term_profile,
    title_key,
    words,
)
from storage.papers import fts_document  # noqa: E402
from storage.schema import FTS_TOKENIZER, FTS_WEIGHTS  # noqa: E402
from storage.store import Store  # noqa: E402
from storage.terms import paper_count, recount  # noqa: E402

WARM_UP = 20
BM25 = f"bm25(papers_fts, {', '.join(map(str, FTS_WEIGHTS))})"


def percentile(values: Sequence[float], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def picks(store: Store, count: int) -> tuple[list[str], list[str]]:
    """``count`` paper ids spread evenly by storage order, and others to warm up with."""
    ids = [row[0] for row in store.db.execute("SELECT id FROM papers ORDER BY doc")]
    step = max(1, len(ids) // (count + WARM_UP))
    spread = ids[::step]
    return spread[WARM_UP : WARM_UP + count], spread[:WARM_UP]


def profile(store: Store, paper: Paper) -> TermProfile:
    title, _, summary, abstract, _ = fts_document(paper)
    columns = [words(prose(text).lower()) for text in (title, summary, abstract)]
    return term_profile(columns, store.stemmer.stems(w for c in columns for w in c))


def ranked(store: Store, spellings: Sequence[str]) -> list[tuple[int, float]]:
    if not spellings:
        return []
    quoted = " OR ".join('"' + s.replace('"', '""') + '"' for s in spellings)
    return store.db.execute(
        f"SELECT rowid, {BM25} AS score FROM papers_fts WHERE papers_fts MATCH ?"
        " ORDER BY score, rowid LIMIT 400",
        [f"{{title summary abstract}} : ({quoted})"],
    ).fetchall()


def whole_paper(store: Store, paper_id: str) -> list[tuple[int, float]]:
    """Baseline: every term of the paper in one query."""
    paper = store.paper(paper_id)
    assert paper is not None
    terms = profile(store, paper)
    return ranked(store, list(terms.spellings.values()))


def without_counts(store: Store, paper_id: str) -> list[tuple[int, float]]:
    """Baseline: the weightiest terms, each one's papers counted by fts5vocab when asked."""
    paper = store.paper(paper_id)
    assert paper is not None
    terms = profile(store, paper)
    wanted = list(terms.weights)
    counts = dict.fromkeys(wanted, 0) | dict(
        store.db.execute(
            f"SELECT term, doc FROM papers_terms WHERE term IN ({', '.join('?' * len(wanted))})",
            wanted,
        )
    )
    chosen = pick_terms(terms.weights, counts, paper_count(store.db))
    return ranked(store, [terms.spellings[t] for t in chosen])


@dataclass(frozen=True, slots=True)
class Timings:
    """Milliseconds per call: on the wall clock, and of the thread's CPU."""

    wall: list[float]
    cpu: list[float]


def timed(call: Callable[[str], object], ids: Sequence[str]) -> Timings:
    timings = Timings([], [])
    for paper_id in ids:
        start, start_cpu = time.perf_counter(), time.thread_time()
        call(paper_id)
        timings.cpu.append((time.thread_time() - start_cpu) * 1000)
        timings.wall.append((time.perf_counter() - start) * 1000)
    return timings


def report(name: str, timings: Timings, *, against: Timings | None = None) -> None:
    """p50 and p99 on the wall clock, with the CPU's p99: far below the wall's, the machine was
    busy with other work."""
    p50, p99 = percentile(timings.wall, 50), percentile(timings.wall, 99)
    line = f"{name}: p50 {p50:.1f} ms, p99 {p99:.1f} ms (CPU p99 {percentile(timings.cpu, 99):.1f})"
    if against is not None:
        ours50, ours99 = percentile(against.wall, 50), percentile(against.wall, 99)
        line += f", {p50 / ours50:.1f}x and {p99 / ours99:.1f}x ours"
    print(line)


def bench(store: Store, count: int, baseline_count: int) -> list[str]:
    ids, warm = picks(store, count)
    papers = paper_count(store.db)
    report(
        f"warming up: {len(warm)} other papers, the stemmer's memory empty",
        timed(store.similar, warm),
    )
    ours = timed(store.similar, ids)
    found = [len(r.hits) for r in map(store.similar, ids) if r is not None]
    report(f"similar: {len(ids)} papers of {papers:,}", ours)
    print(f"  papers found: {statistics.mean(found):.1f} on average, {found.count(0)} with none")
    some = ids[:: max(1, len(ids) // baseline_count)][:baseline_count]
    ours_some = timed(store.similar, some)
    for name, call in (("whole paper", whole_paper), ("without term_counts", without_counts)):
        baseline = timed(partial(call, store), some)
        report(f"  baseline, {name}, {len(some)} of them", baseline, against=ours_some)
    start = time.perf_counter()
    recount(store.db)
    counted = store.db.execute("SELECT count(*) FROM term_counts").fetchone()[0]
    print(f"  counting the terms again: {time.perf_counter() - start:.2f} s ({counted:,} terms)")
    return ids


def exact_neighbours(store: Store) -> Callable[[int], list[int]]:
    """The closest papers by tf-idf cosine over every term (title x3, summary, abstract)."""
    memory = sqlite3.connect(":memory:")
    memory.execute(f"CREATE VIRTUAL TABLE d USING fts5(t, s, a, tokenize='{FTS_TOKENIZER}')")
    memory.execute("CREATE VIRTUAL TABLE v USING fts5vocab(d, instance)")
    rows = store.db.execute("SELECT doc, id FROM papers").fetchall()
    for (doc, _), paper in zip(rows, store.papers([paper_id for _, paper_id in rows]), strict=True):
        title, _, summary, abstract, _ = fts_document(paper)
        memory.execute("INSERT INTO d (rowid, t, s, a) VALUES (?, ?, ?, ?)",
                       (doc, title, summary, abstract))  # fmt: skip
    weight = {"t": 3.0, "s": 1.0, "a": 1.0}
    tf: dict[int, Counter[str]] = defaultdict(Counter)
    for term, doc, column in memory.execute("SELECT term, doc, col FROM v"):
        tf[doc][term] += weight[column]
    df = Counter(term for terms in tf.values() for term in terms)
    papers = len(tf)
    vectors = {}
    for doc, terms in tf.items():
        raw = {
            t: (1 + math.log(n)) * math.log(papers / df[t]) for t, n in terms.items() if df[t] > 1
        }
        norm = math.sqrt(sum(x * x for x in raw.values())) or 1.0
        vectors[doc] = {t: x / norm for t, x in raw.items()}
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for doc, vector in vectors.items():
        for term, x in vector.items():
            postings[term].append((doc, x))

    def closest(doc: int) -> list[int]:
        scores: Counter[int] = Counter()
        for term, x in vectors.get(doc, {}).items():
            for other, y in postings[term]:
                scores[other] += x * y
        return [other for other, _ in scores.most_common(60)]

    return closest


def quality(store: Store, ids: Sequence[str]) -> None:
    """Recall@8 against exact tf-idf cosine, and how many share the paper's primary category."""
    closest = exact_neighbours(store)
    rows = store.db.execute(
        "SELECT p.id, p.doc, p.title, (SELECT c.category FROM paper_categories c"
        " WHERE c.paper_id = p.id AND c.is_primary) FROM papers p"
    ).fetchall()
    docs = {paper_id: doc for paper_id, doc, _, _ in rows}
    keys = {doc: title_key(title) for _, doc, title, _ in rows}
    category = {doc: primary for _, doc, _, primary in rows}

    def distinct(doc: int, ranked_docs: Sequence[int]) -> list[int]:
        seen, found = {keys[doc]}, []
        for other in ranked_docs:
            if keys[other] not in seen and len(found) < 8:
                seen.add(keys[other])
                found.append(other)
        return found

    def ours(paper_id: str) -> list[int]:
        found = store.similar(paper_id)
        return [docs[hit.paper.id] for hit in found.hits] if found else []

    finders: dict[str, Callable[[str], list[int]]] = {
        "ours": ours,
        "whole paper": lambda i: distinct(docs[i], [d for d, _ in whole_paper(store, i)]),
        "exact cosine": lambda i: distinct(docs[i], closest(docs[i])),
    }
    for name, find in finders.items():
        recall, same = [], []
        for paper_id in ids:
            doc, found = docs[paper_id], find(paper_id)
            truth = distinct(doc, closest(doc))
            recall.append(len(set(found) & set(truth)) / max(1, len(truth)))
            same.append(sum(category[f] == category[doc] for f in found) / max(1, len(found)))
        print(
            f"  quality, {name}: recall@8 against exact tf-idf cosine"
            f" {statistics.mean(recall):.2f}, same primary category {statistics.mean(same):.2f}"
        )


def ingest_folder(folder: Path, db: Path) -> None:
    files = sorted(
        f for f in folder.iterdir() if f.suffix in DIGEST_SUFFIXES and date_from_name(f.name)
    )
    store = Store.open(db)
    start = time.perf_counter()
    for path in files:
        try:
            ingest_raw(store, RawDigest(path.name, path.read_bytes()), now=dt.datetime.now(dt.UTC))
        except (NotADigestError, DigestParseError):
            continue
    print(f"history: {len(files)} files from {folder} ingested in"
          f" {time.perf_counter() - start:.1f} s")  # fmt: skip
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path)
    parser.add_argument("--history", type=Path, nargs="?", const=ROOT.parent / "shared" / "history")
    parser.add_argument("--papers", type=int, default=200)
    parser.add_argument("--baseline-papers", type=int, default=20)
    parser.add_argument("--quality", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if args.history:
            if not args.history.is_dir():
                print(f"history: skipped, no folder {args.history}")
                return
            db = Path(tmp) / "history.db"
            ingest_folder(args.history, db)
        if db is None or not db.exists():
            sys.exit("give --db PATH (a database built by bench/bench_core.py --db) or --history")
        store = Store.open(db)
        ids = bench(store, args.papers, args.baseline_papers)
        if args.quality:
            quality(store, ids)
        store.close()


if __name__ == "__main__":
    main()
