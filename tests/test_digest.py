"""parse_digest on the Markdown fixtures in tests/data/digests (one per layout and hard case)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bot.digest.lines import anchor_id
from bot.digest.parse import DigestParseError, date_from_name, parse_digest
from bot.models import Digest

DIGESTS = Path(__file__).parent / "data" / "digests"


def parse_fixture(name: str) -> Digest:
    return parse_digest((DIGESTS / name).read_text(encoding="utf-8"), date=date_from_name(name))


@pytest.mark.parametrize(
    ("name", "layout", "ids", "duplicates"),
    [
        ("2026-02-10.md", "canonical", ["2602.90001", "2602.90002", "2602.90003"], 0),
        ("2025-03-18.md", "v0", ["2503.80001", "2503.80002"], 1),
        ("2025-03-25.md", "v1", ["2503.80101", "2503.80102"], 0),
        ("2025-04-15-v2a.md", "v2", ["2504.80201", "2504.80202", "2504.80203"], 0),
        ("2025-04-16.md", "v2", ["2504.80301", "2504.80302"], 0),
        ("2025-04-17-astro-v0.md", "astro", ["2504.80501"], 0),
        ("2025-09-10-astro.md", "astro", ["2509.80401", "2509.80402", "2509.80403"], 0),
        ("2026-04-28-astro-topic.md", "astro-topic", ["2604.80601", "2604.80602", "2604.80603"], 0),
        ("2025-06-08-xmk.md", "xmk", ["2506.80901"], 0),
        ("2025-06-09-xmk-links.md", "xmk", ["2506.81001", "2506.81002", "2506.81003"], 0),
        ("2025-06-10-xmk.md", "xmk", ["2506.80701", "2506.80702"], 0),
        ("2025-06-26-xmk.md", "xmk", ["2506.80801", "2506.80802"], 0),
        ("2025-06-18-xmk-empty.md", "empty", [], 0),
        ("2025-10-09-empty.md", "empty", [], 0),
        ("2025-06-20-linyueqian.md", "canonical", ["2506.81101", "2506.81102"], 0),
        ("2025-06-06-duplicates.md", "canonical", ["2506.81301", "2506.81302"], 3),
        (
            "2025-08-27-placeholders.md",
            "canonical",
            ["2508.81401", "2508.81402", "2508.81403", "2508.81404", "2508.81405"],
            0,
        ),
        (
            "2025-11-20-headings.md",
            "canonical",
            ["hep-th/9901001", "0704.0001", "2511.81501", "2511.81502", "2511.81503", "2511.81504"],
            0,
        ),
        ("2026-03-10-no-details.md", "canonical", ["2603.81601", "2603.81602"], 0),
        ("2026-06-17_research_radar.md", "unknown", [], 0),
    ],
)
def test_parse_digest_finds_every_paper_once(
    name: str, layout: str, ids: list[str], duplicates: int
) -> None:
    digest = parse_fixture(name)
    assert digest.layout == layout
    assert [paper.id for paper in digest.papers] == ids
    assert digest.duplicates_merged == duplicates
    assert digest.date == date_from_name(name)
    assert all(paper.date == digest.date for paper in digest.papers)


@pytest.mark.parametrize(
    ("name", "warnings"),
    [
        ("2026-02-10.md", ()),
        ("2025-06-06-duplicates.md", ()),
        ("2025-10-09-empty.md", ()),
        ("2025-06-18-xmk-empty.md", ()),
        (
            "2026-06-17_research_radar.md",
            (
                "not a digest in a known layout: no paper heading like '### [Title](arXiv link)' "
                "or '## <a id=...></a>[Title](link)' (it starts with "
                "'Daily Research Radar — 2026-06-17')",
            ),
        ),
        (
            "2025-11-20-headings.md",
            (
                "line 12: paper heading without an arXiv id: 'A Paper Hosted Elsewhere'",
                "line 104: paper heading is not a [title](link): 'A Heading With a Bare Link'",
                "line 127: paper 2511.81503 has no title",
                "line 173: paper heading without an arXiv id: 'No Link At All'",
            ),
        ),
    ],
)
def test_parse_digest_warnings_name_the_line(name: str, warnings: tuple[str, ...]) -> None:
    assert parse_fixture(name).warnings == warnings


ABSTRACT_2602_90001 = (
    "Adapter pruning usually needs many rounds of fine-tuning. We cast pruning as a shortest-path "
    "problem and solve it with A* search, using the $\\ell_1$ norm of each adapter as an "
    "admissible heuristic.\nResult: on five benchmarks the pruned models run 52% faster. "
    "Conclusion: heuristic search is a cheap substitute for iterative pruning."
)

FIELDS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "2026-02-10.md",
        "2602.90001",
        {
            "title": "A*-Guided Pruning of LVLM_Tiny Adapters in $\\mathcal{O}(n \\log n)$ Time",
            "version": None,
            "authors": ("Ada Quill", "Bo Lindqvist", "Chiara D'Amato"),
            "category": "cs.LG",
            "categories": ("cs.LG",),
            "tldr": "提出一种A*引导的适配器剪枝方法，在保持精度的同时把推理开销降低一半。",
            "motivation": "现有适配器剪枝方法需要反复微调，成本很高。",
            "method": "1. 用A*搜索在适配器图上寻找最短剪枝路径； 2. 以$\\ell_1$范数作为启发函数； "
            "3. 只在最后一步做一次微调。",
            "result": "在五个基准上推理时间减少52%，精度下降不足0.3个百分点。",
            "conclusion": "启发式搜索可以替代昂贵的迭代剪枝。",
            "abstract": ABSTRACT_2602_90001,
            "comment": None,
        },
    ),
    (
        "2026-02-10.md",
        "2602.90002",
        {
            "version": 2,
            "abstract": "Learning-rate warm-up is a fragile hyper-parameter. We replace it with a "
            "step size scaled by the measured gradient noise.\n"
            "A second paragraph says that the code is public.",
        },
    ),
    (
        "2026-02-10.md",
        "2602.90003",
        {
            "category": "cs.CL",
            "abstract": "We count commas. <thought>Is that enough?</thought> "
            "It is, for 40 languages.",
        },
    ),
    (
        "2025-03-18.md",
        "2503.80002",
        {
            "authors": ("Jun Sato",),
            "category": None,
            "tldr": None,
            "abstract": "Periodic rewards confuse value estimates. Tide tables, a Fourier feature "
            "of the time step, remove the confusion.\nWe release the environments.",
        },
    ),
    (
        "2025-03-25.md",
        "2503.80101",
        {
            "tldr": "研究折纸结构能否作为软体机器人夹爪。",
            "motivation": "软体夹爪制造成本高。",
            "method": "用折纸图案设计可折叠夹爪并测量抓取力。",
            "conclusion": "折纸是一种廉价的软体夹爪方案。",
            "category": None,
        },
    ),
    (
        "2025-03-25.md",
        "2503.80102",
        {
            "tldr": None,
            "motivation": None,
            "method": None,
            "result": None,
            "conclusion": None,
            "abstract": "We align images that do not exist, quickly.",
        },
    ),
    ("2025-04-15-v2a.md", "2504.80201", {"category": "cs.CV", "tldr": "一种夜间运动去模糊方法。"}),
    (
        "2025-04-15-v2a.md",
        "2504.80202",
        {"category": "cs.CL", "conclusion": "语气是提示工程的一个维度。"},
    ),
    ("2025-04-15-v2a.md", "2504.80203", {"category": "cs.LG"}),
    ("2025-04-16.md", "2504.80302", {"category": "cs.SD", "tldr": "从房间混响估计房间体积。"}),
    (
        "2025-04-17-astro-v0.md",
        "2504.80501",
        {
            "category": None,
            "tldr": "冷气流可以直接进入玩具暗晕的中心。",
            "motivation": "冷气流是星系吸积气体的重要途径。",
            "method": "Data: 一组玩具流体模拟。\n追踪模拟中的示踪粒子。",
            "conclusion": None,
        },
    ),
    (
        "2025-09-10-astro.md",
        "2509.80401",
        {
            "title": "GLOW-7: an extended [OIII] nebula around an invented quasar at z=6.9",
            "authors": ("Ugo Ferri", "Vera Lindgren", "Walter Öberg"),
            "category": "astro-ph.GA",
            "tldr": "发现一个延伸的[OIII]星云，尺度达到12千秒差距。",
            "motivation": "高红移类星体周围的电离气体可以揭示反馈过程。",
            "method": "Data: 使用一台虚构积分视场光谱仪的3小时观测。\n"
            "对[OIII]线进行多高斯拟合并构建速度图。",
            "result": "星云延伸12千秒差距，速度梯度为每秒300千米。",
            "abstract": "We report an extended [OIII] nebula around an invented quasar at z=6.9. "
            "The nebula spans 12 kpc and shows a velocity gradient of 300 km/s, with "
            "$\\dot{M}_{\\rm out} \\approx 40\\,M_\\odot\\,{\\rm yr}^{-1}$.",
        },
    ),
    (
        "2025-09-10-astro.md",
        "2509.80402",
        {
            "tldr": None,
            "motivation": None,
            "method": "Data: 两个虚构巡天的光学成像。",
            "result": None,
        },
    ),
    (
        "2025-09-10-astro.md",
        "2509.80403",
        {"category": "hep-ph", "method": "用恒星结构模型计算轴子产率。"},
    ),
    (
        "2026-04-28-astro-topic.md",
        "2604.80601",
        {
            "title": "A Toy Dark Energy Model Fails Every Test",
            "version": 1,
            "authors": (),
            "category": None,
            "motivation": "暗能量模型通常用状态方程参数 w 描述。 玩具模型便于检验拟合流程。",
            "tldr": "本文构造了一个玩具暗能量模型。 该模型在所有检验中都失败了。",
            "abstract": None,
        },
    ),
    (
        "2026-04-28-astro-topic.md",
        "2604.80602",
        {
            "title": "Cosmic Voids [Revisited]: Emptier Than Thought",
            "version": 2,
            "motivation": "宇宙空洞是大尺度结构中密度最低的区域。",
            "tldr": "作者重新测量了空洞的密度轮廓，发现中心密度比以往估计低 20%。 "
            "第二行继续同一段总结。",
        },
    ),
    ("2026-04-28-astro-topic.md", "2604.80603", {"motivation": None, "tldr": None}),
    (
        "2025-06-10-xmk.md",
        "2506.80701",
        {
            "version": 1,
            "authors": ("Bruno von Hagen", "Ciara O'Neill", "Dmitri Sokolov"),
            "category": "cs.LG",
            "tldr": "提出一种用于虚构自动机的状态合并算法。",
            "result": None,
            "conclusion": "通用实现降低了新算法的开发成本。",
            "comment": "Accepted at an imaginary conference on verification, 2025, with an "
            "extended appendix",
            "abstract": "我们为一个虚构的自动机学习库加入了被动学习方法。 第二段说明实验设置。",
        },
    ),
    (
        "2025-06-10-xmk.md",
        "2506.80702",
        {"version": 3, "category": "nlin.CG", "comment": None, "result": None, "conclusion": None},
    ),
    (
        "2025-06-26-xmk.md",
        "2506.80801",
        {
            "authors": ("Farah Nasser", "Gideon Lamb", "Hiroshi Tanaka"),
            "category": "cs.CR",
            "categories": ("cs.CR", "cs.AI", "eess.SP"),
            "tldr": "玩具保险箱的指示灯泄露了密码。",
            "conclusion": None,
            "comment": "6 pages",
            "abstract": "我们展示了玩具保险箱的指示灯会泄露密码。",
        },
    ),
    ("2025-06-26-xmk.md", "2506.80802", {"tldr": "用蜜罐页面反向追踪钓鱼团伙。", "comment": None}),
    (
        "2025-06-08-xmk.md",
        "2506.80901",
        {
            "authors": ("Jana Horvat", "Karl Lund"),
            "category": "physics.soc-ph",
            "tldr": "面包店排队长度服从一个简单的幂律。",
            "result": "排队长度服从指数为1.7的幂律。",
            "conclusion": None,
            "abstract": "我们统计了虚构面包店的排队长度，发现其服从幂律。",
        },
    ),
    ("2025-06-09-xmk-links.md", "2506.81001", {"title": "Robots That Knock Before Entering"}),
    (
        "2025-06-09-xmk-links.md",
        "2506.81002",
        {"title": "Stairs Considered Harmful", "tldr": "论证了楼梯对轮式机器人的危害。"},
    ),
    (
        "2025-06-09-xmk-links.md",
        "2506.81003",
        {"category": None, "categories": (), "tldr": "一篇无法归类的论文。"},
    ),
    (
        "2025-06-20-linyueqian.md",
        "2506.81101",
        {
            "authors": ("Olav Haugen", "Priya Raman", "Quinn O'Brien"),
            "abstract": "Random initialisation ignores harmonic structure. We initialise filters "
            "with tuning-fork spectra and converge 1.8x faster.\n"
            "Background: this second paragraph begins with a field-like word.",
        },
    ),
    (
        "2025-06-20-linyueqian.md",
        "2506.81102",
        {"version": 2, "tldr": None, "conclusion": None},
    ),
    (
        "2025-06-06-duplicates.md",
        "2506.81301",
        {
            "version": 2,
            "tldr": "神经元会打哈欠。",
            "conclusion": "哈欠有专门的神经回路。",
            "abstract": "Yawning neurons fire before a yawn in an invented mouse.",
        },
    ),
    ("2025-06-06-duplicates.md", "2506.81302", {"tldr": "海马体会做白日梦。"}),
    (
        "2025-11-20-headings.md",
        "hep-th/9901001",
        {"title": "String Theory, Old Style", "version": 3, "category": "hep-th"},
    ),
    ("2025-11-20-headings.md", "0704.0001", {"version": None}),
    ("2025-11-20-headings.md", "2511.81501", {"version": 12}),
    ("2025-11-20-headings.md", "2511.81502", {"title": "A Heading With a Bare Link"}),
    ("2025-11-20-headings.md", "2511.81503", {"title": ""}),
    (
        "2025-11-20-headings.md",
        "2511.81504",
        {"title": "[OIII] (and [NII]) in Titles (Starting With a Bracket)"},
    ),
    (
        "2026-03-10-no-details.md",
        "2603.81601",
        {
            "tldr": "Agents that pause periodically make fewer planning errors in long tasks...",
            "motivation": None,
            "abstract": None,
        },
    ),
]


@pytest.mark.parametrize(("name", "paper_id", "expected"), FIELDS)
def test_parse_digest_paper_fields(name: str, paper_id: str, expected: dict[str, Any]) -> None:
    paper = {p.id: p for p in parse_fixture(name).papers}[paper_id]
    assert {key: getattr(paper, key) for key in expected} == expected


@pytest.mark.parametrize(
    ("paper_id", "tldr", "motivation", "method", "result", "conclusion"),
    [
        ("2508.81401", None, None, None, None, None),
        ("2508.81402", None, None, None, None, None),
        ("2508.81403", None, None, None, None, None),
        ("2508.81404", None, None, None, None, "A real conclusion survives."),
        (
            "2508.81405",
            "Error bounds for imaginary integrators are tight.",
            "Error-correcting codes: a survey of none.",
            "N/A-free method.",
            "Result: nested label stays.",
            "Conclusion extraction failed to happen, then it worked.",
        ),
    ],
)
def test_parse_digest_placeholders_become_none(
    paper_id: str,
    tldr: str | None,
    motivation: str | None,
    method: str | None,
    result: str | None,
    conclusion: str | None,
) -> None:
    paper = {p.id: p for p in parse_fixture("2025-08-27-placeholders.md").papers}[paper_id]
    assert (paper.tldr, paper.motivation, paper.method, paper.result, paper.conclusion) == (
        tldr,
        motivation,
        method,
        result,
        conclusion,
    )
    assert paper.abstract == "An invented abstract."


def test_parse_digest_reads_crlf_and_bom_like_lf() -> None:
    text = (DIGESTS / "2026-02-10.md").read_text(encoding="utf-8")
    windows = "\ufeff" + text.replace("\n", "\r\n")
    assert parse_digest(windows) == parse_digest(text)


def test_parse_digest_without_date_leaves_dates_unset() -> None:
    digest = parse_digest((DIGESTS / "2026-02-10.md").read_text(encoding="utf-8"))
    assert digest.date is None
    assert {paper.date for paper in digest.papers} == {None}


@pytest.mark.parametrize(
    ("text", "layout", "warnings"),
    [
        ("", "empty", ("the text is empty",)),
        (" \n\n\t\n", "empty", ("the text is empty",)),
        (
            "<div id=toc></div>\n\n# Table of Contents\n\n- [cs.AI](#cs.AI) [Total: 4]\n",
            "empty",
            ("the table of contents counts 4 papers but there is no paper heading",),
        ),
        (
            "just some words\n",
            "unknown",
            (
                "not a digest in a known layout: no paper heading like '### [Title](arXiv link)' "
                "or '## <a id=...></a>[Title](link)'",
            ),
        ),
    ],
)
def test_parse_digest_empty_or_foreign_text(
    text: str, layout: str, warnings: tuple[str, ...]
) -> None:
    digest = parse_digest(text)
    assert (digest.papers, digest.layout, digest.warnings) == ((), layout, warnings)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (
            "### [1] [A](https://arxiv.org/abs/2501.00001)\n*B*\x00\n",
            2,
            "NUL byte: not a text file",
        ),
        ("\x00", 1, "NUL byte: not a text file"),
        ('{"id": "2501.00001"}\n{"id": \n', 2, "not valid JSON"),
        ("{oops", 1, "not valid JSON"),
        ('{"id": "2501.00001"}\n[1, 2]\n', 2, "not a JSON object"),
    ],
)
def test_parse_digest_raises_only_on_corrupt_text(text: str, line: int, reason: str) -> None:
    with pytest.raises(DigestParseError) as caught:
        parse_digest(text)
    assert (caught.value.line, caught.value.reason) == (line, reason)
    assert str(caught.value) == f"line {line}: {reason}"
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2026-02-10.md", dt.date(2026, 2, 10)),
        ("data/2025-04-17_AI_enhanced_.jsonl", dt.date(2025, 4, 17)),
        ("owner__repo__main-23e995e2__2026-08-04.md", dt.date(2026, 8, 4)),
        ("https://raw.example.org/2025-01-01/data/2025-06-20.md", dt.date(2025, 6, 20)),
        ("archive-2025-06-20/2025-13-45.md", dt.date(2025, 6, 20)),
        ("2026-06-17_research_radar.md", dt.date(2026, 6, 17)),
        ("seed.md", None),
        ("12025-01-019.md", None),
        ("2025-02-30.md", None),
        ("", None),
    ],
)
def test_date_from_name_takes_the_last_valid_date(name: str, expected: dt.date | None) -> None:
    assert date_from_name(name) == expected


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ('<a id="2606.30527v1"></a>', "2606.30527v1"),
        ("<a id='2606.30527'></a>", "2606.30527"),
        ("<a id=2606.30527v2></a>", "2606.30527v2"),
        ('<a name="x" id="y"></a>', "y"),
        ("<a></a>", ""),
    ],
)
def test_anchor_id_reads_the_id_however_it_is_quoted(fragment: str, expected: str) -> None:
    assert anchor_id(fragment) == expected
