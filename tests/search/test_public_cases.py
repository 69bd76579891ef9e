"""The 30 public cases (tests/data/search-cases.tsv) through the real index
on whichever database the suite runs on (CI: SQLite, then PostgreSQL), with
the document as a headline and as a body, plus cases for bugs found since."""

import pytest
from django.utils.html import escape

from khabar.search.selectors import search_articles

from .conftest import load_cases

# Bugs found while building search; each once gave the wrong answer.
FOUND = [
    # A word longer than PostgreSQL indexes (2,047 bytes) used to vanish from
    # the tsquery there, so the rest of the query matched alone.
    {"query": "سوريا " + "ب" * 3000, "document_text": "دخول الفصائل السورية", "should_match": "no"},
    {"query": "ب" * 3000, "document_text": "كلمة " + "ب" * 3000, "should_match": "yes"},
    # Quoted stop word: kept, unlike a bare one.
    {"query": '"في" سوريا', "document_text": "مباراة سوريا الودية", "should_match": "no"},
    {"query": "في سوريا", "document_text": "مباراة سوريا الودية", "should_match": "yes"},
    # Only stop words: they are the query.
    {"query": "على", "document_text": "وافق على القرار", "should_match": "yes"},
    # Guillemets and curly quotes are phrase quotes too.
    {"query": "«الأمم المتحدة»", "document_text": "تقرير الامم المتحده الاخير", "should_match": "yes"},
    {"query": "“المتحدة الأمم”", "document_text": "تقرير الامم المتحده الاخير", "should_match": "no"},
    # An unbalanced quote runs to the end.
    {"query": '"الامم المتحدة', "document_text": "الأمم المتحدة", "should_match": "yes"},
    {"query": "سوريا -الفصائل", "document_text": "دخول الفصائل السورية", "should_match": "no"},
    # FTS5 and tsquery syntax is text: NEAR is a word, * ^ : & | ! nothing.
    {"query": "تركيا* ^سوريا NEAR: &|!", "document_text": "تركيا وسوريا", "should_match": "no"},
    {"query": "تركيا* ^سوريا: &|!", "document_text": "تركيا وسوريا", "should_match": "yes"},
]


def _ids(case, field, make_article):
    text = case["document_text"]
    fields = (
        {"headline": text, "body": "<p>نص</p>"} if field == "headline" else {"body": f"<p>{escape(text)}</p>"}
    )
    article = make_article(**fields)
    make_article(headline="خبر آخر لا علاقة له", body="<p>عن الطقس والرياح</p>")
    return article.pk, {a.pk for a in search_articles(case["query"])[:20]}


@pytest.mark.parametrize("field", ["headline", "body"])
@pytest.mark.parametrize(
    "case", [pytest.param(c, id=f"{c['query']}~{c['should_match']}") for c in load_cases()]
)
def test_public_search_case(case, field, make_article):
    pk, found = _ids(case, field, make_article)
    assert (pk in found) == (case["should_match"] == "yes"), case["why"]


@pytest.mark.parametrize("case", [pytest.param(c, id=c["query"][:40]) for c in FOUND])
def test_search_case_found_while_building(case, make_article):
    pk, found = _ids(case, "body", make_article)
    assert (pk in found) == (case["should_match"] == "yes")


def test_all_thirty_public_cases_are_loaded():
    assert len(load_cases()) == 30
