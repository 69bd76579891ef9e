"""Snippets and highlighting: pure functions over the text as written."""

from khabar.arabic.analyzer import analyze
from khabar.search.snippets import highlight, snippet


def terms(text):
    return set(analyze(text))


def test_highlight_marks_words_as_written_and_escapes_the_rest():
    html = highlight("قال <وزير> الخارجيّة إنّ «الوزارةَ» ترحّب", terms("وزارة الخارجية"))
    assert html == "قال &lt;وزير&gt; <mark>الخارجيّة</mark> إنّ «<mark>الوزارةَ</mark>» ترحّب"


def test_snippet_centres_on_the_densest_passage():
    text = " ".join(
        ["تمهيد"] * 50 + ["ذكر", "الوزير"] + ["حشو"] * 50 + ["الوزير", "ووزارة", "الخارجية"] + ["ختام"] * 50
    )
    html = snippet(text, terms("وزير الخارجية"), words=12)
    assert html.startswith("… ") and html.endswith(" …")
    # وزارة (ministry) is another word than وزير (minister): not marked.
    assert "<mark>الوزير</mark> ووزارة <mark>الخارجية</mark>" in html


def test_snippet_without_a_match_is_the_opening():
    html = snippet("أول الكلام ثم بقيته " * 20, terms("بغداد"), words=5)
    assert html == "أول الكلام ثم بقيته أول …"


def test_snippet_of_empty_text_is_empty():
    assert snippet("", terms("بغداد")) == "" and snippet("   ", terms("بغداد")) == ""
