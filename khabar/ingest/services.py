from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from khabar.arabic.slugs import slugify
from khabar.news.html import clean_body
from khabar.news.models import Agency, Article, Section
from khabar.search.services import index_article

from .textpage import parse_page


def _get_or_create_named(model, name: str):
    obj = model.objects.filter(name=name).first()
    if obj is None:
        obj = model.objects.create(
            name=name, slug=slugify(name) or f"{model._meta.model_name}-{model.objects.count() + 1}"
        )
    return obj


def import_text_pages(paths: list[Path], *, section_name: str = "أخبار") -> list[Article]:
    """Parse every file first (a bad file raises PageError naming file and
    line before anything is written), then create or update all articles in
    one transaction, keyed on agency + headline + publication time."""
    tz = ZoneInfo(settings.TIME_ZONE)
    pages = [parse_page(Path(p), tz) for p in paths]
    articles = []
    with transaction.atomic():
        section = _get_or_create_named(Section, section_name)
        for page in pages:
            agency = _get_or_create_named(Agency, page.agency)
            article, _ = Article.objects.update_or_create(
                agency=agency,
                headline=page.headline,
                published_at=page.published_at,
                defaults={
                    "body": clean_body(page.body_html),
                    "summary": page.summary,
                    "status": Article.Status.PUBLISHED,
                    "section": section,
                },
            )
            index_article(article)
            articles.append(article)
    return articles
