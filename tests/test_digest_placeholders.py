"""bot.digest.placeholders: which values mean "nothing", and how field text is normalised."""

from __future__ import annotations

import pytest

from bot.digest.placeholders import clean, clean_abstract, is_placeholder


@pytest.mark.parametrize(
    "text",
    [
        "Error",
        "error",
        "Error.",
        "Summary generation failed",
        "Motivation analysis unavailable",
        "Method extraction failed",
        "Result analysis unavailable",
        "Conclusion extraction failed",
        "Not mentioned in abstract",
        "摘要中未提及。",
        "N/A",
        "This content has not passed the compliance test and has been hidden.",
        "No concise summary available.",
        "Failed to generate summary.",
        "达到API配额限制，请明天再试",
        "Error code: 400 - {'error': {'message': 'Model Not Exist'}}",
        "RateLimitError: too many requests",
        "{'error': {'message': 'quota'}}",
        "{cate}",
        "{title_translation}",
        "Failed when generating background knowledge. Invalid \\escape: line 5 column 3",
    ],
)
def test_is_placeholder_recognises_generator_fallbacks(text: str) -> None:
    assert is_placeholder(text)


@pytest.mark.parametrize(
    "text",
    [
        "Error bounds for imaginary integrators are tight.",
        "Error-correcting codes: a survey.",
        "Errors compound over long horizons.",
        "N/A-free method.",
        "{x | x > 0} is the positive half-line.",
        "A method that failed: a post-mortem.",
        "Summary generation failed in 3% of the cases we studied.",
    ],
)
def test_is_placeholder_keeps_real_text(text: str) -> None:
    assert not is_placeholder(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, None),
        ("", None),
        ("   \n\t ", None),
        ("  Error  ", None),
        ("a\n  b\t\tc ", "a b c"),
        ("1. first\n2. second", "1. first 2. second"),
        ("全角\u3000空格", "全角 空格"),
    ],
)
def test_clean_collapses_whitespace(text: str | None, expected: str | None) -> None:
    assert clean(text) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([], None),
        (["", "  "], None),
        (["Error"], None),
        (["one line"], "one line"),
        (["hard", "wrapped  text"], "hard wrapped text"),
        (["first paragraph", "  second", "continues"], "first paragraph\nsecond continues"),
        (["before", "", "after a blank line", ""], "before\nafter a blank line"),
        (["Result: at column 0", "Conclusion: too"], "Result: at column 0 Conclusion: too"),
    ],
)
def test_clean_abstract_keeps_paragraphs(lines: list[str], expected: str | None) -> None:
    assert clean_abstract(lines) == expected
