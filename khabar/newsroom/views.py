from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from khabar.news.models import Article

from . import roles, services
from .admin_urls import admin_site
from .diff import diff_revisions
from .forms import DateTimeLocalInput
from .preview import PreviewExpired, PreviewInvalid, article_for_preview, preview_url

DASHBOARD_ROWS = 10


def _visible_article(request, pk) -> Article:
    """A story the user may see, else 404: ids of others' drafts reveal nothing."""
    article = get_object_or_404(Article.objects.select_related("section", "created_by"), pk=pk)
    if not roles.can_view(request.user, article):
        raise Http404
    return article


def _next_url(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


class PublishAtForm(forms.Form):
    publish_at = forms.DateTimeField(required=False, widget=DateTimeLocalInput)


@staff_member_required
def dashboard(request):
    user, now = request.user, timezone.now()
    visible = Article.objects.select_related("section", "created_by")
    if not user.has_perm("news.edit_any_article"):
        visible = visible.filter(created_by=user)
    blocks = [
        (
            "drafts",
            "مسوداتي",
            visible.filter(created_by=user, status=Article.Status.DRAFT).order_by("-updated_at"),
        ),
        ("review", "بانتظار المراجعة", visible.filter(status=Article.Status.REVIEW).order_by("updated_at")),
        ("scheduled", "مجدولة", visible.scheduled(now).order_by("published_at")),
        ("published", "نُشرت مؤخراً", visible.published(now).order_by("-published_at")),
    ]
    context = {
        **admin_site().each_context(request),
        "title": "غرفة الأخبار",
        "blocks": [
            {"key": key, "title": title, "count": qs.count(), "items": list(qs[:DASHBOARD_ROWS])}
            for key, title, qs in blocks
        ],
        "can_publish": roles.can_publish(user),
        "publish_form": PublishAtForm(),
    }
    return render(request, "newsroom/dashboard.html", context)


@staff_member_required
@require_POST
def transition(request, pk, action):
    if action not in services.TRANSITION_FUNCTIONS:
        raise Http404
    article = _visible_article(request, pk)
    extra = {}
    fallback = reverse("newsroom:dashboard")
    if action == "publish":
        form = PublishAtForm(request.POST)
        if not form.is_valid():
            # Never publish now because a typed time could not be read.
            messages.error(request, "تعذّرت قراءة وقت النشر، فلم يُنشر الخبر.")
            return redirect(_next_url(request, fallback))
        extra["at"] = form.cleaned_data["publish_at"]
    try:
        done = services.TRANSITION_FUNCTIONS[action](article=article, by=request.user, **extra)
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        label = services.STATE_LABELS[services.state_of(done)]
        messages.success(request, f"«{done.headline}»: {label}.")
    return redirect(_next_url(request, fallback))


@staff_member_required
def revisions(request, pk):
    if not request.user.has_perm("newsroom.view_revision"):
        raise PermissionDenied
    article = _visible_article(request, pk)
    history = list(article.revisions.select_related("created_by"))
    by_number = {r.number: r for r in history}
    # Latest against the one before it, unless ?a=&b= name two revision numbers.
    newer = _revision(request.GET.get("b"), by_number, history[0] if history else None)
    older = _revision(request.GET.get("a"), by_number, history[1] if len(history) > 1 else None)
    context = {
        **admin_site().each_context(request),
        "title": f"نسخ الخبر: {article.headline}",
        "article": article,
        "history": history,
        "older": older,
        "newer": newer,
        "diff": diff_revisions(older, newer) if older and newer else None,
        "can_restore": roles.can_edit(request.user, article),
        "preview_url": preview_url(article),
    }
    return render(request, "newsroom/revisions.html", context)


def _revision(raw, by_number, fallback):
    try:
        return by_number[int(raw)]
    except (TypeError, ValueError, KeyError):
        return fallback


@staff_member_required
@require_POST
def restore(request, pk, number):
    article = _visible_article(request, pk)
    revision = get_object_or_404(article.revisions, number=number)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1  # a form without its version cannot prove it saw the latest text
    try:
        services.article_restore(revision=revision, by=request.user, expected_version=version)
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"استُعيد نص النسخة {number}.")
    return redirect("newsroom:revisions", pk=article.pk)


@never_cache
def preview(request, token):
    try:
        article = article_for_preview(token)
    except PreviewExpired:
        return render(request, "newsroom/preview_invalid.html", {"expired": True}, status=403)
    except PreviewInvalid:
        return render(request, "newsroom/preview_invalid.html", {"expired": False}, status=404)
    context = {"article": article, "comments": [], "related": [], "preview": True}
    response = render(request, "news/article.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The token is in the address: don't hand it to the sites linked from the page.
    response["Referrer-Policy"] = "no-referrer"
    return response
