"""schema.org JSON-LD for the article page (NewsArticle and BreadcrumbList),
as pure functions, and the escaping that keeps it inert inside <script>."""

import json

from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

from khabar.news.models import Article
from khabar.news.reversing import per_urlconf, reverse

from .meta import absolute, modified_at, w3c

# The file's real size is checked by the tests.
LOGO = ("khabar/logo.png", 600, 60)
# `</script>` or `<!--` in a headline must not end the data block early.
# Three str.replace calls: str.translate with a dict walks Arabic text one
# character at a time in Python, a measurable share of the article page.
_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"))


@per_urlconf(maxsize=16)
def publisher() -> dict:
    """The same for every page of an edition: built once per process and
    language (the result is shared, so callers must not change it)."""
    path, width, height = LOGO
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": absolute(reverse("news:front")),
        "logo": {"@type": "ImageObject", "url": absolute(static(path)), "width": width, "height": height},
    }


def news_article(article: Article) -> dict:
    canonical = article.canonical_url
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "url": canonical,
        "headline": article.headline,
        "description": article.summary or article.headline,
        "datePublished": w3c(article.published_at),
        "dateModified": w3c(modified_at(article)),
        "inLanguage": article.language,
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "author": (
            {"@type": "Person", "name": article.author.name}
            if article.author
            else {"@type": "Organization", "name": article.agency.name}
        ),
        "sourceOrganization": {"@type": "Organization", "name": article.agency.name},
        "publisher": publisher(),
        "isAccessibleForFree": True,
    }
    if article.image:
        data["image"] = page_image(article)
    return data


def page_image(article: Article) -> dict:
    """The largest stored rendition, whose size is on the row: a page view reads no image file."""
    image = {
        "@type": "ImageObject",
        "caption": article.image_caption or article.image_alt or article.headline,
    }
    rendition = article.lead_rendition
    if rendition:
        return {
            **image,
            "url": absolute(rendition["url"]),
            "width": rendition["width"],
            "height": rendition["height"],
        }
    return {**image, "url": absolute(article.image.url)}


def breadcrumbs(article: Article) -> dict:
    trail = [
        (settings.SITE_NAME, absolute(reverse("news:front"))),
        (article.section.name, absolute(article.section.get_absolute_url())),
        (article.headline, article.canonical_url),
    ]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(trail, start=1)
        ],
    }


class ScriptJson:
    """JSON escaped for a <script> data block (as Django's json_script does).
    HTML-escaping it instead would corrupt it: script text is not entity-decoded."""

    def __init__(self, data: dict):
        text = json.dumps(data, ensure_ascii=False)
        for char, escaped in _SCRIPT_ESCAPES:
            text = text.replace(char, escaped)
        self.text = text

    def __html__(self) -> str:
        return self.text


def ld_json_script(data: dict) -> SafeString:
    return format_html('<script type="application/ld+json">{}</script>', ScriptJson(data))
