"""IPTC ninjs 3.1 (News in JSON) for one article, as a pure function."""

from khabar.news.html import clean_body, html_to_text
from khabar.news.html import strip_illegal_chars as clean
from khabar.news.models import Article

from .meta import absolute, item_uri, item_version, lead_image, pub_status, version_created, w3c

NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#"


def _subjects(article: Article) -> list[dict]:
    section = article.section
    subjects = [
        {
            "name": section.name,
            "rel": "section",
            "literal": section.slug,
            "uri": absolute(section.get_absolute_url()),
        },
    ]
    subjects += [
        {"name": tag.name, "rel": "tag", "literal": tag.slug, "uri": absolute(tag.get_absolute_url())}
        for tag in article.tags.all()
    ]
    return subjects


def _image_association(article: Article) -> dict | None:
    image = lead_image(article)
    if image is None:
        return None
    original = {"name": "original", "href": image.url, "contentType": image.mime_type}
    for key, value in (("width", image.width), ("height", image.height), ("sizeInBytes", image.size)):
        if value:
            original[key] = value
    renditions = [original] + [
        {
            "name": f"w{r['width']}",
            "href": absolute(article.image.storage.url(r["name"])),
            "contentType": "image/jpeg",
            "width": r["width"],
            "height": r["height"],
        }
        for r in article.image_renditions
    ]
    association = {
        "name": "leadimage",
        "rel": "illustration",
        "uri": f"{item_uri(article)}:leadimage",
        "type": "picture",
        "language": article.language,
        "descriptions": [{"role": "alt", "value": image.alt}],
        "renditions": renditions,
    }
    if image.caption:
        association["descriptions"].append({"role": "caption", "value": image.caption})
    if image.credit:
        association["by"] = image.credit
    return association


def article_to_ninjs(article: Article) -> dict:
    body_html = clean_body(article.body)
    body_text = html_to_text(body_html)
    ninjs = {
        "uri": item_uri(article),
        "standard": {"name": "ninjs", "version": "3.1", "schema": NINJS_SCHEMA},
        "type": "text",
        "representationType": "full",
        "version": str(item_version(article)),
        "firstCreated": w3c(article.published_at or article.created_at),
        "versionCreated": w3c(version_created(article)),
        "pubStatus": pub_status(article),
        "language": article.language,
        "headlines": [{"role": "main", "contentType": "text/plain", "value": clean(article.headline)}],
        "bodies": [
            {
                "role": "main",
                "contentType": "text/html",
                "value": body_html,
                "charCount": len(body_text),
                "wordCount": len(body_text.split()),
            },
            {"role": "plain", "contentType": "text/plain", "value": body_text},
        ],
        "by": article.author.name if article.author else article.agency.name,
        "copyrightHolder": article.agency.name,
        "copyrightNotice": f"© {article.agency.name}",
        "infoSources": [{"name": article.agency.name, "role": "originfo"}],
        "subjects": _subjects(article),
        "altIds": [{"role": "url", "value": article.canonical_url}, {"role": "id", "value": str(article.pk)}],
    }
    descriptions = [{"role": "summary", "contentType": "text/plain", "value": clean(article.summary)}]
    descriptions += [{"role": "correction", "value": note["text"]} for note in article.correction_notes]
    if descriptions := [d for d in descriptions if d["value"]]:
        ninjs["descriptions"] = descriptions
    association = _image_association(article)
    if association is not None:
        ninjs["associations"] = [association]
    return ninjs
