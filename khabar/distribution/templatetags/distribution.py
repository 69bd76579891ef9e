from django import template

from khabar.news.html import strip_illegal_chars

from ..meta import modified_at, w3c
from ..structured import breadcrumbs, ld_json_script, news_article

register = template.Library()


@register.inclusion_tag("distribution/_article_meta.html")
def article_meta(article):
    """OpenGraph article properties and JSON-LD for the article page (og:image
    and its size come from news/article.html, from the stored renditions)."""
    return {
        "article": article,
        "modified": modified_at(article),
        "json_ld": [ld_json_script(news_article(article)), ld_json_script(breadcrumbs(article))],
    }


@register.filter
def xmltext(value):
    """Text without the control characters XML 1.0 forbids (autoescaping still applies)."""
    return strip_illegal_chars(str(value))


@register.filter(name="w3c")
def w3c_filter(value):
    """W3C datetime to the second with the site's UTC offset (sitemaps, Google News)."""
    return w3c(value) if value else ""
