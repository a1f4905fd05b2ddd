"""Properties of bot.digest.parse.parse_digest over generated text (hypothesis)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.digest.parse import DigestParseError, parse_digest
from bot.digest.placeholders import is_placeholder
from bot.models import Digest

FRAGMENTS = [
    "",
    " ",
    "<div id=toc></div>",
    "# Table of Contents",
    "- [cs.CV](#cs.CV) [Total: 3]",
    "- [cs.CR](#cscr) (2 篇)",
    "<div id='cs.CV'></div>",
    "# cs.CV [[Back]](#toc)",
    "## <div id='cs.LG'></div> cs.LG [[Back]](#toc)",
    "## cs.CR ",
    "# Uncategorized",
    "### [1] [Title](https://arxiv.org/abs/2501.00001)",
    "### [2] [A [nested] title](https://arxiv.org/pdf/2501.00002v3)",
    "### [Title](http://arxiv.org/abs/hep-th/9901001v1)",
    "### [3] [Title]([https://arxiv.org/abs/](https://arxiv.org/abs/)2501.00003)",
    "### [4] [Title](2501.00004)",
    "### [5] [Title](https://example.org/x)",
    "### [6] [",
    "### [7] [](",
    '## <a id="2604.00001v1"></a>[Title](http://arxiv.org/abs/2604.00001v1) [[back]](#toc-1)',
    "## <a id=",
    "### Background Knowledge",
    "### Summary",
    "*A,B*",
    "*A, B* | **Main category: cs.CR**",
    "*['A', \"B O'C\"]* | **Category: cs.CR, cs.AI**",
    "*",
    "**",
    "> *译名*",
    "Main category: cs.CV",
    "Main category: N/A",
    "TL;DR: text",
    "TL;DR: ",
    "TLDR: Error",
    "**TL;DR**: Error code: 400 - {'error': {}}",
    "> **TL;DR:** 文本",
    "## TL;DR: ",
    "Task: task",
    "Motivation: Motivation analysis unavailable",
    "**Motivation:** {motivation}",
    "Background: bg",
    "Data: data",
    "Method: 1. first",
    "2. second",
    "Result: r",
    "  Result: indented",
    "Conclusion: c",
    "Abstract: a",
    "> **摘要翻译:** 译文",
    "**Comment:** c",
    "**Keywords:** k",
    "<details>",
    "  <summary>Details</summary>",
    "  <summary>Abstract</summary>",
    "</details>",
    "</details># cs.CL",
    "</details>### [9] [T](https://arxiv.org/abs/2501.00009)",
    "[⬆️ 返回分类顶部](#cscr) | [⬆️ 返回总目录](#toc)",
    "---",
    "<thought>",
    "# AI-Enhanced arXiv Daily 2025-06-18",
    "### 今日没有找到新论文。",
]

digest_like = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=60
).map("\n".join)

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text())
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
row_keys = st.sampled_from(
    ["id", "abs", "url", "title", "authors", "categories", "cate", "comment", "summary", "AI"]
)
json_rows = st.dictionaries(row_keys | st.text(max_size=6), json_values, max_size=8)


def parse_or_reject(text: str) -> Digest | None:
    """The digest, or None when the parser rejected the text with DigestParseError."""
    try:
        return parse_digest(text)
    except DigestParseError:
        return None


def assert_well_formed(digest: Digest) -> None:
    ids = [paper.id for paper in digest.papers]
    assert all(ids)
    assert len(ids) == len(set(ids))
    assert digest.duplicates_merged >= 0
    assert all(isinstance(warning, str) for warning in digest.warnings)
    for paper in digest.papers:
        values = (paper.tldr, paper.motivation, paper.method, paper.result, paper.conclusion)
        assert not any(value is not None and is_placeholder(value) for value in values)


@settings(deadline=None)
@given(st.text())
def test_parse_digest_never_raises_on_arbitrary_text(text: str) -> None:
    digest = parse_or_reject(text)
    if digest is not None:
        assert_well_formed(digest)


@settings(deadline=None, max_examples=300)
@given(digest_like)
def test_parse_digest_never_raises_on_digest_fragments(text: str) -> None:
    digest = parse_or_reject(text)
    if digest is not None:
        assert_well_formed(digest)


@settings(deadline=None)
@given(st.lists(json_rows, min_size=1, max_size=5))
def test_parse_digest_accepts_any_jsonl_of_objects(rows: list[dict[str, Any]]) -> None:
    digest = parse_digest("\n".join(json.dumps(row) for row in rows))
    assert digest.layout == "jsonl"
    assert_well_formed(digest)
