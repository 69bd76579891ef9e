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


def html_to_text(html: str) -> str:
    """Plain text of a body (for search, summaries and date extraction)."""
    import nh3

    text = re.sub(r"</(p|li|h2|h3|h4|blockquote)>", "\n", html or "")
    return stdlib_html.unescape(nh3.clean(text, tags=set())).replace("\xa0", " ").strip()
