"""Both back ends against a reference written in Python over the analyzed
terms: same set for the same query (CI runs this file on SQLite and on
PostgreSQL), and no input whatsoever makes the database raise."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.arabic.analyzer import analyze
from khabar.search import selectors
from khabar.search.query import MAX_TERM_CHARS, parse_query
from khabar.search.selectors import search_articles

from .conftest import load_cases

NO_DB_RESET = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
HOSTILE = [
    "",
    " ",
    '"',
    '"""',
    "-",
    "--",
    '-""',
    "*",
    "سوريا*",
    "NEAR(سوريا تركيا)",
    "سوريا NEAR تركيا",
    "^سوريا",
    "headline_terms:سوريا",
    "سوريا & تركيا | !دمشق",
    "سوريا <-> تركيا",
    "!!",
    "(",
    ")",
    "'",
    "\\",
    "سوريا' OR '1'='1",
    "'; DROP TABLE news_article; --",
    "\x00",
    "سوريا\x00تركيا",
    "%",
    "%s %(x)s {}",
    "ب" * 5000,
    "سوريا " * 1000,
    '"' * 999,
    "\ufeff\u200f\u202e",
    "🙂🙂",
    "AND OR NOT",
    "سوريا AND",
]


def _reference(query: str, docs: dict[int, tuple[list[str], list[str]]]) -> set[int]:
    parsed = parse_query(query)

    def has(fields, phrase):
        n = len(phrase)
        return any(tuple(f[i : i + n]) == phrase for f in fields for i in range(len(f) - n + 1))

    if not parsed:
        return set()
    return {
        pk
        for pk, fields in docs.items()
        if all(has(fields, p) for p in parsed.required) and not any(has(fields, p) for p in parsed.excluded)
    }


@pytest.fixture
def corpus(make_article):
    """The 30 case documents, each with a headline from another case."""
    cases = load_cases()
    docs = {}
    for n, case in enumerate(cases):
        headline = cases[(n + 7) % len(cases)]["document_text"]
        article = make_article(headline=headline, body=f"<p>{case['document_text']}</p>")
        docs[article.pk] = ([t[:MAX_TERM_CHARS] for t in analyze(headline)], analyze(case["document_text"]))
    return docs


def _found(query: str) -> set[int]:
    results = search_articles(query)
    return {a.pk for a in results[: results.count()]}


VOCABULARY = ["سوريا", "تركيا", "أنقرة", "دمشق", "الرئيس", "في", "إلى", "الأمم", "المتحدة", "وزير", "الشؤون"]
EXTRA_QUERIES = [
    '"الأمم المتحدة"',
    '"المتحدة الأمم"',
    "سوريا -تركيا",
    'أنقرة -"دمشق"',
    "في",
    '"في"',
    '"إلى موسكو"',
    "الرئيس -فالرئيس",
    '"جهاز الاستخبارات التركي"',
]


@pytest.mark.parametrize("query", [c["query"] for c in load_cases()] + EXTRA_QUERIES)
def test_backend_returns_the_reference_set(query, corpus):
    assert _found(query) == _reference(query, corpus)


@given(
    words=st.lists(
        st.sampled_from(VOCABULARY),
        min_size=1,
        max_size=4,
    ),
    style=st.lists(st.sampled_from(["", "-", '"', "«"]), min_size=4, max_size=4),
)
@NO_DB_RESET
def test_generated_queries_match_the_reference(words, style, corpus):
    pieces = [
        f"{mark}{word}" if mark in {"", "-"} else f"{mark}{word}{mark}"
        for word, mark in zip(words, style, strict=False)
    ]
    query = " ".join(pieces)
    assert _found(query) == _reference(query, corpus)


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_input_gives_results_or_nothing(query, make_article):
    make_article(headline="سوريا وتركيا", body="<p>NEAR headline_terms AND OR NOT</p>")
    results = search_articles(query, sort="new")
    assert results.count() == len(results[:100])
    assert search_articles(query).count() == results.count()


@given(query=st.text(max_size=300) | st.lists(st.sampled_from(HOSTILE), max_size=5).map(" ".join))
@NO_DB_RESET
def test_query_parser_never_produces_a_database_error(query, corpus):
    results = search_articles(query)
    results.count()
    results[:20]
    search_articles(query, sort="new")[:20]


def test_search_runs_on_the_suites_database():
    # Guards against this file passing on one engine only because of a skip.
    assert connection.vendor in {"sqlite", "postgresql"}


def test_pages_past_the_ranked_window_continue_latest_first(make_article, monkeypatch):
    monkeypatch.setattr(selectors, "CANDIDATES", 3)
    now = timezone.now()
    written = [
        make_article(headline=f"سد الموصل {n}", published_at=now - timedelta(days=7 - n)) for n in range(7)
    ]
    results = search_articles("الموصل")
    order = [a.pk for start in range(0, 7, 2) for a in results[start : start + 2]]
    assert sorted(order) == sorted(a.pk for a in written)
    # The three written last are ranked; the rest follow, latest first.
    assert set(order[:3]) == {a.pk for a in written[4:]}
    assert order[3:] == [a.pk for a in reversed(written[:4])]
