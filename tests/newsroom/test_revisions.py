"""Revisions, their diff and restore; optimistic locking; corrections and updates."""

from datetime import timedelta

import pytest
from django.utils import timezone

from khabar.news.models import Article
from khabar.newsroom import services
from khabar.newsroom.diff import diff_paragraphs, diff_words
from khabar.newsroom.models import Revision
from tests.factories import ArticleFactory

from .helpers import change_url, draft, form_data, login

pytestmark = pytest.mark.django_db
S = Article.Status


def test_every_save_keeps_a_revision_with_who_when_and_what_changed(client, reporter):
    article = draft(reporter)
    login(client, reporter)
    client.post(change_url(article), form_data(article, headline="عنوان ثان"))
    article.refresh_from_db()
    client.post(change_url(article), form_data(article, body="<p>نص جديد كلياً.</p>"))
    revisions = list(Revision.objects.filter(article=article))
    assert [r.number for r in revisions] == [3, 2, 1]  # 1 = the state before the first newsroom save
    assert revisions[0].changed == ["body"] and revisions[1].changed == ["headline"]
    assert revisions[0].created_by == reporter and revisions[0].created_at <= timezone.now()
    assert revisions[1].headline == "عنوان ثان" and revisions[2].headline == "مسودة عن موازنة العام المقبل"


def test_diff_marks_words_and_escapes_html():
    html = diff_words("وزير <b>المالية</b> يعلن", "وزير الاقتصاد يعلن")
    assert "<del>&lt;b&gt;المالية&lt;/b&gt;</del><ins>الاقتصاد</ins>" in html
    assert "<b>" not in html
    paragraphs = diff_paragraphs("فقرة أولى\nفقرة ثانية", "فقرة أولى\nفقرة ثالثة\nفقرة جديدة")
    assert paragraphs[0] == "فقرة أولى"
    assert "<del>ثانية</del><ins>ثالثة</ins>" in paragraphs[1]
    assert paragraphs[2] == "<ins>فقرة جديدة</ins>"


def test_revisions_page_compares_two_revisions_and_restore_brings_text_back(client, editor, reporter):
    article = draft(reporter, body="<p>بلغت نسبة النمو ثلاثة بالمئة.</p>")
    article = services.article_save(article=article, by=reporter, expected_version=1)
    article.body = "<p>بلغت نسبة النمو أربعة بالمئة.</p>"
    article = services.article_save(article=article, by=editor, expected_version=article.version)
    login(client, editor)
    url = f"/newsroom/articles/{article.pk}/revisions/"
    html = client.get(url).content.decode()
    assert "<del>ثلاثة</del><ins>أربعة</ins>" in html
    html = client.get(url, {"a": 1, "b": 3}).content.decode()
    assert "الفرق بين النسخة 1 والنسخة 3" in html
    assert client.get(url, {"a": "x", "b": "999"}).status_code == 200  # bad numbers fall back, no 500
    response = client.post(f"{url}2/restore/", {"version": article.version})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == "<p>بلغت نسبة النمو ثلاثة بالمئة.</p>" and article.version == 4
    latest = Revision.objects.filter(article=article).first()
    assert latest.action == "restore" and latest.changed == ["body"]


def test_restore_from_a_stale_page_is_refused(client, editor, reporter):
    article = services.article_save(article=draft(reporter), by=reporter, expected_version=1)
    login(client, editor)
    response = client.post(
        f"/newsroom/articles/{article.pk}/revisions/1/restore/", {"version": 1}, follow=True
    )
    assert "تغيّر هذا الخبر منذ فتحته" in response.content.decode()
    assert Article.objects.get(pk=article.pk).version == article.version


def test_restore_never_changes_status(editor, reporter):
    article = draft(reporter)
    services.article_save(article=article, by=editor, expected_version=1)
    article = services.article_publish(article=article, by=editor)
    services.article_restore(revision=Revision.objects.get(article=article, number=1), by=editor)
    assert Article.objects.get(pk=article.pk).status == S.PUBLISHED


def test_second_of_two_editors_saving_is_refused_and_nothing_is_overwritten(
    client, editor, second_editor, reporter
):
    article = draft(reporter)
    opened = form_data(article)  # both open the story at version 1
    login(client, editor)
    assert client.post(change_url(article), {**opened, "headline": "تعديل المحرر الأول"}).status_code == 302
    client.force_login(second_editor)
    response = client.post(change_url(article), {**opened, "headline": "تعديل المحرر الثاني"})
    assert response.status_code == 200
    assert "تغيّر هذا الخبر منذ فتحته" in response.content.decode()
    article.refresh_from_db()
    assert article.headline == "تعديل المحرر الأول" and article.version == 2


def test_service_refuses_a_stale_version(editor, reporter):
    article = draft(reporter)
    services.article_save(article=Article.objects.get(pk=article.pk), by=editor, expected_version=1)
    article.headline = "من نسخة قديمة"
    with pytest.raises(services.EditConflict):
        services.article_save(article=article, by=editor, expected_version=1)
    assert Article.objects.get(pk=article.pk).headline != "من نسخة قديمة"


def test_a_form_without_its_version_is_refused(client, editor, reporter):
    article = draft(reporter)
    login(client, editor)
    data = form_data(article, headline="بلا نسخة")
    del data["opened_version"]
    assert client.post(change_url(article), data).status_code == 200
    assert Article.objects.get(pk=article.pk).headline != "بلا نسخة"


def test_correction_and_update_show_on_the_public_page_and_are_kept_in_revisions(client, editor):
    article = ArticleFactory(published_at=timezone.now() - timedelta(hours=2), created_by=editor)
    login(client, editor)
    data = form_data(article, body="<p>الرقم الصحيح 12 مليوناً.</p>")
    data.update(correction="صُحّح الرقم: 12 مليوناً لا 21.", substantive_update="on")
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.last_update is not None and len(article.corrections) == 1
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'class="corrections"' in html and "صُحّح الرقم: 12 مليوناً لا 21." in html
    assert html.index("صُحّح الرقم") > html.index("الرقم الصحيح 12 مليوناً")
    assert "آخر تحديث" in html
    latest = Revision.objects.filter(article=article).first()
    assert latest.action == "correct" and {"corrections", "last_update", "body"} <= set(latest.changed)
    assert latest.corrections[0]["text"] == "صُحّح الرقم: 12 مليوناً لا 21."


def test_corrections_are_for_published_stories_only(client, editor, reporter):
    article = draft(reporter)
    login(client, editor)
    response = client.post(change_url(article), form_data(article, correction="تصحيح"))
    assert response.status_code == 200 and "للأخبار المنشورة فقط" in response.content.decode()
    assert Article.objects.get(pk=article.pk).corrections == []


def test_article_page_with_corrections_still_costs_at_most_5_queries(
    client, editor, django_assert_max_num_queries
):
    article = ArticleFactory(published_at=timezone.now() - timedelta(hours=2))
    for text in ("تصحيح أول", "تصحيح ثان"):
        article = services.article_save(article=article, by=editor, correction=text)
    with django_assert_max_num_queries(5):
        html = client.get(article.get_absolute_url()).content.decode()
    assert "تصحيح أول" in html and "تصحيح ثان" in html
