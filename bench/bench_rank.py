"""Measure the chats' ranking models: how well simulated readers are served, and how fast.

Usage: python bench/bench_rank.py [--history FOLDER] [--learn-days 10] [--learn-from 0]
       [--dislikes 3] [--chats 10000] [--models 2000]

The real upstream days of ``../shared/history`` (or FOLDER) are ingested into a fresh database.
Each simulated reader has a hidden interest, a boolean query over the abstract the ranker never
sees. On the first ``--learn-days`` days each looks at the first page (15) of their summary, all
the day's papers ordered by their model (upload order until they have one), and rates 10 of them:
👍 those in their interest, 👎 the others from the top; the models are refreshed every day. On
the days after, precision@15 and nDCG@15 of the first page, beside (a) the same chat without
ratings (upload order), (b) a keyword subscription on the interest's most obvious word (the
bot's own matching), (c) the perfect page, and a word-overlap re-ranker trained on the same
ratings. The learning curve retrains each reader on their first 10, 30 and 100 ratings.
``--learn-from N`` learns on the days from the N-th instead (and measures all the others), and
``--dislikes N`` has readers give at least N 👎 a day: other draws of the same test, to tell a
change of the model from the luck of which rare papers a reader met.

Then the speed: training one chat on 500 ratings; planning a 500-paper digest for ``--chats``
chats and ``Store.rankings`` for ``--models`` of them, in a process of its own that reads the
database as the scheduler's thread does (its peak RSS, and the rankings' own allocations);
fitting the features against reading them from the database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.delivery.ingest import NotADigestError, ingest_raw  # noqa: E402
from bot.delivery.sources import DIGEST_SUFFIXES, RawDigest  # noqa: E402
from bot.digest.parse import DigestParseError, date_from_name  # noqa: E402
from bot.models import Paper, Subscription  # noqa: E402
from bot.ranking.features import ENGLISH_STOP_WORDS, Features, fit_features  # noqa: E402
from bot.ranking.model import train  # noqa: E402
from bot.rules.matching import DigestIndex, plan_matches  # noqa: E402
from bot.rules.planning import plan_digest  # noqa: E402
from storage.rankers import UNRATED  # noqa: E402
from storage.store import Store  # noqa: E402

PAGE = 15
RATINGS_PER_DAY = 10
DISLIKES_PER_DAY = 3
CURVE = (10, 30, 100)
NOW = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)


def has(word: str) -> Callable[[str], bool]:
    pattern = re.compile(rf"\b{word}", re.IGNORECASE)
    return lambda text: pattern.search(text) is not None


def all_of(*tests: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda text: all(t(text) for t in tests)


def any_of(*tests: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda text: any(t(text) for t in tests)


@dataclass(frozen=True)
class Interest:
    query: str
    keyword: str
    test: Callable[[str], bool]


INTERESTS = (
    Interest("language model OR LLM", "LLM", any_of(has("language model"), has("LLM"))),
    Interest("reinforcement learning", "reinforcement", has("reinforcement learning")),
    Interest("diffusion AND (image OR video)", "diffusion",
             all_of(has("diffusion"), any_of(has("image"), has("video")))),
    Interest("robot AND (manipulation OR grasp)", "manipulation",
             all_of(has("robot"), any_of(has("manipulation"), has("grasp")))),
    Interest("graph neural OR GNN", "graph", any_of(has("graph neural"), has("GNN"))),
    Interest("quantum", "quantum", has("quantum")),
    Interest("medical AND (segmentation OR imaging)", "medical",
             all_of(has("medical"), any_of(has("segmentation"), has("imaging")))),
    Interest("federated", "federated", has("federated")),
    Interest("diffusion AND (robot OR manipulation)", "diffusion",
             all_of(has("diffusion"), any_of(has("robot"), has("manipulation")))),
    Interest("speech OR audio", "speech", any_of(has("speech"), has("audio"))),
)  # fmt: skip


@dataclass
class Reader:
    chat_id: int
    interest: Interest
    log: list[tuple[str, int]] = field(default_factory=list)

    def likes(self, paper: Paper) -> bool:
        return self.interest.test(paper.abstract or "")


def ingest_folder(folder: Path, db: Path) -> Store:
    files = sorted(
        f for f in folder.iterdir() if f.suffix in DIGEST_SUFFIXES and date_from_name(f.name)
    )
    store = Store.open(db)
    for path in files:
        try:
            ingest_raw(store, RawDigest(path.name, path.read_bytes()), now=NOW)
        except (NotADigestError, DigestParseError):
            continue
    return store


def ranked(papers: Sequence[Paper], scores: Mapping[str, float] | None) -> list[Paper]:
    """Best score first (ties and no scores: upload order, which the ids follow)."""
    if scores is None:
        return list(papers)
    return sorted(papers, key=lambda p: -scores[p.id])


def learn(
    store: Store, readers: Sequence[Reader], days: Sequence[list[Paper]], *, dislikes: int
) -> None:
    ids = [r.chat_id for r in readers]
    for papers in days:
        rankings = store.rankings(ids, papers)
        for reader in readers:
            scores = rankings[reader.chat_id].scores if reader.chat_id in rankings else None
            page = ranked(papers, scores)[:PAGE]
            wanted = [p for p in page if reader.likes(p)]
            unwanted = [p for p in page if not reader.likes(p)]
            # At least ``dislikes`` of the day's ratings are 👎 when the page has papers
            # outside the interest: a reader also says what they do not want.
            liked = wanted[: RATINGS_PER_DAY - min(dislikes, len(unwanted))]
            others = unwanted[: RATINGS_PER_DAY - len(liked)]
            for paper, rating in [*((p, 1) for p in liked), *((p, -1) for p in others)]:
                store.set_rating(reader.chat_id, paper.id, rating, now=NOW)
                reader.log.append((paper.id, rating))
        store.refresh_models(chat_ids=ids)


def precision(page: Sequence[Paper], reader: Reader) -> float:
    return sum(map(reader.likes, page[:PAGE])) / PAGE


def ndcg(page: Sequence[Paper], reader: Reader, relevant: int) -> float:
    gains = sum(1 / math.log2(i + 2) for i, p in enumerate(page[:PAGE]) if reader.likes(p))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(PAGE, relevant)))
    return gains / ideal if ideal else 0.0


def words(paper: Paper) -> set[str]:
    text = f"{paper.title} {paper.abstract or ''}".lower()
    return {w for w in re.findall(r"[a-z]{4,}", text) if w not in ENGLISH_STOP_WORDS}


def overlap_scores(liked: Sequence[Paper], papers: Sequence[Paper]) -> dict[str, float]:
    """The baseline re-ranker: the words a paper shares with the liked papers, per its length."""
    profile = set().union(*map(words, liked)) if liked else set()
    return {p.id: len(words(p) & profile) / math.sqrt(len(words(p)) or 1) for p in papers}


def evaluate(store: Store, readers: Sequence[Reader], days: Sequence[list[Paper]]) -> dict:
    figures: dict[str, list[float]] = {}
    by_reader: dict[int, dict[str, list[float]]] = {r.chat_id: {} for r in readers}
    liked = {r.chat_id: store.papers([p for p, v in r.log if v > 0]) for r in readers}
    for papers in days:
        rankings = store.rankings([r.chat_id for r in readers], papers)
        for reader in readers:
            relevant = sum(map(reader.likes, papers))
            model = rankings.get(reader.chat_id)
            keyword = Subscription(chat_id=0, keywords=(reader.interest.keyword,))
            pages = {
                "model": ranked(papers, model.scores if model else None),
                "(a) upload order": list(papers),
                "(b) keyword": [m.paper for m in plan_matches(papers, keyword)],
                "word overlap": ranked(papers, overlap_scores(liked[reader.chat_id], papers)),
            }
            for name, page in pages.items():
                for key, value in ((f"{name} P@15", precision(page, reader)),
                                   (f"{name} nDCG@15", ndcg(page, reader, relevant))):  # fmt: skip
                    figures.setdefault(key, []).append(value)
                    by_reader[reader.chat_id].setdefault(key, []).append(value)
            perfect = min(PAGE, relevant) / PAGE
            figures.setdefault("(c) perfect P@15", []).append(perfect)
            by_reader[reader.chat_id].setdefault("(c) perfect P@15", []).append(perfect)
            by_reader[reader.chat_id].setdefault("base rate", []).append(relevant / len(papers))
    return {"all": figures, "readers": by_reader}


def mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def report_quality(result: dict, readers: Sequence[Reader]) -> None:
    figures = result["all"]
    model = mean(figures["model P@15"])
    print("quality, days after learning (mean over readers and days):")
    for key in sorted(figures):
        print(f"  {key}: {mean(figures[key]):.3f}")
    upload, keyword = mean(figures["(a) upload order P@15"]), mean(figures["(b) keyword P@15"])
    perfect, overlap = mean(figures["(c) perfect P@15"]), mean(figures["word overlap P@15"])
    print(
        f"  model P@15 {model:.3f}: {model / (upload or 1e-9):.1f}x (a), "
        f"{model / (keyword or 1e-9):.2f}x (b), {model / (perfect or 1e-9):.0%} of (c); "
        f"word overlap {overlap / (perfect or 1e-9):.0%} of (c)"
    )
    print("per interest: base rate, P@15 model / (a) / (b) / overlap / (c)")
    for reader in readers:
        mine = result["readers"][reader.chat_id]
        cells = " / ".join(
            f"{mean(mine[f'{name} P@15']):.2f}"
            for name in ("model", "(a) upload order", "(b) keyword", "word overlap", "(c) perfect")
        )
        print(f"  {reader.interest.query} [{reader.interest.keyword}]: "
              f"{mean(mine['base rate']):.1%}, {cells}")  # fmt: skip


def learning_curve(store: Store, readers: Sequence[Reader], days: Sequence[list[Paper]]) -> None:
    print("learning curve: each reader retrained on their first N ratings, P@15 after learning")
    for count in CURVE:
        copies = []
        for reader in readers:
            copy = Reader(reader.chat_id + 1000 * count, reader.interest, reader.log[:count])
            for paper_id, rating in copy.log:
                store.set_rating(copy.chat_id, paper_id, rating, now=NOW)
            copies.append(copy)
        store.refresh_models(chat_ids=[c.chat_id for c in copies])
        figures = evaluate(store, copies, days)["all"]
        got = mean([len(c.log) for c in copies])
        print(f"  {count} ratings (mean {got:.0f} given): P@15 {mean(figures['model P@15']):.3f},"
              f" nDCG@15 {mean(figures['model nDCG@15']):.3f}")  # fmt: skip


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def speed(store: Store, readers: Sequence[Reader], *, chats: int, models: int) -> None:
    papers = store.papers([r[0] for r in store.db.execute("SELECT id FROM papers ORDER BY doc")])
    blob = store.db.execute("SELECT blob FROM rank_features").fetchone()[0]
    fitted = timed(lambda: fit_features(papers[-20_000:]))
    loaded = timed(lambda: Features.from_bytes(blob))
    print(
        f"features: fitting on {min(len(papers), 20_000)} papers {fitted:.2f} s; reading"
        f" them from the database {loaded * 1000:.0f} ms ({len(blob) / 1e6:.1f} MB)"
    )
    rated = papers[: min(500, len(papers) // 2)]
    test = INTERESTS[0].test
    positives = [p for p in rated if test(p.abstract or "")] or rated[::3]
    negatives = [p for p in rated if p not in positives]
    weak = papers[len(rated) : len(rated) + UNRATED]
    fresh = [Features.from_bytes(blob) for _ in range(3)]  # no rows remembered
    cold = min(timed(lambda f=f: train(f, positives, negatives, weak)) for f in fresh)
    warm = Features.from_bytes(blob)
    train(warm, positives, negatives, weak)
    again = min(timed(lambda: train(warm, positives, negatives, weak)) for _ in range(3))
    store.warm_rows(Features.from_bytes(blob), [*rated, *weak])  # rows stored once

    def from_database(features: Features) -> None:
        store.warm_rows(features, [*rated, *weak])
        train(features, positives, negatives, weak)

    restarted = min(timed(lambda f=f: from_database(f)) for f in (
        Features.from_bytes(blob) for _ in range(3)))  # fmt: skip
    print(
        f"training one chat on {len(rated)} ratings ({len(positives)} 👍) and {len(weak)}"
        f" unrated papers: {cold * 1000:.0f} ms with their rows computed,"
        f" {restarted * 1000:.0f} ms with them read from the database (as after a restart),"
        f" {again * 1000:.0f} ms with them in memory (best of 3)"
    )
    planning(store, readers, papers[-500:], chats=chats, models=models)


def planning(
    store: Store, readers: Sequence[Reader], digest: list[Paper], *, chats: int, models: int
) -> None:
    """Copies of the readers' models for ``models`` chats, then planning ``chats`` and ranking
    for the ``models`` over the newest papers in a process of its own (``--plan``)."""
    rows = store.db.execute("SELECT features, feedback, blob FROM rank_models"
                            " WHERE blob IS NOT NULL AND chat_id < 1000").fetchall()  # fmt: skip
    if not rows:
        print("planning: skipped, no reader has a model")
        return
    with store.db.conn:
        store.db.conn.executemany(
            "INSERT OR REPLACE INTO rank_models (chat_id, features, feedback, blob)"
            " VALUES (?, ?, ?, ?)",
            ((100_000 + n, *rows[n % len(rows)]) for n in range(models)),
        )
    store.db.conn.commit()
    command = [sys.executable, __file__, "--plan", str(store.db.conn.execute(
        "PRAGMA database_list").fetchone()[2]), "--chats", str(chats), "--models", str(models),
        "--digest", str(len(digest))]  # fmt: skip
    print(subprocess.run(command, check=True, capture_output=True, text=True).stdout, end="")


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's ``ru_maxrss`` carries over the parent's
    peak into a forked child, even after exec; ``VmHWM`` is this program's own."""
    status = Path("/proc/self/status")
    if status.exists():
        found = re.search(r"^VmHWM:\s+(\d+) kB", status.read_text(), re.MULTILINE)
        if found:
            return int(found[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def plan_alone(db: Path, newest: int, *, chats: int, models: int) -> None:
    """Plan a digest for ``chats`` and rank it for ``models`` in this fresh process; print the
    times, the ranking's own allocations and the process's peak RSS (imports included)."""
    store = Store.open(db)
    ids = [r[0] for r in store.db.execute(
        "SELECT id FROM papers ORDER BY doc DESC LIMIT ?", [newest])][::-1]  # fmt: skip
    digest = store.papers(ids)
    subs = [
        Subscription(chat_id=100_000 + n, active=True, keywords=("learning",) * (n % 3 == 0))
        for n in range(chats)
    ]
    start = time.perf_counter()
    planned = plan_digest(DigestIndex(digest), subs, delivered={}, already_planned=set(),
                          arrived=NOW)  # fmt: skip
    count = len(list(planned))
    planned_in = time.perf_counter() - start
    chat_ids = [100_000 + n for n in range(models)]
    start = time.perf_counter()
    ranked = store.rankings(chat_ids, digest)
    ranked_in = time.perf_counter() - start
    rss = peak_rss_mb()
    del ranked
    tracemalloc.start()
    ranked = store.rankings(chat_ids, digest)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"planning {chats} chats x {len(digest)} papers ({count} deliveries):"
        f" {planned_in:.2f} s; rankings of {len(ranked)} models: {ranked_in:.2f} s;"
        f" together {planned_in + ranked_in:.2f} s"
    )
    print(
        f"  the planning process's peak RSS {rss:.0f} MB (numpy, scipy and scikit-learn"
        f" imported); rankings' own allocations peak {peak / 1e6:.0f} MB (tracemalloc, a"
        " second call)"
    )
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--history", type=Path, default=ROOT.parent / "shared" / "history")
    parser.add_argument("--learn-days", type=int, default=10)
    parser.add_argument("--learn-from", type=int, default=0)
    parser.add_argument("--dislikes", type=int, default=DISLIKES_PER_DAY)
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--models", type=int, default=2000)
    parser.add_argument("--plan", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--digest", type=int, default=500, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plan:
        plan_alone(args.plan, args.digest, chats=args.chats, models=args.models)
        return
    if not args.history.is_dir():
        print(f"history: skipped, no folder {args.history}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        store = ingest_folder(args.history, Path(tmp) / "rank.db")
        dates = [d for d in store.digest_dates() if store.papers_in_digest(d, limit=1)]
        days = [store.papers_in_digest(d) for d in dates]
        print(f"history: {len(days)} days, {sum(map(len, days))} papers from {args.history}"
              f" in {time.perf_counter() - start:.1f} s")  # fmt: skip
        readers = [Reader(n + 1, interest) for n, interest in enumerate(INTERESTS)]
        start = time.perf_counter()
        first, last = args.learn_from, args.learn_from + args.learn_days
        learn(store, readers, days[first:last], dislikes=args.dislikes)
        print(f"learning: {len(readers)} readers x {len(days[first:last])} days from day"
              f" {first + 1}, at least {args.dislikes} 👎 a day,"
              f" {time.perf_counter() - start:.1f} s")  # fmt: skip
        after = [*days[:first], *days[last:]] or days[-1:]
        report_quality(evaluate(store, readers, after), readers)
        learning_curve(store, readers, after)
        speed(store, readers, chats=args.chats, models=args.models)
        store.close()


if __name__ == "__main__":
    main()
