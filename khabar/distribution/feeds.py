"""RSS 2.0 and Atom feeds (Django's syndication framework) for the site, each
section and each tag: the latest 50 stories, full sanitised text, author,
categories and the lead image as an enclosure. The JSON Feed view reuses
these classes for its items and titles."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _

from khabar.news.html import clean_body, strip_illegal_chars
from khabar.news.models import Article, Section, Tag

from .meta import absolute, item_uri, lead_image, modified_at

FEED_SIZE = 50


class RssWithContent(Rss201rev2Feed):
    """RSS 2.0 plus content:encoded, where readers look for the full story."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": "http://purl.org/rss/1.0/modules/content/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content_html"])


class AtomWithContent(Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


def clean(text: str) -> str:
    # Control characters would make the XML ill-formed (and Django refuses them).
    return strip_illegal_chars(text).strip()


class SiteFeed(Feed):
    feed_type = RssWithContent
    # No fixed language: the syndication framework then uses the edition's
    # (the URL's), and items() lists that edition's stories.
    item_guid_is_permalink = False
    scope = "site"

    def get_object(self, request, slug=None):
        return None

    def title(self, obj):
        return clean(f"{settings.SITE_NAME}: {obj.name if obj else _('آخر الأخبار')}")

    def link(self, obj):
        return absolute(obj.get_absolute_url() if obj else reverse("news:front"))

    def description(self, obj):
        text = _("آخر %(count)s خبراً من %(agency)s") % {"count": FEED_SIZE, "agency": settings.SITE_AGENCY}
        return clean(text)

    def author_name(self):
        return clean(settings.SITE_AGENCY)

    def feed_copyright(self):
        return clean(f"© {settings.SITE_AGENCY}")

    def filter(self, queryset, obj):
        return queryset

    def items(self, obj):
        queryset = (
            Article.objects.published()
            .in_edition()
            .select_related("section", "agency", "author")
            .prefetch_related("tags")
        )
        return list(self.filter(queryset, obj)[:FEED_SIZE])

    def item_title(self, item):
        return clean(item.headline)

    def item_description(self, item):
        return clean(item.summary or item.headline)

    def item_extra_kwargs(self, item):
        return {"content_html": clean(clean_body(item.body))}

    def item_link(self, item):
        return item.canonical_url

    def item_guid(self, item):
        return item_uri(item)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return modified_at(item)

    def item_author_name(self, item):
        return clean(item.author.name if item.author else item.agency.name)

    def item_categories(self, item):
        return [clean(item.section.name), *(clean(tag.name) for tag in item.tags.all())]

    def item_enclosures(self, item):
        image = lead_image(item)
        if image is None:
            return []
        return [Enclosure(image.url, str(image.size or 0), image.mime_type)]


class SectionFeed(SiteFeed):
    scope = "section"

    def get_object(self, request, slug=None):
        return get_object_or_404(Section, slug=slug)

    def filter(self, queryset, obj):
        return queryset.filter(section=obj)


class TagFeed(SiteFeed):
    scope = "tag"

    def get_object(self, request, slug=None):
        return get_object_or_404(Tag, slug=slug)

    def filter(self, queryset, obj):
        return queryset.filter(tags=obj)


FEEDS = {"site": SiteFeed, "section": SectionFeed, "tag": TagFeed}


def atom(feed_class):
    return type(f"{feed_class.__name__}Atom", (feed_class,), {"feed_type": AtomWithContent})
