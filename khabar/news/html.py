"""Article bodies are stored as sanitised structured HTML. Everything that
writes a body (admin form, importer, API) passes it through `clean_body`."""

import html as stdlib_html
import re

ALLOWED_TAGS = {
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "a",
    "strong",
    "em",
    "b",
    "i",
    "figure",
    "figcaption",
    "cite",
    "q",
    "sub",
    "sup",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "blockquote": {"cite"}, "q": {"cite"}}
# Characters XML 1.0 forbids: they would break feeds and sitemaps later.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def strip_illegal_chars(text: str) -> str:
    return _XML_ILLEGAL.sub("", text or "")


def clean_body(html: str) -> str:
    # nh3 is imported at first use: web processes that only serve stored,
    # already cleaned bodies never load the sanitizer (~1.5 MiB each).
    import nh3

    cleaned = nh3.clean(
        strip_illegal_chars(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    # Again on the way out: nh3 decodes character references, and "&#1"
    # comes out as a raw U+0001 (found by tests/security/test_properties.py).
    return strip_illegal_chars(cleaned).strip()


# A tag of a sanitised body: nh3 writes "<" and ">" nowhere else (text and
# attribute values have them escaped), so this finds every tag, and it runs
# in linear time on any input (a scan stops at the next "<" or ">").
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^<>]*>")
# Blocks whose end starts a new line of text.
_TEXT_BREAKS = {"p", "li", "h2", "h3", "h4", "blockquote"}


def _tag_to_text(match: re.Match) -> str:
    return "\n" if match[1] and match[2].lower() in _TEXT_BREAKS else ""


def html_to_text(html: str) -> str:
    """Plain text of a stored, sanitised body (for search, summaries,
    timelines and dates). Not through nh3: story pages need the text (their
    timeline), and a web process that never sanitises should not map nh3's
    1.7 MiB; this is also faster and gives the same text on stored bodies
    (tests/news/test_html.py)."""
    text = stdlib_html.unescape(_TAG.sub(_tag_to_text, html or ""))
    return text.replace("\xa0", " ").strip()
