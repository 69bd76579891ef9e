"""Tag suggestions: names the story mentions (tags, aliases, countries and
capitals), matched as whole words, and accepted with one click."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.intelligence import selectors
from khabar.intelligence.models import TagAlias
from khabar.intelligence.places import places
from khabar.intelligence.suggest import Gazetteer, Name
from khabar.news.models import Tag
from tests.factories import ArticleFactory, TagFactory

PLACES = Gazetteer([(written, Name(label, kind)) for written, label, kind in places()])


def labels(text: str) -> list[str]:
    return [s.name.label for s in PLACES.find(text)]


@pytest.mark.django_db
def test_sample_article_suggests_exactly_its_countries_and_capitals(sample_article):
    found = {s.name.label: s.name.kind for s in selectors.tag_suggestions(sample_article)}
    assert found == {
        "تركيا": "country",
        "سوريا": "country",
        "دمشق": "capital",
        "أنقرة": "capital",
        "موسكو": "capital",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A word that merely contains a name is not the name.
        ("أعلن مصرف الرافدين أرباحه", []),
        ("وصل القطار إلى المحطة", []),
        ("عاد آلاف السوريين إلى بلادهم", []),
        ("قالت الحكومة السورية", []),
        ("الغارات الإسرائيلية على الجنوب", []),
        ("قدّم دعماً مالياً ودعم مالي للأسر", []),
        ("المصريون يحتفلون", []),
        ("شرب كوبًا من الشاي", []),
        ("السوريا", []),  # سوريا never takes the article
        ("أردن", []),  # الأردن always does
        # Clitics and every spelling of the article count.
        ("ومصر ولبنان", ["لبنان", "مصر"]),
        ("للأردن", ["الأردن"]),
        ("بالعراق", ["العراق"]),
        ("وبدمشق", ["دمشق"]),
        ("لتركيا", ["تركيا"]),
        ("فالسودان", ["السودان"]),
        # Hamza, taa marbuta and diacritics are folded.
        ("أنقره", ["أنقرة"]),
        ("أَنْقَرَة", ["أنقرة"]),
        ("ايران وإيران", ["إيران"]),
        # Several words; the longer name takes them.
        ("والولايات المتحدة", ["الولايات المتحدة"]),
        ("في جنوب السودان", ["جنوب السودان"]),
        ("المملكة العربية السعودية والسعودية", ["السعودية"]),
        ("المملكة المتحدة", ["بريطانيا"]),
        ("أمريكا وأميركا", ["الولايات المتحدة"]),
        ("عمان", ["عمّان", "عُمان"]),  # Amman and Oman are spelt alike without marks
    ],
)
def test_place_matching_is_word_by_word(text, expected):
    assert sorted(labels(text)) == sorted(expected)


def test_most_mentioned_first():
    assert labels("زار موسكو ثم دمشق ثم دمشق ثم دمشق") == ["دمشق", "موسكو"]


@pytest.mark.django_db
def test_tag_aliases_suggest_their_tag(sample_article):
    tag = TagFactory(name="أحمد الشرع")
    TagAlias.objects.create(tag=tag, name="الرئيس الشرع")
    TagAlias.objects.create(tag=tag, name="الرئيس السوري")
    (suggestion,) = [s for s in selectors.tag_suggestions(sample_article) if s.name.kind == "tag"]
    assert suggestion.name == Name("أحمد الشرع", "tag", tag.pk)
    # "أحمد الشرع", "الرئيس الشرع" and "الرئيس السوري", once each.
    assert suggestion.count == 3


@pytest.mark.django_db
def test_an_alias_with_the_article_does_not_match_a_bare_word():
    tag = TagFactory(name="أحمد الشرع")
    TagAlias.objects.create(tag=tag, name="الشرع")
    article = ArticleFactory(body="<p>شرع الجيش في الانسحاب.</p>")
    assert selectors.tag_suggestions(article) == []
    article = ArticleFactory(body="<p>التقى وزير الخارجية بالشرع.</p>")
    assert [s.name.tag_id for s in selectors.tag_suggestions(article)] == [tag.pk]


@pytest.mark.django_db
def test_a_place_that_is_already_a_tag_is_suggested_as_that_tag(sample_article):
    syria = TagFactory(name="سورية")  # the tag uses the other spelling
    found = {s.name.label: s.name.tag_id for s in selectors.tag_suggestions(sample_article)}
    assert found["سورية"] == syria.pk and "سوريا" not in found
    sample_article.tags.add(syria)
    assert "سورية" not in {s.name.label for s in selectors.tag_suggestions(sample_article)}


@pytest.mark.django_db
def test_tags_already_on_the_story_are_not_suggested(sample_article):
    turkey = TagFactory(name="تركيا")
    sample_article.tags.add(turkey)
    assert "تركيا" not in {s.name.label for s in selectors.tag_suggestions(sample_article)}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_suggestions_never_crash_on_arbitrary_text(text):
    found = PLACES.find(text)
    assert all(s.count >= 1 and s.name.kind in {"country", "capital"} for s in found)


ARABIC = st.text(alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويةىأإآؤئءَُِّْ ـ،.")), max_size=60)
NAMES = st.sampled_from([written for written, _, _ in places()])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(ARABIC, NAMES), max_size=8))
def test_a_place_written_on_its_own_is_always_found(parts):
    text = " ".join(parts)
    found = set(labels(text))
    for part in parts:
        for written, label, _ in places():
            if part == written:
                # Its words may have been taken by a longer overlapping name.
                assert label in found or any(len(other.split()) > 1 for other in found)


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@example.com", "a-long-password-1")


@pytest.mark.django_db
def test_editor_sees_suggestions_and_accepts_one_with_a_click(client, editor, sample_article):
    client.force_login(editor)
    change = reverse("admin:news_article_change", args=[sample_article.pk])
    page = client.get(change).content.decode()
    assert "وسوم مقترحة" in page
    for name in ("تركيا", "سوريا", "دمشق", "أنقرة", "موسكو"):
        assert f'form="intelligence-tag" name="name" value="{name}"' in page
    accept = reverse("admin:news_article_accept_tag", args=[sample_article.pk])
    response = client.post(accept, {"name": "دمشق"})
    assert response.status_code == 302
    assert list(sample_article.tags.values_list("name", flat=True)) == ["دمشق"]
    assert 'value="دمشق"' not in client.get(change).content.decode()


@pytest.mark.django_db
def test_accepting_an_existing_tag_adds_it_without_a_copy(client, editor, sample_article):
    client.force_login(editor)
    tag = TagFactory(name="أحمد الشرع")
    TagAlias.objects.create(tag=tag, name="الرئيس السوري")
    accept = reverse("admin:news_article_accept_tag", args=[sample_article.pk])
    assert (
        f'name="tag" value="{tag.pk}"'
        in client.get(reverse("admin:news_article_change", args=[sample_article.pk])).content.decode()
    )
    client.post(accept, {"tag": tag.pk})
    client.post(accept, {"name": "تركيا"})
    client.post(accept, {"name": "تركيا"})
    assert sorted(sample_article.tags.values_list("name", flat=True)) == ["أحمد الشرع", "تركيا"]
    assert Tag.objects.filter(name="تركيا").count() == 1


@pytest.mark.django_db
def test_only_known_places_can_be_created_from_the_suggestion_button(client, editor, sample_article):
    client.force_login(editor)
    accept = reverse("admin:news_article_accept_tag", args=[sample_article.pk])
    client.post(accept, {"name": "أي شيء"})
    assert not Tag.objects.filter(name="أي شيء").exists() and not sample_article.tags.exists()
    assert client.get(accept).status_code == 405


@pytest.mark.django_db
def test_aliases_are_managed_on_the_tag_page(client, editor):
    client.force_login(editor)
    tag = TagFactory(name="أحمد الشرع")
    url = reverse("admin:news_tag_change", args=[tag.pk])
    page = client.get(url).content.decode()
    assert "الأسماء البديلة" in page
    data = {
        "name": tag.name,
        "slug": tag.slug,
        "aliases-TOTAL_FORMS": "1",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
        "aliases-0-name": "الرئيس السوري",
    }
    assert client.post(url, data).status_code == 302
    assert list(tag.aliases.values_list("name", flat=True)) == ["الرئيس السوري"]
