"""Shared helpers for the newsroom tests (fixtures live in conftest.py)."""

import io

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from PIL import Image

from khabar.news.models import Article
from khabar.newsroom.roles import sync_roles
from tests.factories import AgencyFactory, SectionFactory

PASSWORD = "kh-newsroom-test-pass-1"


def ensure_roles() -> None:
    """The data migration made the roles; a transactional test elsewhere in
    the suite may have flushed them (and, with available_apps, permissions)
    since. Same steps as the migration, idempotent."""
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    sync_roles(Group, Permission)


def make_user(username: str, role: str | None) -> object:
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=role is not None)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def login(client, user):
    client.force_login(user)
    return client


def draft(by, **fields) -> Article:
    values = {
        "headline": "مسودة عن موازنة العام المقبل",
        "summary": "ملخص المسودة",
        "body": "<p>الفقرة الأولى من المسودة.</p>\n<p>الفقرة الثانية.</p>",
        "status": Article.Status.DRAFT,
        "published_at": None,
        "section": SectionFactory(),
        "agency": AgencyFactory(),
        "created_by": by,
        **fields,
    }
    return Article.objects.create(**values)


def form_data(article: Article | None = None, **overrides) -> dict:
    """What the admin's article form posts, for this article's current state."""
    data = {
        "headline": article.headline if article else "خبر جديد من المراسل",
        "slug": article.slug if article else "",
        "summary": article.summary if article else "ملخص",
        "body": article.body if article else "<p>نص الخبر.</p>",
        "section": (article.section_id if article else SectionFactory().pk),
        "agency": (article.agency_id if article else AgencyFactory().pk),
        "author": "",
        "image_alt": article.image_alt if article else "",
        "image_caption": article.image_caption if article else "",
        "image_credit": article.image_credit if article else "",
        "opened_version": article.version if article else "",
    }
    data.update(overrides)
    return data


def png_bytes(width=1600, height=900, color=(200, 30, 30), **save_args) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG", **save_args)
    return buffer.getvalue()


def jpeg_bytes(width=1600, height=900, **save_args) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buffer, "JPEG", **save_args)
    return buffer.getvalue()


def change_url(article) -> str:
    return f"/admin/news/article/{article.pk}/change/"


ADD_URL = "/admin/news/article/add/"
