import base64
import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from khabar.comments.models import Challenge, Comment
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def open_form(client, article):
    html = client.get(article.get_comment_url()).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    left, right = map(int, re.search(r"اكتب ناتج (\d+) \+ (\d+)", html).groups())
    return token, left + right


def post(client, article, token, answer, **fields):
    data = {"name": "سارة", "email": "", "body": "تعليق مفيد\nسطر ثانٍ", "token": token, "answer": answer}
    data.update(fields)
    # A person needs a few seconds to read and answer (COMMENT_MIN_SECONDS).
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.COMMENT_MIN_SECONDS + 1)):
        return client.post(article.get_comment_url(), data)


def test_form_asks_the_question_labelled_like_the_sample(client, sample_article):
    html = client.get(sample_article.get_comment_url()).content.decode()
    assert re.search(r'<label for="id_answer">\* اكتب ناتج \d \+ \d</label>', html)
    for label in ("الاسم", "البريد الإلكتروني", "التعليق"):
        assert f">{label}</label>" in html


def test_right_answer_is_accepted_and_waits_for_moderation(client, sample_article):
    token, answer = open_form(client, sample_article)
    response = post(client, sample_article, token, str(answer))
    assert response.status_code == 302
    assert response["Location"].endswith("?comment=pending#comments")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    page = client.get(response["Location"]).content.decode()
    assert "سيظهر بعد مراجعته" in page and "تعليق مفيد" not in page


def test_arabic_indic_answer_is_accepted(client, sample_article):
    token, answer = open_form(client, sample_article)
    arabic = str(answer).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert post(client, sample_article, token, arabic).status_code == 302


def test_wrong_answer_keeps_the_readers_text_and_asks_again(client, sample_article):
    token, answer = open_form(client, sample_article)
    response = post(client, sample_article, token, str(answer + 1))
    html = response.content.decode()
    assert response.status_code == 400
    assert "الإجابة غير صحيحة" in html
    assert 'value="سارة"' in html and "تعليق مفيد\nسطر ثانٍ</textarea>" in html
    assert f'value="{token}"' not in html  # a fresh question, the spent one is gone
    assert not Comment.objects.exists()


def test_replayed_token_is_refused(client, sample_article):
    token, answer = open_form(client, sample_article)
    assert post(client, sample_article, token, str(answer)).status_code == 302
    response = post(client, sample_article, token, str(answer))
    assert response.status_code == 400 and "استُخدم هذا السؤال" in response.content.decode()
    assert Comment.objects.count() == 1


def test_one_guess_per_token(client, sample_article):
    token, answer = open_form(client, sample_article)
    post(client, sample_article, token, str(answer + 1))
    assert post(client, sample_article, token, str(answer)).status_code == 400
    assert not Comment.objects.exists()


def test_expired_token_is_refused(client, sample_article, settings):
    token, answer = open_form(client, sample_article)
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.COMMENT_CHALLENGE_TTL + 5)):
        response = post(client, sample_article, token, str(answer))
    assert response.status_code == 400 and "انتهت صلاحية" in response.content.decode()


def test_token_for_another_article_is_refused(client, sample_article):
    other = ArticleFactory()
    token, answer = open_form(client, other)
    assert post(client, sample_article, token, str(answer)).status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: "forged", lambda t: ""])
def test_tampered_token_is_refused(client, sample_article, mangle):
    token, answer = open_form(client, sample_article)
    assert post(client, sample_article, mangle(token), str(answer)).status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.parametrize("answer", ["1_0", "８", "8.0", "+8", "-8", "9" * 5000, "ثمانية", ""])
def test_odd_numerals_get_a_form_error_not_a_500(client, sample_article, answer):
    token, _ = open_form(client, sample_article)
    response = post(client, sample_article, token, answer)
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_honeypot_filled_is_refused(client, sample_article):
    token, answer = open_form(client, sample_article)
    assert post(client, sample_article, token, str(answer), website="http://spam.example").status_code == 400
    assert not Comment.objects.exists()


def test_answer_is_not_in_the_page_only_an_opaque_token(client, sample_article):
    token, _ = open_form(client, sample_article)
    # What a bot can read from the token: base64 of a random id, nothing more.
    payload = json.loads(base64.urlsafe_b64decode(token.split(":")[0] + "=="))
    assert payload == Challenge.objects.get().token
    assert len(payload) >= 32  # 192 random bits
    token2, _ = open_form(client, sample_article)
    assert token != token2


def test_too_long_comment_is_refused_with_text_kept(client, sample_article):
    token, answer = open_form(client, sample_article)
    response = post(client, sample_article, token, str(answer), body="ب" * 3001)
    assert response.status_code == 400 and "ب" * 100 in response.content.decode()


def test_approved_comment_is_escaped_with_line_breaks_kept(client, sample_article):
    Comment.objects.create(
        article=sample_article,
        name="<b>x</b>",
        body="<script>alert(1)</script>\nسطر",
        status=Comment.Status.APPROVED,
    )
    html = client.get(sample_article.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>سطر" in html
    assert "<script>alert(1)" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_without_moderation_a_comment_appears_at_once_unless_it_has_links(client, sample_article, settings):
    settings.COMMENTS_MODERATION = False
    token, answer = open_form(client, sample_article)
    assert post(client, sample_article, token, str(answer)).status_code == 302
    token, answer = open_form(client, sample_article)
    post(client, sample_article, token, str(answer), body="زوروا https://spam.example")
    statuses = list(Comment.objects.order_by("id").values_list("status", flat=True))
    assert statuses == [Comment.Status.APPROVED, Comment.Status.PENDING]
    assert "تعليق مفيد" in client.get(sample_article.get_absolute_url()).content.decode()


def test_admin_bulk_approve(admin_client, sample_article):
    comments = [Comment.objects.create(article=sample_article, name="ق", body=f"ت{i}") for i in range(3)]
    response = admin_client.post(
        "/admin/comments/comment/",
        {
            "action": "approve",
            "_selected_action": [c.pk for c in comments],
        },
    )
    assert response.status_code == 302
    assert Comment.objects.approved().count() == 3
