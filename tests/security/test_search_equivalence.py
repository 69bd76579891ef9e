"""T-15: the 20 `search-normalisation` pairs of the Arabic edge cases through
the real search index (SQLite FTS5 or PostgreSQL, whichever the suite runs
on): both spellings return the same set of stories, and a prefixed form
(و/ب/لل) finds the story with the base word. tests/arabic/test_analyzer.py
checks the same pairs one level down, on the analyzer's terms."""

import pytest
from django.test import Client

from khabar.search.selectors import search_articles
from khabar.search.services import index_article
from tests.factories import ArticleFactory

from . import payloads

PAIRS = payloads.arabic_entries("search-normalisation")


@pytest.fixture
def stories(db):
    """One story per spelling of every pair, plus one about something else."""
    texts = {e["s"] for e in PAIRS if ":" in e["expect"]} | {e["expect"].partition(":")[2] for e in PAIRS}
    found = {}
    for n, text in enumerate(sorted(texts)):
        article = ArticleFactory(headline=f"تقرير {n}: {text}", summary="", body="<p>نص التقرير</p>")
        index_article(article)
        found[text] = article.pk
    other = ArticleFactory(headline="الطقس غداً", summary="", body="<p>رياح وأمطار</p>")
    index_article(other)
    return found


def _ids(query: str) -> set[int]:
    return {a.pk for a in search_articles(query)[:100]}


def test_all_twenty_pairs_are_loaded():
    assert len(PAIRS) == 20


@pytest.mark.parametrize("entry", [pytest.param(e, id=e["id"]) for e in PAIRS])
def test_both_spellings_find_the_same_stories(entry, stories):
    kind, _, other = entry["expect"].partition(":")
    if kind == "no-error":  # a query of punctuation only: an empty result page, not an error
        assert _ids(entry["s"]) == set()
        assert Client().get("/search/", {"q": entry["s"]}).status_code == 200
        return
    found, base = _ids(entry["s"]), _ids(other)
    assert stories[other] in found and stories[entry["s"]] in found, entry["note"]
    if kind == "search-equivalent":
        assert found == base, entry["note"]
    else:  # search-should-find: the prefixed form also finds the story with the base word
        assert kind == "search-should-find"
        assert stories[other] in found and stories[entry["s"]] in base, entry["note"]
