"""Signed, expiring preview links: an editor can show a draft's public look to
a colleague without an account. The token names the article and when it was
signed; SECRET_KEY and a salt of our own make it unforgeable."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from khabar.news.models import Article

_SALT = "khabar.newsroom.preview"


class PreviewExpired(Exception):
    pass


class PreviewInvalid(Exception):
    pass


def preview_url(article: Article) -> str:
    token = signing.TimestampSigner(salt=_SALT).sign(str(article.pk))
    return reverse("newsroom:preview", kwargs={"token": token})


def article_for_preview(token: str) -> Article:
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        pk = int(signer.unsign(token, max_age=settings.NEWSROOM_PREVIEW_TTL))
    except signing.SignatureExpired:
        raise PreviewExpired from None
    except (signing.BadSignature, ValueError):
        raise PreviewInvalid from None
    article = (
        Article.objects.select_related("section", "agency", "author")
        .prefetch_related("tags")
        .filter(pk=pk)
        .first()
    )
    if article is None:
        raise PreviewInvalid
    return article
