"""Related stories from stored terms and tags beat "same section, latest
first" on a small set of stories with known topics."""

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.utils import timezone

from khabar.arabic.analyzer import ANALYZER_VERSION
from khabar.intelligence import selectors
from khabar.intelligence.models import ArticleTerm
from khabar.intelligence.scoring import MIN_TERMS, final_score, qualifies, term_score
from khabar.intelligence.terms import article_terms, table_version
from khabar.news.models import Article
from tests.factories import ArticleFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

# (topic, headline, body). Sections are dealt round-robin below, so every
# section holds every topic and "latest in section" mixes them.
STORIES = [
    (
        "oil",
        "أسعار النفط ترتفع بعد قرار أوبك",
        "ارتفعت أسعار النفط بعد أن قررت أوبك خفض الإنتاج، وبلغ سعر البرميل 85 دولاراً.",
    ),
    (
        "oil",
        "أوبك تبقي على خفض إنتاج النفط",
        "قالت منظمة أوبك إن خفض إنتاج النفط مستمر حتى نهاية العام لدعم الأسعار.",
    ),
    (
        "oil",
        "برميل النفط يتراجع مع زيادة المخزونات",
        "تراجع سعر برميل النفط بعد بيانات عن زيادة المخزونات الأمريكية وضعف الطلب.",
    ),
    (
        "oil",
        "السعودية تخفض إنتاجها من النفط",
        "أعلنت السعودية خفض إنتاجها من النفط طوعاً بالتنسيق مع أوبك لدعم استقرار الأسعار.",
    ),
    (
        "football",
        "المنتخب يفوز في مباراة الدوري",
        "فاز المنتخب بهدفين في مباراة قوية، وسجل المهاجم هدف الفوز في الدقيقة الأخيرة.",
    ),
    (
        "football",
        "الهلال يتصدر الدوري بعد الفوز",
        "تصدر الهلال ترتيب الدوري بعد فوزه في المباراة بثلاثة أهداف، وأشاد المدرب باللاعبين.",
    ),
    (
        "football",
        "مدرب المنتخب يعلن قائمة اللاعبين",
        "أعلن مدرب المنتخب قائمة اللاعبين لمباراة التصفيات، وضمت المهاجم وحارس المرمى.",
    ),
    (
        "football",
        "تعادل مثير في مباراة الدوري",
        "انتهت مباراة الدوري بالتعادل بهدف لكل فريق، وأهدر المهاجم فرصة الفوز.",
    ),
    (
        "syria",
        "وفد تركي يزور دمشق",
        "وصل وفد عسكري تركي إلى دمشق لبحث اتفاقات دفاعية بين أنقرة ودمشق والجيش السوري.",
    ),
    (
        "syria",
        "أنقرة ودمشق تبحثان التعاون العسكري",
        "بحثت أنقرة ودمشق التعاون العسكري وتدريب الجيش السوري، وفق مصادر تركية.",
    ),
    (
        "syria",
        "الرئيس السوري يزور أنقرة",
        "زار الرئيس السوري أنقرة والتقى الرئيس التركي لبحث العلاقات بين تركيا وسوريا.",
    ),
    (
        "syria",
        "تركيا تفتح سفارتها في دمشق",
        "أعادت تركيا فتح سفارتها في دمشق، وأكدت دعمها للإدارة السورية الجديدة.",
    ),
]
K = 3


@pytest.fixture
def stories():
    sections = [SectionFactory(name=name) for name in ("محليات", "دوليات", "متابعات")]
    now = timezone.now()
    made = []
    for i, (topic, headline, body) in enumerate(STORIES):
        article = ArticleFactory(
            headline=headline,
            body=f"<p>{body}</p>",
            section=sections[i % 3],
            published_at=now - timedelta(hours=i),
        )
        made.append((topic, article))
    call_command("refresh_intelligence", stdout=io.StringIO())
    return made


def naive(article):
    same = Article.objects.published().filter(section=article.section).exclude(pk=article.pk)
    return list(same.order_by("-published_at")[:K])


def precision(stories, method) -> float:
    topic = {a.pk: t for t, a in stories}
    hits = [sum(topic[r.pk] == t for r in method(a)) / K for t, a in stories]
    return sum(hits) / len(hits)


def test_related_stories_beat_same_section_latest_first(stories):
    ours = precision(stories, lambda a: selectors.rank_related(a, limit=K))
    baseline = precision(stories, naive)
    assert baseline < 0.5  # the fixture mixes topics in every section
    assert ours >= 0.9 and ours > baseline


def test_article_page_lists_stories_on_the_same_subject(client, stories):
    topic, article = stories[8]  # a Turkey-Syria story
    html = client.get(article.get_absolute_url()).content.decode()
    related = html[html.index('<aside class="related"') :]
    related = related[: related.index("</aside>")]
    shown = [a for _, a in stories if a.headline in related]
    assert len(shown) >= K and all(t == "syria" for t, a in stories if a in shown)


def test_shared_tags_lift_a_story(stories):
    _, article = stories[0]
    plain = selectors.rank_related(article, limit=K)
    tag = TagFactory(name="أوبك")
    last = next(a for t, a in reversed(stories) if t == "oil" and a not in plain[:1])
    article.tags.add(tag)
    last.tags.add(tag)
    article = Article.objects.prefetch_related("tags").get(pk=article.pk)
    assert selectors.rank_related(article, limit=K)[0] == last


def test_unpublished_story_leaves_a_cached_list_at_once(stories):
    _, article = stories[4]
    first = selectors.related_articles(article, limit=K)
    gone = first[0]
    Article.objects.filter(pk=gone.pk).update(status="unpublished")
    again = selectors.related_articles(article, limit=K)
    assert gone not in again and again == first[1:]


def test_refresh_command_redoes_only_stale_stories(stories, capsys):
    call_command("refresh_intelligence")
    assert "0 stories indexed" in capsys.readouterr().out
    _, article = stories[0]
    article.body = "<p>نص جديد تماماً عن الطاقة الشمسية والرياح.</p>"
    article.save()
    call_command("refresh_intelligence")
    assert "1 stories indexed" in capsys.readouterr().out
    assert (
        ArticleTerm.objects.filter(article=article, term__in=article_terms("", "الشمسية الرياح")).count() == 2
    )
    call_command("refresh_intelligence", "--all")
    assert f"{len(STORIES)} stories indexed" in capsys.readouterr().out


def test_terms_are_characteristic_words_not_function_words():
    vector = article_terms(
        "التقارب التركي السوري", "قال الوزير إن أنقرة ودمشق تبحثان هذا العام التعاون العسكري في دمشق."
    )
    assert {"دمشق", "انقر", "ترك", "سور"} <= set(vector)
    assert not {"في", "ان", "هذا", "عام"} & set(vector)
    assert abs(sum(w * w for w in vector.values()) - 1) < 1e-3


@pytest.mark.parametrize(
    ("kwargs", "higher", "lower"),
    [
        ({"shared_tags": 1}, {"shared_tags": 0}, None),
        ({"same_section": True}, {"same_section": False}, None),
        ({"days_apart": 1}, {"days_apart": 60}, None),
        ({"days_apart": -1}, {"days_apart": -60}, None),
    ],
)
def test_score_prefers_shared_tags_same_section_and_nearby_dates(kwargs, higher, lower):
    base = {"terms": 0.3, "shared_tags": 0, "same_section": False, "days_apart": 0}
    assert final_score(**{**base, **kwargs}) > final_score(**{**base, **higher})


@pytest.mark.parametrize(
    ("terms", "shared_tags", "related"),
    [(0.3, 0, True), (MIN_TERMS, 0, True), (MIN_TERMS / 2, 0, False), (0.0, 1, True)],
)
def test_a_word_or_two_in_common_is_not_enough_without_a_shared_tag(terms, shared_tags, related):
    assert qualifies(terms=terms, shared_tags=shared_tags) is related


def test_unrelated_stories_are_not_listed_just_to_fill_the_box(stories):
    lone = ArticleFactory(
        headline="معرض الكتاب يفتح أبوابه للزوار", body="<p>افتتح معرض الكتاب أبوابه للزوار.</p>"
    )
    call_command("refresh_intelligence", stdout=io.StringIO())
    assert selectors.rank_related(lone) == []


def test_term_score_is_a_cosine():
    assert term_score({"a": 0.6, "b": 0.8}, {"a": 0.6, "b": 0.8}) == pytest.approx(1)
    assert term_score({"a": 1.0}, {"b": 1.0}) == 0


def test_story_without_words_has_no_related_stories(stories):
    article = ArticleFactory(headline="123", body="<p>2024</p>")
    assert selectors.related_articles(article) == []


def test_saving_a_story_in_the_admin_refreshes_its_terms(rf, django_capture_on_commit_callbacks):
    article = ArticleFactory(headline="أوبك تجتمع في فيينا", body="<p>اجتماع أوبك بشأن إنتاج النفط.</p>")
    model_admin = admin.site.get_model_admin(Article)
    form = SimpleNamespace(instance=article, save_m2m=lambda: None)
    with django_capture_on_commit_callbacks(execute=True):
        model_admin.save_related(rf.post("/"), form, [], True)
    stored = set(ArticleTerm.objects.filter(article=article).values_list("term", flat=True))
    assert stored == set(article_terms(article.headline, "اجتماع أوبك بشأن إنتاج النفط."))


def test_term_frequency_table_was_built_with_the_current_analyzer():
    assert table_version() == ANALYZER_VERSION, (
        "the analyzer changed: run python -m khabar.intelligence.build_term_frequencies "
        "(then khabar refresh-intelligence --all on a live site)"
    )


def test_showing_related_stories_runs_no_text_analysis(client, stories, monkeypatch):
    # Web processes read the stored terms: the analyzer (and its tens of MiB
    # of lexicon) is for refresh-intelligence and search, not article pages.
    def refuse(*args, **kwargs):
        raise AssertionError("the article page analysed text")

    monkeypatch.setattr("khabar.intelligence.terms.analyze", refuse)
    monkeypatch.setattr("khabar.intelligence.terms.article_terms", refuse)
    _, article = stories[8]
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<aside class="related"' in html
