"""Reads for the public pages and the editor: timelines, related stories,
tag suggestions. Derived data is cached under the article's ``updated_at``,
so an edit is picked up at once and nothing is recomputed per request.

Query budget of the article page (tests/news/test_pages.py allows five):
the timeline costs none (hidden entries are on the article row), related
stories one, cached or not."""

from django.core.cache import cache
from django.db.models import Count, F, FloatField, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from khabar.news.html import html_to_text
from khabar.news.models import Article, Tag
from khabar.news.prepared import Ints, Moment, PreparedQuery

from . import places, scoring, terms, timeline
from .models import ArticleTerm, TagAlias
from .suggest import Gazetteer, Name, Suggestion, words

TIMELINE_TTL = 7 * 24 * 3600
RELATED_TTL = 10 * 60  # new stories join related lists within ten minutes
MIN_STORY_ENTRIES = 2  # one dated sentence ("اليوم …") is not a timeline
TAG_TIMELINE_STORIES = 30
TAG_TIMELINE_ENTRIES = 60


def _timeline_key(pk: int) -> str:
    return f"intel:timeline:{pk}"


def _stamp(article: Article, version: str) -> str:
    return f"{article.updated_at.isoformat() if article.updated_at else ''}|{version}"


def local_ref(article: Article):
    """The story's publication time in the site's time zone: "next week" in
    a story published at 01:41 Baghdad time counts from that day, not from
    the UTC day before."""
    return timezone.localtime(article.published_at) if article.published_at else None


def hidden_keys(article: Article) -> set[str]:
    return {item.get("key") for item in article.timeline_hidden or [] if isinstance(item, dict)}


def compute_timeline(article: Article) -> list[timeline.Entry]:
    """Every entry of the story, hidden ones included."""
    return timeline.story_timeline(html_to_text(article.body), local_ref(article))


def _cached_entries(value, stamp: str) -> list[timeline.Entry] | None:
    # Plain dicts in the cache: a changed Entry class must not break pages.
    if not value or value[0] != stamp:
        return None
    return [timeline.Entry(**item) for item in value[1]]


def _cache_value(article: Article, entries: list[timeline.Entry]):
    return (_stamp(article, timeline.VERSION), [entry.as_dict() for entry in entries])


def article_timeline(article: Article) -> list[timeline.Entry]:
    """The story's visible entries, oldest first. Extraction runs once per
    version of the text (cached under updated_at); hidden entries are on
    the row, so this costs no query."""
    entries = _cached_entries(cache.get(_timeline_key(article.pk)), _stamp(article, timeline.VERSION))
    if entries is None:
        entries = compute_timeline(article)
        cache.set(_timeline_key(article.pk), _cache_value(article, entries), TIMELINE_TTL)
    hidden = hidden_keys(article)
    return [entry for entry in entries if entry.key not in hidden]


def story_timeline(article: Article) -> list[timeline.Entry]:
    """article_timeline(), or nothing when it is too short to be one."""
    entries = article_timeline(article)
    return entries if len(entries) >= MIN_STORY_ENTRIES else []


def tag_timeline(tag: Tag) -> list[tuple[timeline.Entry, Article]]:
    """The merged timeline of a tag's latest published stories: (entry,
    story) pairs, oldest first. One query when every story's timeline is
    cached, two otherwise (the bodies of the others)."""
    stories = list(
        Article.objects.published()
        .filter(tags=tag)
        .only("id", "headline", "language", "slug", "updated_at", "published_at", "timeline_hidden")[
            :TAG_TIMELINE_STORIES
        ]
    )
    cached = cache.get_many([_timeline_key(a.pk) for a in stories])
    by_story = {}
    for story in stories:
        entries = _cached_entries(cached.get(_timeline_key(story.pk)), _stamp(story, timeline.VERSION))
        if entries is not None:
            by_story[story.pk] = entries
    missing = [story.pk for story in stories if story.pk not in by_story]
    if missing:
        computed = {a.pk: (a, compute_timeline(a)) for a in Article.objects.filter(pk__in=missing)}
        cache.set_many(
            {_timeline_key(pk): _cache_value(a, e) for pk, (a, e) in computed.items()}, TIMELINE_TTL
        )
        by_story |= {pk: entries for pk, (_, entries) in computed.items()}
    merged = [
        (entry, story)
        for story in stories
        for entry in by_story.get(story.pk, [])
        if entry.key not in hidden_keys(story)
    ]
    merged.sort(key=lambda pair: (pair[0].start, -pair[1].pk))
    return merged[-TAG_TIMELINE_ENTRIES:]


def _related_key(pk: int) -> str:
    return f"intel:related:{pk}"


# Unordered: the cached ranking orders them. Compiled once per number of
# stories (khabar/news/prepared.py).
_RELATED_STORIES = PreparedQuery(
    lambda ids, now: Article.objects.published(now).for_listing().filter(pk__in=ids).order_by(),
    ids=Ints,
    now=Moment(),
)


def related_articles(article: Article, limit: int = 5) -> list[Article]:
    """Published stories that share the most characteristic terms and tags
    with ``article``, nearer in time first (see scoring.final_score). The
    ranking is cached for RELATED_TTL; the stories are re-read through
    published() every time, so an unpublished one drops out at once."""
    stamp = _stamp(article, terms.terms_version())
    cached = cache.get(_related_key(article.pk))
    if cached and cached[0] == stamp:
        if not cached[1]:
            return []
        found = {a.pk: a for a in _RELATED_STORIES(ids=cached[1], now=timezone.now())}
        return [found[pk] for pk in cached[1] if pk in found]
    ranked = rank_related(article, limit)
    cache.set(_related_key(article.pk), (stamp, [a.pk for a in ranked]), RELATED_TTL)
    return ranked


def rank_related(article: Article, limit: int = 5) -> list[Article]:
    """One query: candidates sharing stored terms with the story, best term
    score first, then ranked in Python by scoring.final_score. The story's
    own terms are read from the table inside that query, so a web process
    runs no text analysis (and never loads the analyzer's lexicon) to show
    related stories. Terms are stored (services.article_terms_refresh) when
    the newsroom saves a story and by `khabar refresh-intelligence`; a story
    is found as related only once its terms are stored anyway."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    own = ArticleTerm.objects.filter(article_id=article.pk)
    weight = Subquery(own.filter(term=OuterRef("intel_terms__term")).values("weight")[:1])
    candidates = (
        Article.objects.published()
        .for_listing()
        .exclude(pk=article.pk)
        .filter(intel_terms__term__in=own.values("term"))
        .annotate(
            term_score=Sum(F("intel_terms__weight") * weight, output_field=FloatField()),
            shared_tags=_shared_tags(tag_ids),
        )
        .order_by("-term_score", "-published_at")[: scoring.CANDIDATES]
    )
    when = article.published_at or timezone.now()

    def final(candidate: Article) -> float:
        return scoring.final_score(
            terms=candidate.term_score,
            shared_tags=candidate.shared_tags,
            same_section=candidate.section_id == article.section_id,
            days_apart=(candidate.published_at - when).total_seconds() / 86400,
        )

    kept = [c for c in candidates if scoring.qualifies(terms=c.term_score, shared_tags=c.shared_tags)]
    return sorted(kept, key=lambda c: (-final(c), -c.pk))[:limit]


def _shared_tags(tag_ids: list[int]):
    if not tag_ids:
        return Value(0, output_field=IntegerField())
    through = Article.tags.through.objects.filter(article_id=OuterRef("pk"), tag_id__in=tag_ids)
    count = through.order_by().values("article_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(count, output_field=IntegerField()), 0)


def tag_gazetteer() -> Gazetteer:
    """Every tag under its name and aliases, and every place; a place that
    already is a tag (by name or alias) is that tag. Two queries."""
    tag_names: dict[tuple[str, ...], Name] = {}
    written: list[tuple[str, Name]] = []
    tags = {tag.pk: Name(tag.name, "tag", tag.pk) for tag in Tag.objects.only("id", "name")}
    forms = [(name.label, name) for name in tags.values()]
    forms += [(alias, tags[tag_id]) for tag_id, alias in TagAlias.objects.values_list("tag_id", "name")]
    for form, name in forms:
        tag_names.setdefault(tuple(words(form)), name)
        written.append((form, name))
    by_label: dict[tuple[str, str], list[str]] = {}
    for form, label, kind in places.places():
        by_label.setdefault((label, kind), []).append(form)
    for (label, kind), forms in by_label.items():
        # Any spelling of a place that is a tag makes all its spellings that tag.
        tag = next((tag_names[k] for k in map(tuple, map(words, [label, *forms])) if k in tag_names), None)
        written += [(form, tag or Name(label, kind)) for form in forms]
    return Gazetteer(written)


def article_text(article: Article) -> str:
    return "\n".join([article.headline, article.summary, html_to_text(article.body)])


def tag_suggestions(article: Article, gazetteer: Gazetteer | None = None) -> list[Suggestion]:
    """Names the story mentions that are not among its tags yet."""
    gazetteer = gazetteer or tag_gazetteer()
    current = {tag.pk for tag in article.tags.all()} if article.pk else set()
    current_names = {tag.name for tag in article.tags.all()} if article.pk else set()
    return [
        s
        for s in gazetteer.find(article_text(article))
        if s.name.tag_id not in current and s.name.label not in current_names
    ]
