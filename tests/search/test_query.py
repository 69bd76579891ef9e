"""The query parser on its own: what a reader types becomes analyzed terms."""

from hypothesis import given
from hypothesis import strategies as st

from khabar.arabic.analyzer import analyze
from khabar.search.query import MAX_ITEMS, ParsedQuery, fts5_match, parse_query


def terms(text):
    return tuple(analyze(text))


def test_bare_words_are_each_required_and_stop_words_dropped():
    query = parse_query("الرئيس في دمشق")
    assert query.required == (terms("الرئيس"), terms("دمشق"))
    assert not query.excluded


def test_a_query_of_stop_words_only_keeps_them():
    assert parse_query("في على").required == (terms("في"), terms("على"))


def test_quoted_phrase_keeps_order_and_stop_words():
    query = parse_query('"وزير في الحكومة" اليوم')
    assert query.required == (terms("اليوم"), terms("وزير في الحكومة"))


def test_unbalanced_quote_runs_to_the_end():
    assert parse_query('سوريا "الأمم المتحدة').required == (terms("سوريا"), terms("الأمم المتحدة"))


def test_arabic_quote_marks_are_quotes():
    assert parse_query("«الأمم المتحدة»").required == (terms("الأمم المتحدة"),)


def test_minus_excludes_a_word_or_a_phrase():
    query = parse_query('سوريا -تركيا -"الأمم المتحدة"')
    assert query.required == (terms("سوريا"),)
    assert query.excluded == (terms("تركيا"), terms("الأمم المتحدة"))


def test_a_hyphen_inside_a_word_is_not_an_exclusion():
    query = parse_query("كوفيد-19")
    assert query.required == (("كوفيد",), ("19",)) and not query.excluded


def test_excluded_stop_word_is_ignored_unless_quoted():
    assert parse_query("سوريا -في").excluded == ()
    assert parse_query('سوريا -"في"').excluded == (terms("في"),)


def test_exclusions_alone_are_not_a_query():
    assert not parse_query("-سوريا")
    assert not parse_query("")
    assert not parse_query('"" - -- """')


def test_operators_and_sql_become_plain_terms():
    query = parse_query("NEAR(a b) * ^ : & | ! ' ; DROP TABLE news_article --")
    assert query.required == tuple((t,) for t in ["near", "a", "b", "drop", "table", "news", "article"])


def test_repeated_words_count_once_and_long_input_is_capped():
    assert parse_query("سوريا سوريا السورية").required == (terms("سوريا"),)
    long_query = parse_query(" ".join(f"كلمة{n}" for n in range(500)))
    assert len(long_query.required) == MAX_ITEMS


def test_highlight_terms_leave_stop_words_out():
    assert parse_query('"وزير في الحكومة"').highlight_terms == {*terms("وزير الحكومة")}
    assert parse_query("في").highlight_terms == {*terms("في")}


def test_fts5_match_quotes_every_phrase():
    query = ParsedQuery(required=(("سور",), ("امم", "متحد")), excluded=(("ترك",),))
    assert fts5_match(query) == '("سور" AND "امم متحد") NOT "ترك"'


@given(st.text())
def test_parser_never_raises_and_emits_only_word_characters(text):
    query = parse_query(text)
    for phrase in (*query.required, *query.excluded):
        assert phrase and all(term and all(ch.isalnum() for ch in term) for term in phrase)
