from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from khabar.comments.models import Comment

from .models import Article, Section, Tag

PAGE_SIZE = 20


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def front(request):
    now = timezone.now()
    published = Article.objects.published(now).for_listing()
    latest = list(published[:31])
    # The newest story an editor marked as featured leads; else the newest.
    lead = published.filter(is_featured=True).first() or (latest[0] if latest else None)
    latest = [a for a in latest if a.pk != lead.pk][:30] if lead else []
    sections = Section.objects.all()
    by_section = {}
    for article in latest:
        by_section.setdefault(article.section_id, []).append(article)
    context = {
        "lead": lead,
        "breaking": Article.objects.breaking(now).for_listing()[:5],
        "latest": latest[:10],
        "section_blocks": [(s, by_section.get(s.id, [])[:4]) for s in sections if by_section.get(s.id)],
    }
    return render(request, "news/front.html", context)


def section(request, slug):
    section = get_object_or_404(Section, slug=slug)
    page = _page(request, Article.objects.published().for_listing().filter(section=section))
    return render(request, "news/listing.html", {"title": section.name, "page": page, "section": section})


def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page = _page(request, Article.objects.published().for_listing().filter(tags=tag))
    return render(request, "news/listing.html", {"title": tag.name, "page": page, "tag": tag})


def get_public_article(pk) -> Article:
    queryset = (
        Article.objects.published().select_related("section", "agency", "author").prefetch_related("tags")
    )
    try:
        return queryset.get(pk=pk)
    except Article.DoesNotExist:
        raise Http404 from None


def article(request, pk, slug, template="news/article.html"):
    article = get_public_article(pk)
    if slug != article.slug:
        return redirect(article, permanent=True)
    context = {
        "article": article,
        "comments": Comment.objects.approved().filter(article=article).only("name", "body", "created_at"),
        "comment_notice": request.GET.get("comment") in {"pending", "approved"} and request.GET["comment"],
    }
    return render(request, template, context)
