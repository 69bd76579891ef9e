"""Sitemaps (django.contrib.sitemaps): articles, sections, tags, and the
Google News sitemap of the last two days. Locations use SITE_URL, the same
address as the pages' canonical links."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from khabar.news.models import Article, Section, Tag

from .meta import modified_at

NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


class SiteUrlSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ArticleSitemap(SiteUrlSitemap):
    limit = 50_000  # the protocol's maximum; the index lists ?p=2... beyond it

    def items(self):
        return (
            Article.objects.published()
            .only("id", "language", "slug", "published_at", "last_update", "created_at", "corrections")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, item):
        return modified_at(item)

    def get_latest_lastmod(self):
        # The index asks for this; one query instead of walking every article.
        latest = self.items().aggregate(published=Max("published_at"), updated=Max("last_update"))
        return max((t for t in latest.values() if t is not None), default=None)


def _latest_public(**link):
    """Publication time of the newest public story linked to the row (or None)."""
    stories = Article.objects.published().filter(**link).order_by("-published_at")
    return Subquery(stories.values("published_at")[:1])


class SectionSitemap(SiteUrlSitemap):
    def items(self):
        return Section.objects.annotate(latest=_latest_public(section=OuterRef("pk"))).order_by(
            "position", "name"
        )

    def lastmod(self, item):
        return item.latest


class TagSitemap(SiteUrlSitemap):
    def items(self):
        # Only tags with a public story: an empty tag page is not worth a crawl.
        return (
            Tag.objects.annotate(latest=_latest_public(tags=OuterRef("pk")))
            .filter(latest__isnull=False)
            .order_by("name")
        )

    def lastmod(self, item):
        return item.latest


class NewsSitemap(SiteUrlSitemap):
    """Google News: stories published in the last two days, at most 1,000."""

    limit = NEWS_LIMIT

    def items(self):
        now = timezone.now()
        return list(
            Article.objects.published(now=now)
            .filter(published_at__gte=now - NEWS_WINDOW)
            .only(
                "id",
                "language",
                "slug",
                "headline",
                "published_at",
                "last_update",
                "created_at",
                "corrections",
            )
            .order_by("-published_at", "-id")[:NEWS_LIMIT]
        )

    def lastmod(self, item):
        return modified_at(item)


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "news": NewsSitemap,
}
