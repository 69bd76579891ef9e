"""The text of a stored body (khabar/news/html.py): the same text nh3 would
leave, and story pages get it without loading the sanitizer."""

import html
import re
import sys

import nh3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.news.html import ALLOWED_TAGS, clean_body, html_to_text

BREAKS = r"</(p|li|h2|h3|h4|blockquote)>"


def text_by_nh3(body: str) -> str:
    """The reference: line breaks after blocks, then nh3 with no tag allowed."""
    return html.unescape(nh3.clean(re.sub(BREAKS, "\n", body), tags=set())).replace("\xa0", " ").strip()


HOSTILE = [
    '<h2>عنوان</h2><ul><li>أ &amp; ب</li><li><a href="http://x/?a=<b>&c" title="a>b">رابط</a></li></ul>',
    '<blockquote cite="http://q">قول</blockquote><p>x&nbsp;y<br>z <script>alert(1)</script><!-- c --></p>',
    "<P>Upper</P><LI>li</LI>a < b > c &lt;p&gt;",
    "<figure><figcaption>cap</figcaption></figure><hr><q>q</q><sub>1</sub><sup>2</sup>",
    "<p>غير مغلق <a href='http://x'>رابط",
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_text_of_a_sanitised_body_is_what_nh3_leaves(raw):
    body = clean_body(raw)
    assert html_to_text(body) == text_by_nh3(body)


fragments = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
    st.sampled_from(sorted(ALLOWED_TAGS)).map(lambda t: f"<{t}>"),
    st.sampled_from(sorted(ALLOWED_TAGS)).map(lambda t: f"</{t}>"),
    st.sampled_from(['<a href="http://x/?q=<1>" title=\'"\'>', "&amp;", "&lt;", "&#1", "<!--", "<", ">"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(fragments, max_size=30).map("".join))
def test_any_sanitised_body_gives_the_same_text_as_nh3(raw):
    body = clean_body(raw)
    assert html_to_text(body) == text_by_nh3(body)


def test_block_ends_start_lines_and_tags_leave_no_trace():
    assert html_to_text("<h2>أ</h2><p>ب <b>ج</b></p><ul><li>د</li></ul>") == "أ\nب ج\nد"


@pytest.mark.django_db
def test_story_page_and_its_timeline_render_without_the_sanitizer(client, sample_article, monkeypatch):
    """Web processes serve stored bodies: a story page (its timeline reads
    the body's text) must not need nh3, which costs each process 1.7 MiB."""
    monkeypatch.setitem(sys.modules, "nh3", None)  # any import of nh3 now fails
    response = client.get(sample_article.get_absolute_url())
    assert response.status_code == 200
    assert 'class="timeline"' in response.content.decode()
