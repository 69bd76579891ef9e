"""What the browser must fetch before it can paint: the stylesheets stay
small and no script blocks rendering. Read from the HTML the reader gets."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CSS_BUDGET = 30 * 1024  # bytes, uncompressed, every stylesheet a page links
EXECUTABLE = {"", "text/javascript", "application/javascript", "module"}
LANGUAGES = ["ar", "en"]  # the Arabic edition and the English one under /en/


class Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stylesheets, self.scripts = [], []
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif tag == "link" and "stylesheet" in (attrs.get("rel") or "").split():
            self.stylesheets.append(attrs["href"])
        elif tag == "script":
            self.scripts.append({**attrs, "in_head": self.in_head})


@pytest.fixture
def stories(sample_article):
    """Each edition lists stories in its own language: one story for each."""
    english = ArticleFactory(language="en", section=sample_article.section, headline="Talks in Damascus")
    return {"ar": sample_article, "en": english}


def reader_pages(stories, lang):
    article = stories[lang]
    with translation.override(lang):
        return [
            reverse("news:front"),
            article.get_absolute_url(),
            reverse("search:search") + "?q=" + "دمشق",
            article.section.get_absolute_url(),
            article.get_comment_url(),
        ]


def assets(client, url) -> Assets:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = Assets()
    parser.feed(response.content.decode())
    return parser


def body_bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("lang", LANGUAGES)
def test_stylesheets_of_every_page_stay_under_30_kb(client, stories, lang):
    sizes = {}
    for url in reader_pages(stories, lang):
        for href in assets(client, url).stylesheets:
            if href not in sizes:
                response = client.get(href)
                assert response.status_code == 200, href
                sizes[href] = len(body_bytes(response))
    assert sizes, "pages link no stylesheet"
    total = sum(sizes.values())
    assert total < CSS_BUDGET, f"{total} bytes of CSS: {sizes}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_script_blocks_rendering(client, stories, lang):
    seen = 0
    for url in reader_pages(stories, lang):
        for script in assets(client, url).scripts:
            kind = (script.get("type") or "").lower()
            if kind not in EXECUTABLE:
                continue  # data such as JSON-LD: never executed
            seen += 1
            # An external script without defer/async stops the parser where
            # it stands; an inline one is refused by the CSP anyway.
            assert script.get("src"), f"inline script on {url}"
            assert kind == "module" or "defer" in script or "async" in script, (
                f"{script} blocks rendering on {url}"
            )
    assert seen, "no script found at all: the parser or the pages changed"


def test_parser_flags_a_blocking_script_and_counts_stylesheets():
    parser = Assets()
    parser.feed(
        '<html><head><link rel="stylesheet" href="/a.css"><script src="/x.js"></script></head>'
        '<body><script src="/y.js" defer></script></body></html>'
    )
    assert parser.stylesheets == ["/a.css"]
    assert [("defer" in s, s["in_head"]) for s in parser.scripts] == [(False, True), (True, False)]
