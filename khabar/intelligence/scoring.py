"""How a candidate related story is scored. Pure, so the site (which gets
the term score from SQL) and benchmarks/related.py rank the same way."""

TAG_WEIGHT = 0.25  # one shared tag counts like a fair overlap of terms
SECTION_WEIGHT = 0.1  # same section: a hint, weaker than a shared tag
RECENCY_DAYS = 30  # a story a month apart counts half as much
CANDIDATES = 50  # best term scores looked at for the final ranking
# Below this cosine two stories share only a word or two of general news
# vocabulary: better no related story than an unrelated one.
MIN_TERMS = 0.05


def term_score(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two unit-length term vectors."""
    if len(b) < len(a):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b)


def qualifies(*, terms: float, shared_tags: int) -> bool:
    return shared_tags > 0 or terms >= MIN_TERMS


def final_score(*, terms: float, shared_tags: int, same_section: bool, days_apart: float) -> float:
    base = terms + TAG_WEIGHT * shared_tags + SECTION_WEIGHT * same_section
    return base / (1 + abs(days_apart) / RECENCY_DAYS)
