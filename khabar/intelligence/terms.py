"""An article's characteristic terms: analyzer stems weighted by TF-IDF,
where the IDF half comes from how common a term is in general Arabic
(data/term_frequencies.tsv.gz) rather than from our own, ever-changing
collection. Weights therefore do not drift as stories are added, and the
benchmark and the site compute exactly the same vectors. Pure functions."""

import gzip
import math
import re
from collections import Counter
from functools import cache
from pathlib import Path

from khabar.arabic.analyzer import ANALYZER_VERSION, analyze, is_stopword

TERM_FREQUENCIES = Path(__file__).parent / "data" / "term_frequencies.tsv.gz"
VERSION_PREFIX = "# analyzer "
TOP_TERMS = 30
HEADLINE_WEIGHT = 3  # a headline word counts as much as three body words
# A term rarer than this (per billion words) is as informative as it gets:
# unknown words are mostly names, but also typos, so they get no extra credit.
RARE_FLOOR = 100
# More common than one word in 500 (عام, يوم, كان): says nothing about a story.
COMMON = 2_000_000
_CONTENT = re.compile(r"[^\W\d_]{2,}")
# Bump when the selection or weighting below changes: stored terms are redone.
RULES_VERSION = "1"


@cache
def _frequencies() -> tuple[str, dict[str, int]]:
    with gzip.open(TERM_FREQUENCIES, "rt", encoding="utf-8") as lines:
        header = next(lines).split("\t")[0].removeprefix(VERSION_PREFIX)
        rows = (line.rstrip("\n").split("\t") for line in lines)
        return header, {term: int(count) for term, count in rows}


def table_version() -> str:
    """ANALYZER_VERSION the frequency table was built with."""
    return _frequencies()[0]


def terms_version() -> str:
    return f"{RULES_VERSION}-{ANALYZER_VERSION}"[:40]


def idf(term: str) -> float:
    count = max(_frequencies()[1].get(term, 0), RARE_FLOOR)
    return math.log(1_000_000_000 / count)


def content_terms(text: str) -> list[str]:
    """analyze() output without stop words, very common words, digits and
    one-letter leftovers."""
    common = _frequencies()[1]
    return [
        t for t in analyze(text) if _CONTENT.fullmatch(t) and not is_stopword(t) and common.get(t, 0) < COMMON
    ]


def article_terms(headline: str, text: str, top: int = TOP_TERMS) -> dict[str, float]:
    """The ``top`` terms of a story by (1 + log tf) × idf, scaled to unit length."""
    counts = Counter(content_terms(text))
    for term in content_terms(headline):
        counts[term] += HEADLINE_WEIGHT
    scored = {t: (1 + math.log(n)) * idf(t) for t, n in counts.items()}
    best = sorted(scored.items(), key=lambda item: (-item[1], item[0]))[:top]
    norm = math.sqrt(sum(w * w for _, w in best)) or 1.0
    return {t: round(w / norm, 5) for t, w in best}
