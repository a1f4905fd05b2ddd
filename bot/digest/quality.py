"""The data-quality figures of a parsed digest, for the admins' report after each ingest (pure)."""

from __future__ import annotations

from collections import Counter

from bot.models import Digest, QualityReport


def quality_report(digest: Digest) -> QualityReport:
    categories = Counter(p.category or "unknown" for p in digest.papers)
    return QualityReport(
        papers=len(digest.papers),
        per_category=tuple(sorted(categories.items(), key=lambda item: (-item[1], item[0]))),
        cross_listed=sum(1 for p in digest.papers if len(p.all_categories) > 1),
        duplicates_merged=digest.duplicates_merged,
        missing_summary=sum(1 for p in digest.papers if not p.has_ai_text),
        warnings=digest.warnings,
    )
