"""Roles and who may do what (SECURITY-TESTS T-27 role matrix, T-28 IDOR)."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from khabar.comments.models import Comment
from khabar.news.models import Article
from khabar.newsroom.roles import ADMIN, EDITOR, REPORTER, ROLE_PERMISSIONS

from .helpers import ADD_URL, PASSWORD, change_url, draft, form_data, login, make_user

pytestmark = pytest.mark.django_db


def test_data_migration_creates_the_three_roles_with_their_permissions():
    Group.objects.filter(name__in=ROLE_PERMISSIONS).delete()
    migration = importlib.import_module("khabar.newsroom.migrations.0002_roles")
    migration.forwards(django_apps, None)
    perms = {
        g.name: {
            f"{p.content_type.app_label}.{p.codename}" for p in g.permissions.select_related("content_type")
        }
        for g in Group.objects.filter(name__in=ROLE_PERMISSIONS)
    }
    assert set(perms) == {REPORTER, EDITOR, ADMIN}
    assert "news.publish_article" not in perms[REPORTER]
    assert {"news.add_article", "news.change_article"} <= perms[REPORTER]
    assert {"news.publish_article", "news.edit_any_article", "comments.change_comment"} <= perms[EDITOR]
    assert "auth.add_user" not in perms[EDITOR]
    assert {"auth.add_user", "auth.change_user"} <= perms[ADMIN] and perms[EDITOR] <= perms[ADMIN]


# --- T-27: the written matrix --------------------------------------------------------------
ALLOW, FORBIDDEN, HIDDEN, LOGIN = "allow", 403, 404, "login"
ACTIONS = [
    "create_draft",
    "edit_own",
    "edit_another",
    "publish",
    "schedule",
    "unpublish",
    "delete",
    "moderate_comments",
    "manage_users",
]
MATRIX = {
    None: dict.fromkeys(ACTIONS, LOGIN),
    REPORTER: {
        "create_draft": ALLOW,
        "edit_own": ALLOW,
        "edit_another": HIDDEN,  # others' stories do not exist for a reporter
        "publish": FORBIDDEN,
        "schedule": FORBIDDEN,
        "unpublish": FORBIDDEN,
        "delete": FORBIDDEN,
        "moderate_comments": FORBIDDEN,
        "manage_users": FORBIDDEN,
    },
    EDITOR: {**dict.fromkeys(ACTIONS, ALLOW), "manage_users": FORBIDDEN},
    ADMIN: dict.fromkeys(ACTIONS, ALLOW),
}


class Scene:
    """One actor and the stories and comment the matrix acts on. A reporter
    acts on their own stories (so only the role can stop them); everyone
    else acts on stories a reporter wrote."""

    def __init__(self, role):
        self.writer = make_user("writer", REPORTER)
        self.actor = make_user("actor", role) if role else None
        owner = self.actor if role == REPORTER else self.writer
        mine = self.actor if role else self.writer
        self.own_draft = draft(mine, headline="مسودتي الخاصة")
        self.others_draft = draft(self.writer, headline="مسودة زميل")
        self.in_review = draft(owner, headline="خبر بانتظار المراجعة", status=Article.Status.REVIEW)
        live = {"status": Article.Status.PUBLISHED, "published_at": timezone.now() - timedelta(hours=1)}
        self.live = draft(owner, headline="خبر منشور", **live)
        self.comment = Comment.objects.create(article=self.live, name="قارئ", body="تعليق", status="pending")


def run(action, client, s: Scene):
    """Do the action through its real route; return (response, did_it_happen)."""
    future = timezone.localtime() + timedelta(days=1)
    if action == "create_draft":
        r = client.post(ADD_URL, form_data(headline="خبر أنشأه الفاعل"))
        return r, Article.objects.filter(headline="خبر أنشأه الفاعل").exists()
    if action in ("edit_own", "edit_another"):
        article = s.own_draft if action == "edit_own" else s.others_draft
        r = client.post(change_url(article), form_data(article, headline="عنوان بعد التعديل"))
        return r, Article.objects.get(pk=article.pk).headline == "عنوان بعد التعديل"
    if action in ("publish", "schedule"):
        data = {"publish_at": future.strftime("%Y-%m-%dT%H:%M")} if action == "schedule" else {}
        r = client.post(f"/newsroom/articles/{s.in_review.pk}/publish/", data)
        a = Article.objects.get(pk=s.in_review.pk)
        scheduled = a.published_at is not None and a.published_at > timezone.now()
        return r, a.status == Article.Status.PUBLISHED and scheduled == (action == "schedule")
    if action == "unpublish":
        r = client.post(f"/newsroom/articles/{s.live.pk}/unpublish/")
        return r, Article.objects.get(pk=s.live.pk).status == Article.Status.UNPUBLISHED
    if action == "delete":
        r = client.post(f"/admin/news/article/{s.live.pk}/delete/", {"post": "yes"})
        return r, not Article.objects.filter(pk=s.live.pk).exists()
    if action == "moderate_comments":
        data = {"action": "approve", "_selected_action": [s.comment.pk], "index": 0}
        r = client.post("/admin/comments/comment/", data)
        return r, Comment.objects.get(pk=s.comment.pk).status == Comment.Status.APPROVED
    if action == "manage_users":
        data = {
            "username": "newcomer",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "usable_password": "true",
        }
        r = client.post("/admin/auth/user/add/", data)
        return r, get_user_model().objects.filter(username="newcomer").exists()
    raise AssertionError(action)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    "role", [None, REPORTER, EDITOR, ADMIN], ids=["anonymous", "reporter", "editor", "admin"]
)
def test_role_matrix(client, roles, role, action):
    scene = Scene(role)
    if scene.actor:
        login(client, scene.actor)
    response, happened = run(action, client, scene)
    expected = MATRIX[role][action]
    if expected == ALLOW:
        assert response.status_code == 302 and "/login/" not in response["Location"], response.status_code
        assert happened
    elif expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
        assert not happened
    else:
        assert response.status_code == expected
        assert not happened


def test_matrix_covers_every_role_and_action():
    assert all(set(row) == set(ACTIONS) for row in MATRIX.values()) and len(MATRIX) * len(ACTIONS) == 36


# --- T-28: IDOR on drafts -------------------------------------------------------------------
def test_reporter_cannot_reach_another_reporters_draft_by_id(client, reporter, other_reporter):
    secret = draft(other_reporter, headline="مسودة سرية لا يراها غير كاتبها")
    login(client, reporter)
    for url in [
        change_url(secret),
        f"/admin/news/article/{secret.pk}/delete/",
        f"/admin/news/article/{secret.pk}/history/",
        f"/newsroom/articles/{secret.pk}/revisions/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert secret.headline not in response.content.decode()
    assert client.post(change_url(secret), form_data(secret, headline="اختراق")).status_code == 404
    assert client.post(f"/newsroom/articles/{secret.pk}/submit/").status_code == 404
    assert client.post(f"/admin/news/article/{secret.pk}/delete/", {"post": "yes"}).status_code == 404
    assert client.get(f"/admin/news/article/{secret.pk}/preview/").status_code in (403, 404)
    secret.refresh_from_db()
    assert secret.headline == "مسودة سرية لا يراها غير كاتبها" and secret.status == Article.Status.DRAFT


def test_guessed_ids_reveal_no_headline_and_the_list_shows_only_own(client, reporter, other_reporter):
    others = [draft(other_reporter, headline=f"مسودة زميل رقم {i}") for i in range(5)]
    mine = draft(reporter, headline="مسودتي أنا")
    login(client, reporter)
    top = max(a.pk for a in others) + 95
    revealed = []
    for pk in range(1, top + 1):
        if pk == mine.pk:
            continue
        body = client.get(f"/admin/news/article/{pk}/change/").content.decode()
        revealed += [a.pk for a in others if a.headline in body]
    assert revealed == []
    listing = client.get("/admin/news/article/").content.decode()
    assert mine.headline in listing and not any(a.headline in listing for a in others)


def test_staff_without_a_role_cannot_write(client, roles):
    nobody = make_user("nobody", None)
    nobody.is_staff = True
    nobody.save()
    login(client, nobody)
    assert client.post(ADD_URL, form_data(headline="بلا دور")).status_code == 403
    assert not Article.objects.filter(headline="بلا دور").exists()


def test_reporter_sees_own_published_story_read_only(client, reporter):
    article = draft(
        reporter, status=Article.Status.PUBLISHED, published_at=timezone.now() - timedelta(hours=1)
    )
    login(client, reporter)
    response = client.get(change_url(article))
    html = response.content.decode()
    assert response.status_code == 200 and article.headline in html
    assert 'name="headline"' not in html and 'name="_save"' not in html
    assert client.post(change_url(article), form_data(article, headline="بعد النشر")).status_code == 403
    assert Article.objects.get(pk=article.pk).headline == article.headline


def test_running_the_roles_migration_leaves_the_app_registry_as_it_was():
    before = {c.label: c.models_module for c in django_apps.get_app_configs()}
    importlib.import_module("khabar.newsroom.migrations.0002_roles").forwards(django_apps, None)
    assert {c.label: c.models_module for c in django_apps.get_app_configs()} == before
