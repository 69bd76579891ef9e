from datetime import date, datetime, time, timedelta

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from khabar.comments.models import Comment

from .models import Agency, Article, Author, Section, Tag
from .prepared import Int, Moment, PreparedQuery

PAGE_SIZE = 20


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# The latest stories read once for the front page: its "latest" list and
# the section blocks both come from them (a section with no story among them
# gets no block), so the page costs the same few queries however many sections.
FRONT_POOL = 200


def front(request):
    now = timezone.now()
    published = Article.objects.published(now).in_edition()
    latest = list(published.for_listing(with_image=True)[:FRONT_POOL])
    # The newest story an editor marked as featured leads; else the newest.
    featured = published.filter(is_featured=True).for_listing(with_image=True).first()
    lead = featured or (latest[0] if latest else None)
    latest = [a for a in latest if a.pk != lead.pk] if lead else []
    sections = list(Section.objects.all())
    by_section = {}
    for article in latest:
        by_section.setdefault(article.section_id, []).append(article)
    context = {
        "lead": lead,
        "breaking": Article.objects.breaking(now).in_edition().for_listing()[:5],
        "latest": latest[:10],
        "section_blocks": [(s, by_section[s.id][:4]) for s in sections if s.id in by_section],
        "nav_sections": sections,  # the masthead's list: no second query
    }
    return render(request, "news/front.html", context)


def _listing(request, queryset, context):
    page = _page(request, Article.objects.published().in_edition().for_listing().filter(queryset))
    return render(request, "news/listing.html", {"page": page, **context})


def section(request, slug):
    section = get_object_or_404(Section, slug=slug)
    return _listing(request, Q(section=section), {"title": section.name, "section": section})


def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    return _listing(request, Q(tags=tag), {"title": tag.name, "tag": tag})


def author(request, slug):
    author = get_object_or_404(Author, slug=slug)
    return _listing(request, Q(author=author), {"title": author.name, "author": author})


def agency(request, slug):
    agency = get_object_or_404(Agency, slug=slug)
    return _listing(request, Q(agency=agency), {"title": agency.name, "agency": agency})


def archive(request, year, month=None, day=None):
    """Stories published on a day, in a month or in a year of the site's time zone."""
    if not 2 <= year <= 9998:  # a day's bounds in UTC must stay within datetime's years
        raise Http404
    try:
        first = date(year, 1 if month is None else month, 1 if day is None else day)
        if day is not None:
            end = first + timedelta(days=1)
        elif month is not None:
            end = (first + timedelta(days=32)).replace(day=1)
        else:
            end = first.replace(year=year + 1)
    except (ValueError, OverflowError):
        raise Http404 from None
    start, stop = (timezone.make_aware(datetime.combine(d, time.min)) for d in (first, end))
    level = "year" if month is None else "month" if day is None else "day"
    span = {"first": first, "level": level}
    return _listing(request, Q(published_at__gte=start, published_at__lt=stop), {"archive": span})


# The story page's queries, compiled once (khabar/news/prepared.py).
_PUBLIC_ARTICLE = PreparedQuery(
    lambda pk, now: (
        Article.objects.published(now).select_related("section", "agency", "author").filter(pk=pk)
    ),
    pk=Int(),
    now=Moment(),
)
_ARTICLE_TAGS = PreparedQuery(lambda pk: Tag.objects.filter(articles=pk), pk=Int())
_APPROVED_COMMENTS = PreparedQuery(
    # Plain rows: the template shows three fields and calls no method.
    lambda pk: Comment.objects.approved().filter(article_id=pk).values("name", "body", "created_at"),
    pk=Int(),
)


def get_public_article(pk) -> Article:
    article = _PUBLIC_ARTICLE.first_or_404(pk=pk, now=timezone.now())
    # What prefetch_related("tags") would store, read with one plain query:
    # its machinery costs more than the query on a page read this often.
    article._prefetched_objects_cache = {"tags": _ARTICLE_TAGS(pk=article.pk)}
    return article


def article(request, pk, slug, template="news/article.html"):
    article = get_public_article(pk)
    if slug != article.slug:
        # To the right slug in the edition asked for (not the story's own).
        return redirect("news:article", pk=article.pk, slug=article.slug, permanent=True)
    context = {
        "article": article,
        "comments": _APPROVED_COMMENTS(pk=article.pk),
        "comment_notice": request.GET.get("comment") in {"pending", "approved"} and request.GET["comment"],
    }
    return render(request, template, context)
