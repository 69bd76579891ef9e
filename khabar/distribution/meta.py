"""Facts about an article that every distribution format states the same way:
its stable identifier, version, publication status, times and lead image."""

import mimetypes
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from khabar.news.models import Article


def uri_authority() -> str:
    return settings.NEWS_URI_AUTHORITY or urlsplit(settings.SITE_URL).hostname or "localhost"


def item_uri(article: Article) -> str:
    """NewsML-G2 style URN; stays the same across versions, addresses and renames."""
    return f"urn:newsml:{uri_authority()}:{article.created_at:%Y%m%d}:{article.pk}"


def version_created(article: Article) -> datetime:
    """When the version a subscriber receives came to be: the last save, or the
    moment a scheduled story fell due if that came later."""
    return max(article.updated_at, article.published_at or article.updated_at)


def item_version(article: Article) -> int:
    """A positive integer that grows with every new version (NewsML-G2 wants one)."""
    return max(1, int(version_created(article).timestamp()))


def pub_status(article: Article) -> str:
    """IPTC publication status: usable, withheld (not yet out) or canceled."""
    if article.status == Article.Status.UNPUBLISHED:
        return "canceled"
    return "usable" if article.is_public else "withheld"


def modified_at(article: Article) -> datetime:
    """The editorial modification time (an update or a correction), not every technical save."""
    stamps = [article.published_at or article.created_at, article.last_update]
    stamps += [note["at"] for note in article.correction_notes]
    return max(t for t in stamps if t is not None)


def w3c(value: datetime) -> str:
    """ISO 8601 with the site's UTC offset, to the second."""
    return timezone.localtime(value).isoformat(timespec="seconds")


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else settings.SITE_URL + path


@dataclass(frozen=True)
class LeadImage:
    url: str
    mime_type: str
    width: int | None
    height: int | None
    size: int | None
    alt: str
    caption: str
    credit: str


def lead_image(article: Article) -> LeadImage | None:
    if not article.image:
        return None
    try:
        width, height, size = article.image.width, article.image.height, article.image.size
    except (OSError, ValueError, TypeError):
        # A lost file still gets announced; readers' tools cope without sizes.
        width = height = size = None
    return LeadImage(
        url=absolute(article.image.url),
        mime_type=mimetypes.guess_type(article.image.name)[0] or "image/jpeg",
        width=width,
        height=height,
        size=size,
        alt=article.image_alt or article.headline,
        caption=article.image_caption,
        credit=article.image_credit,
    )
