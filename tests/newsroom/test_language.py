"""The newsroom sets a story's language; an English story, once published,
is listed by the English edition."""

import pytest

from khabar.news.models import Article
from khabar.newsroom import services

from .helpers import ADD_URL, change_url, form_data, login

pytestmark = pytest.mark.django_db


def test_editor_writes_an_english_story_and_it_reaches_the_english_edition(client, editor):
    login(client, editor)
    form = client.get(ADD_URL).content.decode()
    assert '<select name="language"' in form and '<option value="en">English</option>' in form
    response = client.post(ADD_URL, form_data(headline="Floods close the coast road", language="en"))
    assert response.status_code == 302
    article = Article.objects.get(headline="Floods close the coast road")
    assert article.language == "en"
    services.article_publish(article=article, by=editor)
    client.logout()
    assert article.headline in client.get("/en/").content.decode()
    assert article.headline not in client.get("/").content.decode()


def test_a_post_without_the_language_keeps_the_story_language(client, editor):
    login(client, editor)
    client.post(ADD_URL, form_data(headline="Story in English", language="en"))
    article = Article.objects.get(headline="Story in English")
    data = form_data(article, summary="A summary")
    assert "language" not in data
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert (article.summary, article.language) == ("A summary", "en")
    client.post(ADD_URL, form_data(headline="خبر بلا حقل اللغة"))
    assert Article.objects.get(headline="خبر بلا حقل اللغة").language == "ar"


def test_an_unknown_language_is_refused(client, editor):
    login(client, editor)
    response = client.post(ADD_URL, form_data(headline="Histoire", language="fr"))
    assert response.status_code == 200 and not Article.objects.filter(headline="Histoire").exists()
