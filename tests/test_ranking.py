"""bot.ranking: tf-idf features with CJK bigrams, a chat's linear model, many chats at once."""

import numpy as np
import pytest

from bot.models import Paper
from bot.ranking.batch import rank_papers
from bot.ranking.features import Features, FeaturesFormatError, analyze, fit_features
from bot.ranking.model import (
    SPARSE_FROM,
    ChatModel,
    dense_classifier,
    sparse_classifier,
    train,
)


def paper(paper_id: str, title: str, abstract: str, *, tldr: str | None = None) -> Paper:
    return Paper(id=paper_id, title=title, abstract=abstract, tldr=tldr)


GRAPHS = [
    paper(f"g{n}", f"Graph neural networks {topic}", f"We prune graph neural network {topic}.")
    for n, topic in enumerate(("pruning", "sparsity", "message passing", "over-smoothing"))
]
STARS = [
    paper(f"s{n}", f"Galaxy clusters {topic}", f"We weigh galaxy clusters by {topic} lensing.")
    for n, topic in enumerate(("weak", "strong", "x-ray", "dynamical"))
]
CHINESE = paper("c0", "A pruning study", "Pruning.", tldr="强化学习的剪枝方法")
PAPERS = [*GRAPHS, *STARS, CHINESE]


@pytest.fixture(scope="module")
def features() -> Features:
    return fit_features(PAPERS)


def test_analyze_splits_cjk_runs_into_bigrams_and_drops_stop_words_and_numbers() -> None:
    assert analyze("The 强化学习 of 2 graphs, v2") == [
        "强化",
        "化学",
        "学习",
        "graphs",
        "v2",
        "graphs v2",
    ]


def test_analyze_pairs_neighbouring_latin_words_within_a_line() -> None:
    assert analyze("Large language models\nfor robots") == [
        "large", "language", "models", "large language", "language models", "robots"
    ]  # fmt: skip


def test_features_rows_have_unit_length_and_one_per_paper(features: Features) -> None:
    rows = features.matrix([GRAPHS[0], STARS[0], paper("x", "", "")])
    assert rows.shape == (3, features.width)
    assert np.allclose(np.asarray(rows.multiply(rows).sum(axis=1)).ravel(), [1, 1, 0], atol=1e-6)


def test_features_know_chinese_bigrams(features: Features) -> None:
    assert {"剪枝", "强化", "学习"} <= set(features.terms)


def test_features_survive_bytes_with_their_version(features: Features) -> None:
    again = Features.from_bytes(features.to_bytes())
    assert again.version == features.version
    assert (again.matrix(PAPERS) != features.matrix(PAPERS)).nnz == 0


def test_features_refuse_another_format(features: Features) -> None:
    blob = features.to_bytes().replace(b"format", b"fornat")
    with pytest.raises((FeaturesFormatError, KeyError)):
        Features.from_bytes(blob)


def test_features_of_other_papers_have_another_version(features: Features) -> None:
    assert fit_features(GRAPHS).version != features.version


def test_train_ranks_an_unseen_paper_on_the_liked_subject_first(features: Features) -> None:
    model = train(features, GRAPHS[:2], STARS[:2], [])
    scores = model.scores(features.matrix([STARS[3], GRAPHS[3]]))
    assert scores[1] > scores[0]


def test_train_explains_a_score_by_the_closest_liked_paper(features: Features) -> None:
    model = train(features, GRAPHS[:2], STARS[:2], [])
    sparse = paper("q", "Sparsity in graph networks", "Sparsity.")
    liked = model.most_like(features.matrix([sparse, paper("x", "Zebra", "Zebra.")]))
    assert liked == ["Graph neural networks sparsity", None]


def test_train_is_deterministic_and_survives_bytes(features: Features) -> None:
    model = train(features, GRAPHS[:2], STARS[:1], STARS[1:])
    again = ChatModel.from_bytes(model.to_bytes())
    rows = features.matrix(PAPERS)
    assert again.features_version == features.version
    assert np.array_equal(again.scores(rows), model.scores(rows))
    assert np.array_equal(train(features, GRAPHS[:2], STARS[:1], STARS[1:]).scores(rows),
                          model.scores(rows))  # fmt: skip


def blended(features: Features, liked: list[Paper], disliked: list[Paper], *, sparse: bool):
    """The scores of every paper by the dense classifier, plus the sparse one when ``sparse``,
    each divided by the spread of its scores on the training papers."""
    rows = features.matrix([*liked, *disliked])
    labels = np.array([1] * len(liked) + [0] * len(disliked))
    total = np.zeros(len(PAPERS))
    for classifier in [dense_classifier(), *[sparse_classifier()] * sparse]:
        classifier.fit(rows, labels, sample_weight=np.ones(len(labels)))
        coef, intercept = np.ravel(classifier.coef_), float(np.ravel(classifier.intercept_)[0])
        total += (features.matrix(PAPERS) @ coef + intercept) / np.std(rows @ coef)
    return total


def test_train_adds_the_sparse_model_once_the_chat_liked_enough_papers() -> None:
    liked = [
        paper(f"l{n}", f"Graph neural networks {n}", f"Graph neural networks for subject{n}.")
        for n in range(SPARSE_FROM)
    ]
    features = fit_features([*liked, *PAPERS])
    rows = features.matrix(PAPERS)
    few = train(features, liked[:-1], STARS, [])
    enough = train(features, liked, STARS, [])
    assert np.allclose(few.scores(rows), blended(features, liked[:-1], STARS, sparse=False),
                       atol=1e-4)  # fmt: skip
    assert np.allclose(enough.scores(rows), blended(features, liked, STARS, sparse=True),
                       atol=1e-4)  # fmt: skip
    assert not np.allclose(enough.scores(rows), blended(features, liked, STARS, sparse=False),
                           atol=1e-2)  # fmt: skip


def test_the_sparse_classifier_keeps_few_terms(features: Features) -> None:
    rows = features.matrix([*GRAPHS, *STARS])
    labels = np.array([1] * len(GRAPHS) + [0] * len(STARS))
    dense, sparse = dense_classifier(), sparse_classifier()
    for classifier in (dense, sparse):
        classifier.fit(rows, labels, sample_weight=np.ones(len(labels)))
    assert 0 < np.count_nonzero(sparse.coef_) < np.count_nonzero(dense.coef_) / 4


def test_train_needs_a_positive_and_a_negative(features: Features) -> None:
    with pytest.raises(ValueError, match="a positive and a negative"):
        train(features, [], STARS, [])
    with pytest.raises(ValueError, match="a positive and a negative"):
        train(features, GRAPHS, [], [])
    with pytest.raises(ValueError, match="a positive and a negative"):
        train(features, [], [], GRAPHS)


def test_train_on_dislikes_alone_ranks_the_disliked_subject_last(features: Features) -> None:
    model = train(features, [], STARS[:2], [*GRAPHS[:2], CHINESE])
    scores = model.scores(features.matrix([STARS[3], GRAPHS[3]]))
    assert scores[1] > scores[0]
    assert model.liked_titles == ()
    assert model.most_like(features.matrix([GRAPHS[3]])) == [None]


def test_rank_papers_scores_every_paper_for_every_chat_with_a_model(features: Features) -> None:
    graphs = train(features, GRAPHS[:2], STARS[:2], [])
    stars = train(features, STARS[:2], GRAPHS[:2], [])
    digest = [GRAPHS[3], STARS[3]]
    ranked = rank_papers({1: graphs, 2: stars}, features, digest)
    assert sorted(ranked) == [1, 2]
    assert ranked[1].scores["g3"] > ranked[1].scores["s3"]
    assert ranked[2].scores["s3"] > ranked[2].scores["g3"]
    assert ranked[1].scores["g3"] == pytest.approx(graphs.scores(features.matrix(digest))[0])
    # s3 is as like both liked papers (the first wins the tie); g3 shares no word with them
    assert dict(ranked[2].like) == {"s3": "Galaxy clusters weak"}


def test_rank_papers_explains_nothing_for_a_model_of_dislikes_alone(features: Features) -> None:
    graphs = train(features, GRAPHS[:2], STARS[:2], [])
    dislikes = train(features, [], STARS[:2], GRAPHS[:2])
    ranked = rank_papers({1: graphs, 2: dislikes}, features, [GRAPHS[3], STARS[3]])
    assert ranked[2].scores["g3"] > ranked[2].scores["s3"]
    assert dict(ranked[2].like) == {}
    assert dict(ranked[1].like) == {"g3": "Graph neural networks pruning"}


def test_rank_papers_leaves_out_models_of_other_features(features: Features) -> None:
    other = fit_features(GRAPHS)
    old = train(other, GRAPHS[:1], GRAPHS[1:2], [])
    assert rank_papers({1: old}, features, PAPERS) == {}
