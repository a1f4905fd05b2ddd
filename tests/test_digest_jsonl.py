"""parse_digest on the JSONL fixtures: every schema, and the pairing with the Markdown of a day."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.digest.parse import DigestParseError, date_from_name, parse_digest
from bot.models import Digest

DIGESTS = Path(__file__).parent / "data" / "digests"


def parse_fixture(name: str) -> Digest:
    return parse_digest((DIGESTS / name).read_text(encoding="utf-8"), date=date_from_name(name))


@pytest.mark.parametrize(
    ("name", "ids", "duplicates", "warnings"),
    [
        (
            "2026-02-10.jsonl",
            ["2602.90001", "2602.90002", "2602.90003", "2602.90004"],
            1,
            (),
        ),
        ("2026-02-10_AI_enhanced_Chinese.jsonl", ["2602.90001", "2602.90002", "2602.90003"], 0, ()),
        ("2025-03-19_AI_enhanced_Chinese.jsonl", ["2503.81701", "2503.81702"], 0, ()),
        ("2025-09-10_AI_enhanced_.jsonl", ["2509.80401", "2509.80402", "2509.80403"], 0, ()),
        ("2026-04-28.jsonl", ["2604.80601", "2604.80602"], 0, ()),
        ("2025-06-12_AI_enhanced_Chinese.jsonl", ["2506.81801"], 0, ()),
        (
            "2025-07-02-odd-rows.jsonl",
            ["2507.82001", "2507.82002"],
            0,
            (
                "line 1: paper 2507.82001 has no title",
                "line 3: row without an arXiv id (no 'id', 'abs' or 'url')",
            ),
        ),
    ],
)
def test_parse_digest_jsonl_rows(
    name: str, ids: list[str], duplicates: int, warnings: tuple[str, ...]
) -> None:
    digest = parse_fixture(name)
    assert digest.layout == "jsonl"
    assert [paper.id for paper in digest.papers] == ids
    assert (digest.duplicates_merged, digest.warnings) == (duplicates, warnings)


FIELDS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "2026-02-10.jsonl",
        "2602.90001",
        {
            "authors": ("Ada Quill", "Bo Lindqvist", "Chiara D'Amato"),
            "category": "cs.LG",
            "categories": ("cs.LG", "cs.CV"),
            "comment": "12 pages, 4 figures; code at https://example.org/astar",
            "tldr": None,
        },
    ),
    ("2026-02-10.jsonl", "2602.90002", {"comment": None, "version": None}),
    (
        "2026-02-10_AI_enhanced_Chinese.jsonl",
        "2602.90003",
        {
            "categories": ("cs.CL", "cs.AI", "stat.ML"),
            "tldr": "A multilingual comma corpus shows that comma density predicts parsing "
            "difficulty.",
            "comment": "Accepted at an imaginary workshop",
        },
    ),
    (
        "2025-03-19_AI_enhanced_Chinese.jsonl",
        "2503.81701",
        {
            "tldr": "让旧机器人学习新舞蹈。",
            "conclusion": "旧机器人仍有用武之地。",
            "comment": "8 pages, 3 figures",
            "abstract": "Old robots can learn new dances. We retarget motion capture to a "
            "decade-old arm and score the result with a panel of imaginary judges.",
        },
    ),
    (
        "2025-03-19_AI_enhanced_Chinese.jsonl",
        "2503.81702",
        {"tldr": None, "motivation": None, "method": None, "result": None, "conclusion": None},
    ),
    (
        "2025-09-10_AI_enhanced_.jsonl",
        "2509.80401",
        {
            "categories": ("astro-ph.GA", "astro-ph.CO"),
            "motivation": "高红移类星体周围的电离气体可以揭示反馈过程。",
            "method": "Data: 使用一台虚构积分视场光谱仪的3小时观测。\n"
            "对[OIII]线进行多高斯拟合并构建速度图。",
            "conclusion": None,
        },
    ),
    (
        "2025-09-10_AI_enhanced_.jsonl",
        "2509.80402",
        {"tldr": None, "motivation": None, "method": "Data: 两个虚构巡天的光学成像。"},
    ),
    (
        "2025-09-10_AI_enhanced_.jsonl",
        "2509.80403",
        {"category": "hep-ph", "method": "用恒星结构模型计算轴子产率。"},
    ),
    (
        "2026-04-28.jsonl",
        "2604.80601",
        {
            "version": 1,
            "category": "astro-ph.CO",
            "categories": ("astro-ph.CO", "gr-qc"),
            "motivation": "暗能量模型通常用状态方程参数 w 描述。 玩具模型便于检验拟合流程。",
            "tldr": "本文构造了一个玩具暗能量模型。 该模型在所有检验中都失败了。",
            "abstract": "We build a toy dark energy model. It fails every test we try.",
        },
    ),
    ("2026-04-28.jsonl", "2604.80602", {"version": 2}),
    (
        "2025-06-12_AI_enhanced_Chinese.jsonl",
        "2506.81801",
        {
            "version": 1,
            "category": "cs.CR",
            "categories": ("cs.CR",),
            "result": "98%的密码可以恢复。",
            "conclusion": None,
            "abstract": "Indicator lights leak the codes of toy safes.",
            "comment": "6 pages",
        },
    ),
    (
        "2025-07-02-odd-rows.jsonl",
        "2507.82001",
        {
            "title": "",
            "authors": ("Jon Snowe", "Kira Lane"),
            "categories": ("cs.AI", "cs.LG"),
            "abstract": None,
            "tldr": None,
        },
    ),
    (
        "2025-07-02-odd-rows.jsonl",
        "2507.82002",
        {"version": 4, "authors": ("Max Weber",), "categories": ("cs.AI",), "comment": None},
    ),
]


@pytest.mark.parametrize(("name", "paper_id", "expected"), FIELDS)
def test_parse_digest_jsonl_paper_fields(
    name: str, paper_id: str, expected: dict[str, Any]
) -> None:
    paper = {p.id: p for p in parse_fixture(name).papers}[paper_id]
    assert {key: getattr(paper, key) for key in expected} == expected


def test_parse_digest_jsonl_malformed_line_names_it() -> None:
    with pytest.raises(DigestParseError, match=r"^line 3: not valid JSON$"):
        parse_fixture("2025-07-01-malformed.jsonl")


@pytest.mark.parametrize(
    ("markdown", "jsonl"),
    [
        ("2026-02-10.md", "2026-02-10_AI_enhanced_Chinese.jsonl"),
        ("2025-09-10-astro.md", "2025-09-10_AI_enhanced_.jsonl"),
    ],
)
def test_parse_digest_jsonl_agrees_with_its_markdown(markdown: str, jsonl: str) -> None:
    from_markdown = parse_fixture(markdown).papers
    from_jsonl = parse_fixture(jsonl).papers
    assert [p.id for p in from_markdown] == [p.id for p in from_jsonl]
    shared = ("title", "authors", "category", "tldr", "motivation", "method", "result")
    for md_paper, jsonl_paper in zip(from_markdown, from_jsonl, strict=True):
        assert {k: getattr(md_paper, k) for k in shared} == {
            k: getattr(jsonl_paper, k) for k in shared
        }
        assert md_paper.abstract == jsonl_paper.abstract
        assert set(md_paper.categories) <= set(jsonl_paper.categories)


def test_parse_digest_raw_crawl_covers_the_markdown_day() -> None:
    markdown_ids = {p.id for p in parse_fixture("2026-02-10.md").papers}
    crawl_ids = {p.id for p in parse_fixture("2026-02-10.jsonl").papers}
    assert markdown_ids < crawl_ids
