"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) as a pure function."""

from khabar.news.html import clean_body
from khabar.news.html import strip_illegal_chars as clean
from khabar.news.models import Article

from .meta import item_uri, lead_image, modified_at, w3c


def article_to_jsonfeed_item(article: Article) -> dict:
    item = {
        "id": item_uri(article),
        "url": article.canonical_url,
        "title": clean(article.headline),
        "content_html": clean_body(article.body),
        "summary": clean(article.summary or article.headline),
        "date_published": w3c(article.published_at),
        "date_modified": w3c(modified_at(article)),
        "authors": [{"name": clean(article.author.name if article.author else article.agency.name)}],
        "tags": [clean(article.section.name), *(clean(tag.name) for tag in article.tags.all())],
        "language": article.language,
    }
    image = lead_image(article)
    if image is not None:
        item["image"] = image.url
        attachment = {"url": image.url, "mime_type": image.mime_type, "title": image.caption or image.alt}
        if image.size:
            attachment["size_in_bytes"] = image.size
        item["attachments"] = [attachment]
    return item


def articles_to_jsonfeed(
    articles, *, title: str, home_page_url: str, feed_url: str, description: str, language: str = "ar"
) -> dict:
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": home_page_url,
        "feed_url": feed_url,
        "description": description,
        "language": language,
        "items": [article_to_jsonfeed_item(article) for article in articles],
    }
