"""The arithmetic question, hardened (T-40, T-42..T-48) through the comment
form's HTTP interface. The parallel-replay race (T-41) and the 200 parallel
posts (T-49) run against gunicorn in test_concurrency.py."""

import base64
import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from khabar.comments.models import Challenge, Comment

from .payloads import arabic_entries

pytestmark = pytest.mark.django_db

QUESTION = re.compile(r"اكتب ناتج (\d+) \+ (\d+)")


def open_form(client, article) -> dict:
    response = client.get(article.get_comment_url())
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    left, right = map(int, QUESTION.search(html).groups())
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    return {"token": token, "answer": str(left + right)}


def post(client, article, form, *, after: float | None = 5, **fields):
    data = {"name": "سارة", "email": "", "body": "تعليق هادئ", "website": "", **form, **fields}
    if after is None:
        return client.post(article.get_comment_url(), data)
    with time_machine.travel(timezone.now() + timedelta(seconds=after)):
        return client.post(article.get_comment_url(), data)


def test_replay_of_100_solved_forms_is_refused_every_time(client, world, settings):
    """T-40: 100 (token, answer) pairs, each posted twice: 100 accepted, 100 refused."""
    settings.COMMENT_RATE_ISSUE = settings.COMMENT_RATE_POST = "1000/600"
    firsts, seconds = [], []
    for _ in range(100):
        form = open_form(client, world.article)
        firsts.append(post(client, world.article, form).status_code)
        seconds.append(post(client, world.article, form).status_code)
    assert firsts == [302] * 100
    assert seconds == [400] * 100
    assert Comment.objects.filter(article=world.article, name="سارة").count() == 100


def test_wrong_then_right_answer_on_one_token_is_refused(client, world):
    """T-42: one guess per token."""
    form = open_form(client, world.article)
    assert post(client, world.article, {**form, "answer": str(int(form["answer"]) + 1)}).status_code == 400
    assert post(client, world.article, form).status_code == 400
    assert not Comment.objects.filter(name="سارة").exists()


def test_answer_sooner_than_the_minimum_time_is_refused_with_text_kept(client, world, settings):
    """T-43: under COMMENT_MIN_SECONDS the form comes back, the question is not spent."""
    assert settings.COMMENT_MIN_SECONDS == 3
    form = open_form(client, world.article)
    response = post(client, world.article, form, after=1, body="نص لا يضيع")
    html = response.content.decode()
    assert response.status_code == 400
    assert "بسرعة كبيرة" in html and "نص لا يضيع</textarea>" in html
    assert f'value="{form["token"]}"' in html  # same question, still unspent
    assert post(client, world.article, form, after=4).status_code == 302


def test_expired_question_is_refused(client, world, settings):
    """T-43: older than COMMENT_CHALLENGE_TTL."""
    form = open_form(client, world.article)
    response = post(client, world.article, form, after=settings.COMMENT_CHALLENGE_TTL + 1)
    assert response.status_code == 400
    assert not Comment.objects.filter(name="سارة").exists()


def test_question_answered_from_another_browser_is_refused_and_not_burnt(world):
    """T-44: bound to the browser (its CSRF cookie), so a stolen or farmed
    token does not work elsewhere, and a stranger cannot spend it either."""
    reader, stranger = Client(), Client()
    form = open_form(reader, world.article)
    response = post(stranger, world.article, form)
    assert response.status_code == 400 and "لم يعد صالحاً" in response.content.decode()
    assert post(reader, world.article, form).status_code == 302


def test_question_for_one_article_does_not_work_on_another(client, world):
    from tests.factories import ArticleFactory

    other = ArticleFactory()
    form = open_form(client, other)
    assert post(client, world.article, form).status_code == 400


@pytest.mark.parametrize(
    "fields",
    [{"token": ""}, {"token": "forged"}, {"answer": ""}, {"name": ""}, {"body": ""}],
    ids=["no-token", "forged-token", "no-answer", "no-name", "no-body"],
)
def test_missing_or_forged_fields_give_a_form_error_not_a_500(client, world, fields):
    form = open_form(client, world.article)
    response = post(client, world.article, {**form, **fields})
    assert response.status_code == 400


def test_the_answer_never_leaves_the_server(client, world, settings):
    """T-45: the form carries an opaque random token and the CSRF token, the
    cookies only the CSRF secret; a new form gets a new token."""
    html = client.get(world.article.get_comment_url()).content.decode()
    challenge = Challenge.objects.latest("issued_at")
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    assert set(hidden) == {"csrfmiddlewaretoken", "token"}
    value = json.loads(base64.urlsafe_b64decode(hidden["token"].split(":")[0] + "=="))
    assert value == challenge.token and len(value) >= 32  # 192 random bits, nothing else
    assert set(client.cookies) == {settings.CSRF_COOKIE_NAME}
    assert challenge.token not in client.cookies[settings.CSRF_COOKIE_NAME].value
    assert not re.search(r"data-[\w-]+=", html.split('class="comment-form"')[1])
    assert open_form(client, world.article)["token"] != hidden["token"]


def _answer_with(client, article, text: str) -> int:
    form = open_form(client, article)
    challenge = Challenge.objects.latest("issued_at")
    # The question becomes 7 + 1, so every spelling of 8 in the corpus is right.
    Challenge.objects.filter(pk=challenge.pk).update(left=7, right=1)
    return post(client, article, {**form, "answer": text}).status_code


@pytest.mark.parametrize("entry", arabic_entries("captcha-answer"), ids=lambda e: e["id"])
def test_arabic_digit_answers_behave_as_the_corpus_expects(client, world, entry):
    """T-46: Arabic-Indic and Persian digits accepted; `1_0`, signs, keycaps,
    superscripts and 5,000 digits a form error; "either, consistently"
    entries give the same verdict twice; never a 500."""
    first = _answer_with(client, world.article, entry["s"])
    assert first in {302, 400}
    if entry["expect"] == "accept":
        assert first == 302, entry["note"]
    elif entry["expect"].startswith("reject") and "consistently" not in entry["expect"]:
        assert first == 400, entry["note"]
    else:
        assert _answer_with(client, world.article, entry["s"]) == first, entry["note"]


def test_honeypot_filled_is_refused_and_logged(client, world, caplog):
    """T-47: the hidden-by-CSS field; a bot that fills it gets nothing in."""
    form = open_form(client, world.article)
    response = post(client, world.article, form, website="http://spam.example")
    assert response.status_code == 400
    assert not Comment.objects.filter(name="سارة").exists()
    assert any("honeypot" in r.getMessage() for r in caplog.records)


def test_issuing_questions_is_limited_per_ip(client, world, settings):
    """T-47: the 31st form in 10 minutes from one address gets 429 + Retry-After."""
    assert settings.COMMENT_RATE_ISSUE == "30/600"
    statuses = [client.get(world.article.get_comment_url()).status_code for _ in range(31)]
    assert statuses == [200] * 30 + [429]
    response = client.get(world.article.get_comment_url())
    assert 0 < int(response["Retry-After"]) <= 600
    assert "حاول مرة أخرى بعد" in response.content.decode()
    # Another address is not affected.
    assert client.get(world.article.get_comment_url(), REMOTE_ADDR="10.0.0.9").status_code == 200
    # The window passes, the form comes back.
    with time_machine.travel(timezone.now() + timedelta(seconds=601)):
        assert client.get(world.article.get_comment_url()).status_code == 200


def test_answers_are_limited_per_ip_and_the_text_is_kept(client, world, settings):
    """T-47/T-48: the 11th answer in 10 minutes gets 429 with the form and the reader's text."""
    assert settings.COMMENT_RATE_POST == "10/600"
    statuses = []
    for n in range(11):
        form = open_form(client, world.article)
        statuses.append(post(client, world.article, form, body=f"تعليق رقم {n}").status_code)
    assert statuses == [302] * 10 + [429]
    form = open_form(client, world.article)
    response = post(client, world.article, form, body="ما كتبته يبقى")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "ما كتبته يبقى</textarea>" in html and "تعليقات كثيرة" in html
    assert Comment.objects.filter(name="سارة").count() == 10


def test_a_bot_that_parses_the_question_gets_at_most_the_rate_and_links_are_held(client, world, settings):
    """T-48 in-process: a regex bot with links in every comment; 10 get through
    the rate limit, all 10 wait for moderation even with moderation off."""
    settings.COMMENTS_MODERATION = False
    accepted = 0
    for n in range(25):
        form = open_form(client, world.article)
        response = post(client, world.article, form, body=f"اشترِ الآن https://spam.example/{n} www.x.ru")
        accepted += response.status_code == 302
    assert accepted == 10
    assert set(Comment.objects.filter(name="سارة").values_list("status", flat=True)) == {
        Comment.Status.PENDING
    }


@pytest.mark.parametrize(
    "keys, field, text",
    [
        ("كازينو\nقمار", "body", "أفضل كازينو في المدينة"),
        ("spam.example, viagra", "email", "x@spam.example"),
        ("الاسلام", "body", "عن الإسلام والسياسة"),  # folded: hamza forms match
        ("10.9.8.7", "ip", "10.9.8.7"),
        ("بوت", "name", "بوت الأخبار"),
    ],
)
def test_moderation_keys_hold_the_comment(client, world, settings, keys, field, text):
    settings.COMMENTS_MODERATION = False
    settings.COMMENT_MODERATION_KEYS = keys
    if field == "ip":
        client.defaults["REMOTE_ADDR"] = text
        response = post(client, world.article, open_form(client, world.article))
    else:
        response = post(client, world.article, open_form(client, world.article), **{field: text})
    assert response.status_code == 302
    assert Comment.objects.exclude(body="تعليق منشور").get().status == Comment.Status.PENDING


def test_without_keys_or_links_a_comment_goes_straight_up_when_moderation_is_off(client, world, settings):
    settings.COMMENTS_MODERATION = False
    settings.COMMENT_MODERATION_KEYS = "كازينو"
    response = post(client, world.article, open_form(client, world.article), body="رأي عادي")
    assert response["Location"].endswith("?comment=approved#comments")
    assert Comment.objects.get(name="سارة").status == Comment.Status.APPROVED


def test_blocked_keys_file_the_comment_as_spam_and_tell_the_sender_nothing(client, world, settings):
    settings.COMMENT_BLOCKED_KEYS = ["قمار", "casino"]
    settings.COMMENT_MODERATION_KEYS = "قمار"  # blocked wins
    response = post(client, world.article, open_form(client, world.article), body="CASINO قمار اونلاين")
    assert response["Location"].endswith("?comment=pending#comments")
    assert Comment.objects.get(name="سارة").status == Comment.Status.SPAM
    page = client.get(world.article.get_absolute_url()).content.decode()
    assert "CASINO" not in page


def test_refusals_are_logged_without_the_token(client, world, caplog):
    """T-31 for the comment form: each refusal leaves a line, none holds the token."""
    form = open_form(client, world.article)
    raw = Challenge.objects.latest("issued_at").token
    post(Client(), world.article, form)  # another browser
    post(client, world.article, form, after=1)  # too fast
    post(client, world.article, {**form, "answer": "99"})  # wrong
    post(client, world.article, form)  # spent
    lines = [r.getMessage() for r in caplog.records if r.name == "khabar.comments"]
    assert len(lines) >= 3
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert form["token"] not in text and raw not in text


def test_behind_a_proxy_the_limit_follows_the_address_the_proxy_saw(client, world, settings):
    """TRUSTED_PROXY_COUNT=1: the last X-Forwarded-For hop is the reader; what a
    client writes in front of it (a new fake address each time) changes nothing."""
    settings.TRUSTED_PROXY_COUNT = 1
    statuses = [
        client.get(
            world.article.get_comment_url(), HTTP_X_FORWARDED_FOR=f"10.9.{n}.1, 203.0.113.7"
        ).status_code
        for n in range(31)
    ]
    assert statuses == [200] * 30 + [429]
    other = client.get(world.article.get_comment_url(), HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.2")
    assert other.status_code == 200
