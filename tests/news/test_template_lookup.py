"""The public models answer a template's subscript with the attribute
(khabar/news/models.py, TemplateLookup): the same values as Django's
attribute lookup, without its caught TypeError, and no other behaviour of a
mapping or a sequence."""

import pytest
from django.template import Context, Template

from khabar.news.models import Agency, Article, Author, Section, Tag
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_templates_read_the_same_values_as_attributes():
    story = ArticleFactory(headline="عاجل: هدنة في غزة", summary="")
    template = Template(
        "{{ a.headline }}|{{ a.get_absolute_url }}|{{ a.section.name }}|{{ a.direction }}"
        "|{{ a.tags.count }}|{{ a.no_such_thing }}|{{ a.summary|default:a.headline }}|{{ a.pk }}"
    )
    rendered = template.render(Context({"a": story}))
    expected = [
        story.headline,
        story.get_absolute_url(),
        story.section.name,
        "rtl",
        "0",
        "",  # a missing name renders as before: string_if_invalid
        story.headline,
        str(story.pk),
    ]
    assert rendered.split("|") == expected
    # Methods that alter data are still refused by the template engine.
    assert Template("{{ a.delete }}").render(Context({"a": story})) == ""
    assert Article.objects.filter(pk=story.pk).exists()


def test_the_subscript_is_the_attribute_and_nothing_else():
    story = ArticleFactory()
    assert story["headline"] == story.headline
    assert story["get_absolute_url"]() == story.get_absolute_url()
    for name in ("no_such_thing", 0, None):
        with pytest.raises(KeyError):
            story[name]


@pytest.mark.parametrize("model", [Agency, Article, Author, Section, Tag])
def test_instances_stay_unlike_containers(model):
    """A class with __getitem__ and no __iter__ would iterate by index."""
    instance = model()
    with pytest.raises(TypeError):
        iter(instance)
    with pytest.raises(TypeError):
        list(instance)
    with pytest.raises(TypeError):
        "name" in instance  # noqa: B015  (the test is that it raises)
