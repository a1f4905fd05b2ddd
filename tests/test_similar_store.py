"""Store.similar on a real SQLite file: papers on the same subject, English or Chinese, without
the paper itself or its re-postings; and the term counts that weigh a paper's words."""

import contextlib
import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from olddb import database_at

from bot.models import Digest, Paper
from storage.store import Store
from storage.terms import COUNTED_FROM, papers_with

NOW = dt.datetime(2026, 1, 10, 2, 0, tzinfo=dt.UTC)
FILLER = (
    "We study the problem and we report results on the benchmark of this field, with the code.",
    "This work proposes a method and shows that the model is better than the baseline here.",
)


def paper(paper_id: str, title: str, abstract: str, *, tldr: str | None = None) -> Paper:
    return Paper(paper_id, title, authors=("Ada Quill",), category="cs.LG", abstract=abstract,
                 tldr=tldr)  # fmt: skip


PRUNING = paper(
    "2601.00001",
    "Structured pruning of graph neural networks",
    "We prune graph neural networks: structured sparsity removes whole message passing "
    "channels, and the pruned GNN keeps its accuracy. " + FILLER[0],
)
REPOSTED = dataclasses.replace(
    PRUNING, id="2601.00002", title="Structured Pruning of Graph Neural Networks."
)
MAGNITUDE = paper(
    "2601.00003",
    "Magnitude pruning for sparse graph convolution",
    "Magnitude pruning makes graph convolution sparse; sparsity in message passing saves "
    "memory. " + FILLER[1],
)
LOTTERY = paper(
    "2601.00004",
    "Lottery tickets in graph neural networks",
    "Sparse subnetworks of graph neural networks found by iterative pruning train as well as "
    "the dense GNN. " + FILLER[0],
)
LENSING = paper(
    "2601.00005",
    "Galaxy cluster masses from weak lensing",
    "Weak gravitational lensing of background galaxies measures galaxy cluster masses and "
    "dark matter halos. " + FILLER[1],
)
HALOS = paper(
    "2601.00006",
    "Dark matter halos behind galaxy clusters",
    "Galaxy cluster lensing maps dark matter halos; weak lensing shear profiles. " + FILLER[0],
)
GRASPING = paper(
    "2601.00007",
    "Reinforcement learning for robot grasping",
    "A robot arm learns grasping with reinforcement learning from camera images. " + FILLER[1],
)
ZH_PRUNING = paper(
    "2601.00008",
    "图神经网络的结构化剪枝",
    "我们提出一种图神经网络结构化剪枝方法，去除冗余的消息传递通道。",
    tldr="结构化剪枝让图神经网络更稀疏。",
)
ZH_SPARSE = paper(
    "2601.00009",
    "稀疏图神经网络的剪枝",
    "本文研究图神经网络剪枝，稀疏的消息传递节省内存。",
    tldr="剪枝得到稀疏图神经网络。",
)
ZH_LENSING = paper(
    "2601.00010",
    "星系团的弱引力透镜质量",
    "弱引力透镜测量星系团质量与暗物质晕。",
    tldr="用弱引力透镜称量星系团。",
)
LONER = paper("2601.00011", "Xylophone zebras quench", "Quixotic xylophone zebras quench.")
CORPUS = (PRUNING, MAGNITUDE, LOTTERY, LENSING, HALOS, GRASPING, ZH_PRUNING, ZH_SPARSE,
          ZH_LENSING, LONER, REPOSTED)  # fmt: skip


def store_with(path: Path, *days: tuple[Paper, ...]) -> Store:
    store = Store.open(path)
    for n, papers in enumerate(days):
        date = dt.date(2026, 1, 1) + dt.timedelta(days=n)
        store.ingest(Digest(date=date, papers=papers), source=f"{date}.md",
                     content_hash=str(date), now=NOW)  # fmt: skip
    return store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """The corpus over two days, the re-posting of PRUNING a day after the rest."""
    store = store_with(tmp_path / "similar.db", CORPUS[:-1], CORPUS[-1:])
    yield store
    store.close()


def similar_ids(store: Store, paper_id: str, **kwargs: int) -> list[str]:
    found = store.similar(paper_id, **kwargs)
    assert found is not None
    return [hit.paper.id for hit in found.hits]


def test_store_similar_finds_papers_on_the_same_subject_first(store: Store) -> None:
    assert set(similar_ids(store, PRUNING.id)[:2]) == {MAGNITUDE.id, LOTTERY.id}
    assert similar_ids(store, LENSING.id)[0] == HALOS.id


def test_store_similar_leaves_out_the_paper_and_its_re_postings(store: Store) -> None:
    assert {PRUNING.id, REPOSTED.id}.isdisjoint(similar_ids(store, PRUNING.id))
    assert {PRUNING.id, REPOSTED.id}.isdisjoint(similar_ids(store, REPOSTED.id))


def test_store_similar_shows_a_paper_posted_twice_once(store: Store) -> None:
    found = similar_ids(store, MAGNITUDE.id)
    assert len({PRUNING.id, REPOSTED.id} & set(found)) == 1


def test_store_similar_finds_chinese_neighbours_of_a_chinese_paper(store: Store) -> None:
    found = store.similar(ZH_PRUNING.id)
    assert found is not None
    assert found.hits[0].paper.id == ZH_SPARSE.id
    assert {"剪枝", "图神"} <= set(found.hits[0].shared)
    assert ZH_LENSING.id not in [hit.paper.id for hit in found.hits]


def test_store_similar_names_the_shared_words_as_the_other_paper_writes_them(
    store: Store,
) -> None:
    found = store.similar(PRUNING.id)
    assert found is not None
    hit = next(h for h in found.hits if h.paper.id == MAGNITUDE.id)
    assert hit.score > 0
    assert {"pruning", "graph", "sparsity"} <= set(hit.shared)


def test_store_similar_gives_at_most_the_limit(tmp_path: Path) -> None:
    """Ten papers on lichen xylography among 190 others: each has nine like it."""
    alike = tuple(
        paper(f"2602.{n:05d}", f"Lichen xylography, part {n}", f"Xylography of lichens, {n}.")
        for n in range(1, 11)
    )
    others = tuple(
        paper(f"2603.{n:05d}", f"Filler {n}", f"Unrelated w{n}a and w{n}b.") for n in range(190)
    )
    store = store_with(tmp_path / "many.db", alike + others)
    assert len(similar_ids(store, "2602.00001")) == 8
    assert len(similar_ids(store, "2602.00001", limit=3)) == 3
    store.close()


def test_store_similar_finds_no_paper_by_its_formulas(tmp_path: Path) -> None:
    """Sorting and lensing share only LaTeX and letters; a hit's "time" inside math is not shown
    as shared, though the paper's own "time" is prose."""
    formula = paper("2604.00001", r"Sorting in $\mathcal{O}(n \log n)$ time",
                    r"Comparison sorting: $n$ keys, \ell_1 bounds.")  # fmt: skip
    math_only = paper("2604.00002", r"Lensing maps, $\mathcal{O}(n \log n)$ halos",
                      r"Weak lensing: $n$ galaxy halos, \ell_2 shear.")  # fmt: skip
    sorting = paper("2604.00003", "Comparison sorting networks",
                    r"Sorting networks with few comparisons, $\mathrm{time}(n)$.")  # fmt: skip
    store = store_with(tmp_path / "latex.db", (formula, math_only, sorting))
    found = store.similar(formula.id)
    assert found is not None
    assert [(hit.paper.id, hit.shared) for hit in found.hits] == [
        (sorting.id, ("sorting", "Comparison"))
    ]
    store.close()


def test_store_similar_is_deterministic_and_breaks_ties_by_age(tmp_path: Path) -> None:
    text = "Graph pruning of sparse message passing networks."
    twins = tuple(paper(f"2603.{n:05d}", f"Twin {n} of {n}", text) for n in range(1, 5))
    store = store_with(tmp_path / "twins.db", twins)
    first = similar_ids(store, "2603.00004")
    assert first == ["2603.00001", "2603.00002", "2603.00003"]
    assert similar_ids(store, "2603.00004") == first
    store.close()


def test_store_similar_of_an_unknown_paper_is_none(store: Store) -> None:
    assert store.similar("2601.99999") is None


def test_store_similar_of_a_paper_that_shares_nothing_finds_nothing(store: Store) -> None:
    found = store.similar(LONER.id)
    assert found is not None
    assert found.paper.id == LONER.id
    assert found.hits == ()


def test_papers_with_counts_each_term_whether_counted_before_or_not(store: Store) -> None:
    """ "graph" was counted with the first day's ten papers, before the re-posting came: a
    counted term is as of its count; the others are looked up as they are now."""
    counted = dict(store.db.execute("SELECT term, papers FROM term_counts"))
    assert counted["graph"] == 3
    assert "xylophon" not in counted
    assert papers_with(store.db, ["graph", "xylophon", "剪枝", "absent"]) == {
        "graph": 3, "xylophon": 1, "剪枝": 2, "absent": 0,
    }  # fmt: skip


def test_store_counts_the_terms_again_when_the_papers_have_doubled(tmp_path: Path) -> None:
    store = store_with(tmp_path / "grow.db", (PRUNING, MAGNITUDE, LOTTERY, LENSING))

    def counted() -> tuple[int, int | None]:
        made = store.db.execute("SELECT papers FROM term_counts_made").fetchone()[0]
        row = store.db.execute("SELECT papers FROM term_counts WHERE term = 'lens'").fetchone()
        return made, row[0] if row else None

    assert counted() == (4, None)
    for n, papers in enumerate(((HALOS, GRASPING, LONER), (ZH_LENSING,), (ZH_PRUNING,))):
        store.ingest(Digest(date=dt.date(2026, 2, 1 + n), papers=papers), source=str(n),
                     content_hash=str(n), now=NOW)  # fmt: skip
        assert counted() == ((4, None), (8, COUNTED_FROM), (8, COUNTED_FROM))[n]
    store.close()


def test_schema_migration_6_counts_the_terms_of_a_database_that_has_papers(
    tmp_path: Path,
) -> None:
    store_with(tmp_path / "now.db", CORPUS).close()
    path = tmp_path / "old.db"
    database_at(path, 5, rows_from=tmp_path / "now.db")
    with contextlib.closing(sqlite3.connect(path)) as old:
        tables = {row[0] for row in old.execute("SELECT name FROM sqlite_master")}
        assert "term_counts" not in tables
        assert old.execute("SELECT count(*) FROM papers").fetchone() == (len(CORPUS),)
        assert old.execute("PRAGMA user_version").fetchone() == (5,)
    store = Store.open(path)
    graph = store.db.execute("SELECT papers FROM term_counts WHERE term = 'graph'").fetchone()
    assert graph == (4,)
    assert store.db.execute("SELECT papers FROM term_counts_made").fetchone() == (len(CORPUS),)
    store.close()
