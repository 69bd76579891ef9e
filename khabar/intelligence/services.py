"""Writes of the intelligence app: the stored term index, editors' hidden
timeline entries and accepted tag suggestions. Each runs in one
transaction; page-cache updates happen after commit. Hiding writes only
Article.timeline_hidden (a queryset update), so the story's updated_at and
the newsroom's version stay as they are: the text did not change."""

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from khabar.arabic.analyzer import protect_names
from khabar.arabic.slugs import slugify
from khabar.news.html import html_to_text
from khabar.news.models import Article, Tag
from khabar.pagecache.services import content_changed

from . import terms
from .models import ArticleTerm, ArticleTermState, TagAlias


@transaction.atomic
def article_terms_refresh(*, article: Article) -> dict[str, float]:
    """Store the story's top terms (terms.article_terms) for related stories."""
    vector = terms.article_terms(article.headline, html_to_text(article.body))
    ArticleTerm.objects.filter(article=article).delete()
    ArticleTerm.objects.bulk_create(ArticleTerm(article=article, term=t, weight=w) for t, w in vector.items())
    ArticleTermState.objects.update_or_create(
        article=article,
        defaults={"source_updated_at": article.updated_at, "version": terms.terms_version()},
    )
    return vector


def stale_articles(*, everything: bool = False):
    """Published stories whose stored terms are missing or out of date."""
    stories = Article.objects.published().only("id", "headline", "body", "updated_at")
    if everything:
        return stories
    fresh = Q(
        intel_term_state__source_updated_at=F("updated_at"), intel_term_state__version=terms.terms_version()
    )
    return stories.exclude(fresh)


def protect_tag_names() -> int:
    """Tell the analyzer never to split the words of tag names and aliases
    (كالن is not ك + الن). Returns how many names were given."""
    names = list(Tag.objects.values_list("name", flat=True)) + list(
        TagAlias.objects.values_list("name", flat=True)
    )
    protect_names(names)
    return len(names)


@transaction.atomic
def timeline_entry_hide(*, article: Article, key: str, label: str = "", by=None) -> None:
    """Hide one entry of the story's timeline (an extraction the editor judged wrong)."""
    row = Article.objects.select_for_update().only("id", "timeline_hidden").get(pk=article.pk)
    if key not in {item.get("key") for item in row.timeline_hidden}:
        who = by.get_username() if by is not None else ""
        item = {"key": key, "label": label[:300], "by": who, "at": timezone.now().isoformat()}
        row.timeline_hidden = [*row.timeline_hidden, item]
        Article.objects.filter(pk=row.pk).update(timeline_hidden=row.timeline_hidden)
    article.timeline_hidden = row.timeline_hidden
    transaction.on_commit(lambda: content_changed(article=article, article_only=True))


@transaction.atomic
def timeline_entry_show(*, article: Article, key: str, by=None) -> None:
    """Put a hidden entry back."""
    row = Article.objects.select_for_update().only("id", "timeline_hidden").get(pk=article.pk)
    row.timeline_hidden = [item for item in row.timeline_hidden if item.get("key") != key]
    Article.objects.filter(pk=row.pk).update(timeline_hidden=row.timeline_hidden)
    article.timeline_hidden = row.timeline_hidden
    transaction.on_commit(lambda: content_changed(article=article, article_only=True))


def _unique_slug(name: str) -> str:
    base = slugify(name) or "tag"
    slug, n = base, 1
    while Tag.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def article_tag_accept(*, article: Article, tag: Tag | None = None, name: str = "", by=None) -> Tag:
    """Add a suggested tag to the story: an existing ``tag``, or the tag
    called ``name``, created if there is none (a country or a capital)."""
    if tag is None:
        name = " ".join(name.split())
        if not name:
            raise ValueError("اسم الوسم فارغ")
        tag = Tag.objects.filter(name=name).first() or Tag.objects.create(name=name, slug=_unique_slug(name))
    article.tags.add(tag)
    # Tag pages and listings change, not only this story's page.
    transaction.on_commit(lambda: content_changed(article=article))
    return tag
