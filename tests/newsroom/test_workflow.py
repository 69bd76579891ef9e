"""The editorial workflow: the transition table, scheduling by query, the
audit trail, cache purges after commit, and refusals by every route."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from khabar.news.models import Article
from khabar.newsroom import services
from khabar.newsroom.models import ArticleEvent, Revision

from .helpers import ADD_URL, change_url, draft, form_data, login

pytestmark = pytest.mark.django_db
S = Article.Status


def test_reporter_drafts_and_submits_and_the_editor_publishes(reporter, editor):
    article = services.article_save(article=Article(**_content()), by=reporter)
    assert (article.status, article.created_by, article.version) == (S.DRAFT, reporter, 1)
    article = services.article_submit(article=article, by=reporter)
    assert article.status == S.REVIEW
    article = services.article_publish(article=article, by=editor)
    assert article.status == S.PUBLISHED and article.is_public
    assert [e.action for e in ArticleEvent.objects.filter(article=article).order_by("id")] == [
        "submit",
        "publish",
    ]
    assert list(Revision.objects.filter(article=article).values_list("number", flat=True)) == [3, 2, 1]


def _content(**extra):
    from tests.factories import AgencyFactory, SectionFactory

    return {
        "headline": "خبر للاختبار",
        "body": "<p>نص</p><script>x()</script>",
        "section": SectionFactory(),
        "agency": AgencyFactory(),
        **extra,
    }


def test_service_cleans_the_body_whatever_the_route(reporter):
    article = services.article_save(article=Article(**_content()), by=reporter)
    assert "<script>" not in article.body and "<p>نص</p>" in article.body


def test_a_reporter_creating_a_story_cannot_make_it_published_or_featured(reporter):
    future = timezone.now() + timedelta(hours=3)
    fields = _content(
        status=S.PUBLISHED, published_at=timezone.now(), is_featured=True, breaking_until=future
    )
    article = services.article_save(article=Article(**fields), by=reporter)
    article.refresh_from_db()
    assert (article.status, article.published_at, article.is_featured, article.breaking_until) == (
        S.DRAFT,
        None,
        False,
        None,
    )


@pytest.mark.parametrize(
    "start, action, allowed",
    [
        (S.DRAFT, "submit", True),
        (S.DRAFT, "publish", True),
        (S.DRAFT, "unpublish", False),
        (S.DRAFT, "return", False),
        (S.REVIEW, "submit", False),
        (S.REVIEW, "publish", True),
        (S.REVIEW, "return", True),
        (S.PUBLISHED, "publish", False),
        (S.PUBLISHED, "unpublish", True),
        (S.PUBLISHED, "return", False),
        (services.SCHEDULED, "publish", True),
        (services.SCHEDULED, "unpublish", True),
        (services.SCHEDULED, "return", True),
        (S.UNPUBLISHED, "publish", True),
        (S.UNPUBLISHED, "submit", False),
    ],
)
def test_transition_table(editor, reporter, start, action, allowed):
    fields = {"status": start}
    if start == services.SCHEDULED:
        fields = {"status": S.PUBLISHED, "published_at": timezone.now() + timedelta(hours=1)}
    elif start == S.PUBLISHED:
        fields["published_at"] = timezone.now() - timedelta(hours=1)
    article = draft(reporter, **fields)
    function = services.TRANSITION_FUNCTIONS[action]
    if allowed:
        function(article=article, by=editor)
        assert Article.objects.get(pk=article.pk).status == services.TRANSITIONS[action][1]
    else:
        with pytest.raises(services.WorkflowError):
            function(article=article, by=editor)
        assert Article.objects.get(pk=article.pk).version == article.version
        assert not ArticleEvent.objects.filter(article=article).exists()


@pytest.mark.parametrize("action", ["publish", "unpublish", "return"])
def test_reporter_is_refused_every_editor_transition_and_nothing_changes(reporter, action):
    article = draft(reporter, status=S.REVIEW)
    with pytest.raises(services.NotAllowed):
        services.TRANSITION_FUNCTIONS[action](article=article, by=reporter)
    article.refresh_from_db()
    assert article.status == S.REVIEW and article.version == 1


def test_scheduled_story_is_hidden_until_its_time_then_public_without_any_job(client, reporter, editor):
    article = services.article_submit(article=draft(reporter, headline="موعد نشر محدد سلفاً"), by=reporter)
    at = timezone.now() + timedelta(minutes=1)
    article = services.article_publish(article=article, by=editor, at=at)
    assert services.state_of(article) == services.SCHEDULED
    assert ArticleEvent.objects.get(article=article, action="schedule").to_status == services.SCHEDULED
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.headline not in client.get("/").content.decode()
    assert not Article.objects.published().filter(pk=article.pk).exists()
    with time_machine.travel(at + timedelta(seconds=1)):
        assert Article.objects.published().filter(pk=article.pk).exists()
        assert client.get(article.get_absolute_url()).status_code == 200
        assert article.headline in client.get("/").content.decode()


def test_public_changes_purge_the_page_cache_after_commit_only(
    reporter, editor, django_capture_on_commit_callbacks
):
    article = draft(reporter, status=S.REVIEW)
    with django_capture_on_commit_callbacks() as draft_callbacks:
        services.article_save(article=article, by=reporter, expected_version=1)
    assert draft_callbacks == []  # a draft edit touches no public page
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article = services.article_publish(article=article, by=editor)
    assert len(callbacks) == 1
    assert callbacks[0].func.__module__ == "khabar.pagecache.services"
    assert callbacks[0].keywords == {"article": article}
    for action in (services.article_unpublish, services.article_return_to_draft):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            action(article=article, by=editor)
        assert (len(callbacks) == 1) == (action is services.article_unpublish)


def test_refused_attempts_are_logged_without_user_text(reporter, caplog):
    article = draft(reporter, status=S.REVIEW)
    with pytest.raises(services.NotAllowed):
        services.article_publish(article=article, by=reporter)
    record = next(r for r in caplog.records if r.name == "khabar.newsroom")
    assert record.levelname == "WARNING" and str(article.pk) in record.getMessage()


# Forged publish requests, by route -------------------------------------------------------
def test_reporter_forging_the_publish_button_gets_403_and_nothing_changes(client, reporter):
    article = draft(reporter)
    login(client, reporter)
    response = client.post(change_url(article), form_data(article, headline="تغيير", _publish="1"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == S.DRAFT and article.headline != "تغيير" and article.version == 1


@pytest.mark.parametrize("field", ["status", "publish_at", "is_featured", "breaking_until", "correction"])
def test_reporter_posting_publisher_fields_gets_403(client, reporter, field):
    article = draft(reporter)
    login(client, reporter)
    value = {"status": "published", "is_featured": "on", "correction": "x"}.get(field, "2030-01-01T10:00")
    assert client.post(change_url(article), form_data(article, **{field: value})).status_code == 403
    assert client.post(ADD_URL, form_data(headline="جديد مزوّر", **{field: value})).status_code == 403
    article.refresh_from_db()
    assert article.status == S.DRAFT and not article.is_featured
    assert not Article.objects.filter(headline="جديد مزوّر").exists()


def test_reporter_forging_an_admin_publish_action_gets_403(client, reporter):
    article = draft(reporter, status=S.REVIEW)
    login(client, reporter)
    for action in ["publish_selected", "unpublish_selected", "delete_selected"]:
        data = {"action": action, "_selected_action": [article.pk], "index": 0, "post": "yes"}
        assert client.post("/admin/news/article/", data).status_code == 403
    article.refresh_from_db()
    assert article.status == S.REVIEW


def test_reporter_posting_to_the_publish_url_gets_403(client, reporter):
    article = draft(reporter, status=S.REVIEW)
    login(client, reporter)
    assert client.post(f"/newsroom/articles/{article.pk}/publish/").status_code == 403
    assert client.get(f"/newsroom/articles/{article.pk}/publish/").status_code == 405
    assert Article.objects.get(pk=article.pk).status == S.REVIEW


def test_unknown_transition_names_are_404(client, editor, reporter):
    article = draft(reporter)
    login(client, editor)
    assert client.post(f"/newsroom/articles/{article.pk}/delete/").status_code == 404


# The admin workflow buttons --------------------------------------------------------------
def test_admin_buttons_follow_role_and_state(client, reporter, editor):
    article = draft(reporter)
    login(client, reporter)
    html = client.get(change_url(article)).content.decode()
    assert 'name="_submit"' in html and 'name="_publish"' not in html and 'name="publish_at"' not in html
    response = client.post(change_url(article), form_data(article, _submit="1"))
    assert response.status_code == 302 and Article.objects.get(pk=article.pk).status == S.REVIEW
    client.force_login(editor)
    html = client.get(change_url(article)).content.decode()
    assert 'name="_publish"' in html and 'name="_return"' in html and 'name="_submit"' not in html


def test_editor_schedules_from_the_admin_form(client, reporter, editor):
    article = draft(reporter, status=S.REVIEW)
    login(client, editor)
    at = timezone.localtime() + timedelta(minutes=1)
    data = form_data(article, _publish="1", publish_at=at.strftime("%Y-%m-%dT%H:%M"))
    response = client.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == S.PUBLISHED and article.published_at == at.replace(second=0, microsecond=0)
    assert services.state_of(article) == services.SCHEDULED


def test_a_transition_the_state_forbids_is_a_form_error_not_a_500(client, reporter, editor):
    article = draft(reporter, status=S.PUBLISHED, published_at=timezone.now() - timedelta(hours=1))
    login(client, editor)
    response = client.post(change_url(article), form_data(article, headline="لن يُحفظ", _publish="1"))
    assert response.status_code == 200
    assert "لا يمكن «نشر / جدولة» لخبر حالته «منشور»" in response.content.decode()
    assert Article.objects.get(pk=article.pk).headline != "لن يُحفظ"


def test_editor_admin_actions_publish_and_report_refusals(client, reporter, editor):
    review = draft(reporter, status=S.REVIEW, headline="أ")
    live = draft(reporter, status=S.PUBLISHED, published_at=timezone.now(), headline="ب")
    login(client, editor)
    data = {"action": "publish_selected", "_selected_action": [review.pk, live.pk], "index": 0}
    response = client.post("/admin/news/article/", data, follow=True)
    assert Article.objects.get(pk=review.pk).status == S.PUBLISHED
    assert "لا يمكن «نشر / جدولة» لخبر حالته «منشور»" in response.content.decode()


# The dashboard -------------------------------------------------------------------------
def test_dashboard_counts_for_editor_and_reporter(client, reporter, other_reporter, editor):
    draft(reporter, headline="مسودة المراسل")
    draft(other_reporter, headline="مسودة زميله", status=S.REVIEW)
    draft(reporter, headline="مجدول", status=S.PUBLISHED, published_at=timezone.now() + timedelta(hours=2))
    draft(editor, headline="منشور", status=S.PUBLISHED, published_at=timezone.now() - timedelta(hours=2))
    login(client, editor)
    html = client.get("/newsroom/").content.decode()
    for key, count in {"drafts": 0, "review": 1, "scheduled": 1, "published": 1}.items():
        assert f'data-count="{key}">{count}<' in html
    assert "مسودة زميله" in html and "مسودة المراسل" not in html
    client.force_login(reporter)
    html = client.get("/newsroom/").content.decode()
    for key, count in {"drafts": 1, "review": 0, "scheduled": 1, "published": 0}.items():
        assert f'data-count="{key}">{count}<' in html
    assert "مسودة زميله" not in html


def test_dashboard_needs_a_staff_login(client):
    response = client.get("/newsroom/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_editor_deletes_a_story_with_its_revisions_and_events(client, reporter, editor):
    article = services.article_submit(article=draft(reporter), by=reporter)
    services.article_publish(article=article, by=editor)
    assert (
        Revision.objects.filter(article=article).exists()
        and ArticleEvent.objects.filter(article=article).exists()
    )
    login(client, editor)
    assert client.get(f"/admin/news/article/{article.pk}/delete/").status_code == 200
    assert client.post(f"/admin/news/article/{article.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_an_unreadable_publish_time_never_publishes_now(client, reporter, editor):
    article = draft(reporter, status=S.REVIEW)
    login(client, editor)
    response = client.post(f"/newsroom/articles/{article.pk}/publish/", {"publish_at": "غداً"}, follow=True)
    assert "تعذّرت قراءة وقت النشر" in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == S.REVIEW


def test_a_new_story_cannot_be_created_straight_into_an_impossible_state(client, editor):
    login(client, editor)
    response = client.post(ADD_URL, form_data(headline="جديد", _unpublish="1"))
    assert (
        response.status_code == 200
        and "لا يمكن «إلغاء النشر» لخبر حالته «مسودة»" in response.content.decode()
    )
    assert not Article.objects.filter(headline="جديد").exists()


def test_editor_publishes_a_new_story_from_the_add_form(client, editor):
    login(client, editor)
    response = client.post(ADD_URL, form_data(headline="ينشر فوراً", _publish="1"))
    assert response.status_code == 302
    assert Article.objects.published().filter(headline="ينشر فوراً", created_by=editor).exists()
