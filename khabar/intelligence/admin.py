"""Back-office parts of the newsroom intelligence.

The Article and Tag admins belong to other apps (news registers them, the
newsroom replaces Article's). Rather than import this app there, the
classes registered at this point (intelligence loads last) are extended
here with a mixin: tag suggestions and timeline entries on the story's
change page, the term index refreshed after each save, aliases on the tag
page. Whatever the earlier apps registered keeps working underneath."""

from django.contrib import admin, messages
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import select_template
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from khabar.news.models import Article, Tag

from . import places, selectors, services
from .models import TagAlias


def _extend(model, mixin):
    """Re-register ``model`` with ``mixin`` in front of its current admin class."""
    base = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    admin.site.register(model, type(base.__name__, (mixin, base), {"intelligence_base": base}))


class ArticleIntelligenceMixin:
    change_form_template = "intelligence/admin/article_change_form.html"

    def get_urls(self):
        def view(func):
            return self.admin_site.admin_view(require_POST(func))

        return [
            path("<int:pk>/suggested-tag/", view(self.accept_tag_view), name="news_article_accept_tag"),
            path(
                "<int:pk>/timeline-entry/", view(self.timeline_entry_view), name="news_article_timeline_entry"
            ),
            *super().get_urls(),
        ]

    def _base_change_form(self):
        opts = self.model._meta
        names = [f"admin/{opts.app_label}/{opts.model_name}/change_form.html", "admin/change_form.html"]
        return select_template([t for t in [self.intelligence_base.change_form_template, *names] if t])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["intelligence_base"] = self._base_change_form()
        if obj is not None and obj.pk:
            hidden = selectors.hidden_keys(obj)
            context["intelligence"] = {
                "suggestions": selectors.tag_suggestions(obj),
                "timeline": [(e, e.key in hidden) for e in selectors.compute_timeline(obj)],
                "can_edit": self.has_change_permission(request, obj),
                "can_add_tags": request.user.has_perm("news.add_tag"),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        # After commit, and never at the cost of the editor's save.
        transaction.on_commit(lambda: services.article_terms_refresh(article=article), robust=True)

    def _editable(self, request, pk) -> Article:
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, article):
            raise Http404
        return article

    def accept_tag_view(self, request, pk):
        article = self._editable(request, pk)
        tag_id, name = request.POST.get("tag", ""), request.POST.get("name", "")
        if tag_id.isdigit():
            tag = get_object_or_404(Tag, pk=int(tag_id))
            services.article_tag_accept(article=article, tag=tag, by=request.user)
        elif name in {label for _, label, _ in places.places()} and request.user.has_perm("news.add_tag"):
            tag = services.article_tag_accept(article=article, name=name, by=request.user)
        else:
            self.message_user(request, "لا يمكن إضافة هذا الوسم من هنا.", messages.ERROR)
            return self._back(article)
        self.message_user(request, f"أُضيف الوسم «{tag.name}».", messages.SUCCESS)
        return self._back(article)

    def timeline_entry_view(self, request, pk):
        article = self._editable(request, pk)
        entries = {e.key: e for e in selectors.compute_timeline(article)}
        key = request.POST.get("hide") or request.POST.get("show") or ""
        if key not in entries:
            self.message_user(request, "هذا المدخل لم يعد في نص الخبر.", messages.ERROR)
        elif "hide" in request.POST:
            label = f"{entries[key].mention}: {entries[key].text}"
            services.timeline_entry_hide(article=article, key=key, label=label, by=request.user)
            self.message_user(request, "أُخفي المدخل من التسلسل الزمني.", messages.SUCCESS)
        else:
            services.timeline_entry_show(article=article, key=key, by=request.user)
            self.message_user(request, "أُعيد المدخل إلى التسلسل الزمني.", messages.SUCCESS)
        return self._back(article)

    def _back(self, article):
        return HttpResponseRedirect(reverse("admin:news_article_change", args=[article.pk]) + "#intelligence")


class TagAliasInline(admin.TabularInline):
    model = TagAlias
    extra = 1


class TagIntelligenceMixin:
    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), TagAliasInline]


_extend(Article, ArticleIntelligenceMixin)
_extend(Tag, TagIntelligenceMixin)
