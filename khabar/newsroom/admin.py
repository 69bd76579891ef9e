"""The newsroom's article admin. It replaces news' registration (this app
loads after news) so `news` never imports the newsroom: every save, workflow
button, admin action and delete goes through khabar.newsroom.services."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from khabar.news.admin import ArticleAdmin
from khabar.news.models import Article
from khabar.news.templatetags.khabar import timestamp

from . import roles, services
from .forms import NewsroomArticleForm
from .models import ArticleEvent, Revision
from .preview import preview_url

WORKFLOW_BUTTONS = {f"_{name}": name for name in services.TRANSITIONS}
# Fields and buttons only publishers get; a reporter's POST carrying any of
# them was not made with our form.
PUBLISHER_ONLY = {"publish_at", "is_featured", "breaking_until", "correction", "substantive_update", "status"}
PUBLISHER_ONLY |= {"published_at", "_publish", "_unpublish", "_return"}
FORM_ONLY = {"opened_version", "image_upload", "publish_at", "correction", "substantive_update"}
PUBLISHER_ACTIONS = {"publish_selected", "unpublish_selected", "return_selected", "delete_selected"}


def _workflow_action(request) -> str | None:
    if request.method != "POST":
        return None
    return next((name for button, name in WORKFLOW_BUTTONS.items() if button in request.POST), None)


class NewsroomArticleAdmin(ArticleAdmin):
    form = NewsroomArticleForm
    change_form_template = "newsroom/admin/change_form.html"
    change_list_template = "newsroom/admin/change_list.html"
    list_display = ["headline", "section", "state", "published_at", "created_by", "flags", "preview_link"]
    list_filter = ["status", "language", "is_featured", "section", "agency", "published_at"]
    list_select_related = ["section", "agency", "created_by"]
    actions = ["submit_selected", "publish_selected", "unpublish_selected", "return_selected"]
    readonly_fields = [
        "state", "published_at", "last_update", "created_by", "created_at", "updated_at",
        "current_image", "notes", "history_links",
    ]  # fmt: skip

    def get_fieldsets(self, request, obj=None):
        editable = obj is None or self.has_change_permission(request, obj)
        publisher = editable and roles.can_publish(request.user)
        publishing = ["section", "agency", "author", "tags", "state", "published_at", "last_update"]
        if publisher:
            publishing += ["publish_at", "is_featured", "breaking_until"]
        image = ["current_image", "image_upload", "image_alt", "image_caption", "image_credit"]
        fieldsets = [
            (None, {"fields": ["headline", "language", "slug", "summary", "body", "opened_version"]}),
            ("النشر", {"fields": publishing}),
            ("الصورة", {"fields": image}),
        ]
        if publisher and obj is not None and obj.status == Article.Status.PUBLISHED:
            fieldsets.append(("التصحيح والتحديث", {"fields": ["notes", "correction", "substantive_update"]}))
        if obj is not None:
            fieldsets.append(
                ("السجل", {"fields": ["created_by", "created_at", "updated_at", "history_links"]})
            )
        if not editable:
            # A read-only view shows model fields only: form-only fields have nothing to display.
            fieldsets = [
                (name, {"fields": [f for f in opts["fields"] if f not in FORM_ONLY]})
                for name, opts in fieldsets
            ]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.newsroom_user = request.user
        form.newsroom_action = _workflow_action(request)
        return form

    # Who sees and touches what: reporters see only their own stories, and a
    # story they may not see answers 404, as if it did not exist (no IDOR).
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.has_perm("news.edit_any_article"):
            return queryset
        return queryset.filter(created_by=request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("لا يوجد خبر بهذا الرقم.")
        return obj

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or roles.can_view(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or roles.can_edit(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and roles.can_delete(request.user, obj)

    def has_publish_permission(self, request):
        return roles.can_publish(request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and not roles.can_publish(request.user):
            forged = PUBLISHER_ONLY.intersection(request.POST)
            if forged:
                raise services.refuse(request.user, "forged form " + ",".join(sorted(forged)), None)
        extra_context = {**(extra_context or {}), "workflow_buttons": self._buttons(request, object_id)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _buttons(self, request, object_id) -> list[tuple[str, str]]:
        if object_id is None:
            names = ["submit", "publish"] if roles.can_publish(request.user) else ["submit"]
        else:
            names = services.allowed_actions(request.user, self.get_object(request, unquote(object_id)))
        return [(f"_{name}", services.TRANSITION_LABELS[name]) for name in names]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        article = services.article_save(
            article=obj,
            by=request.user,
            expected_version=data.get("opened_version") if change else None,
            image=data.get("image_upload"),
            correction=data.get("correction") or "",
            substantive_update=bool(data.get("substantive_update")),
        )
        action = form.newsroom_action
        if action:
            extra = {"at": data.get("publish_at")} if action == "publish" else {}
            done = services.TRANSITION_FUNCTIONS[action](article=article, by=request.user, **extra)
            obj.status, obj.published_at, obj.version = done.status, done.published_at, done.version
            label = services.STATE_LABELS[services.state_of(done)]
            self.message_user(request, f"حالة الخبر الآن: {label}.", messages.SUCCESS)

    def response_add(self, request, obj, post_url_continue=None):
        if _workflow_action(request):
            return HttpResponseRedirect(reverse("admin:news_article_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if _workflow_action(request):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # A story's revisions and audit events go with it; nobody deletes them on their own.
        perms_needed -= {str(ArticleEvent._meta.verbose_name), str(Revision._meta.verbose_name)}
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        services.article_delete(article=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for article in queryset:
                services.article_delete(article=article, by=request.user)

    # Admin actions: Django hides the ones a role lacks; a forged POST naming
    # one anyway is refused outright rather than ignored.
    def response_action(self, request, queryset):
        name = request.POST.get("action", "")
        if name in PUBLISHER_ACTIONS and name not in self.get_actions(request):
            raise services.refuse(request.user, "admin action " + name[:40], None)
        return super().response_action(request, queryset)

    def _apply(self, request, queryset, name):
        done, refused = 0, []
        for article in queryset:
            try:
                services.TRANSITION_FUNCTIONS[name](article=article, by=request.user)
                done += 1
            except services.WorkflowError as error:
                refused.append(f"{article.headline[:60]}: {error}")
        if done:
            self.message_user(request, f"{services.TRANSITION_LABELS[name]}: {done}", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    @admin.action(description="إرسال المحدد للمراجعة", permissions=["change"])
    def submit_selected(self, request, queryset):
        self._apply(request, queryset, "submit")

    @admin.action(description="نشر المحدد الآن", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._apply(request, queryset, "publish")

    @admin.action(description="إلغاء نشر المحدد", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._apply(request, queryset, "unpublish")

    @admin.action(description="إعادة المحدد إلى المسودة", permissions=["publish"])
    def return_selected(self, request, queryset):
        self._apply(request, queryset, "return")

    @admin.display(description="الحالة")
    def state(self, obj):
        return services.STATE_LABELS[services.state_of(obj)]

    @admin.display(description="علامات")
    def flags(self, obj):
        return " · ".join(
            label for on, label in ((obj.is_breaking, "عاجل"), (obj.is_featured, "رئيسي")) if on
        )

    @admin.display(description="الصورة الحالية")
    def current_image(self, obj):
        if not obj.image:
            return "لا صورة"
        smallest = obj.image_renditions[0]["name"] if obj.image_renditions else obj.image.name
        return format_html(
            '<img src="{}" alt="{}" class="newsroom-thumb">', obj.image.storage.url(smallest), obj.image_alt
        )

    @admin.display(description="التصحيحات المنشورة")
    def notes(self, obj):
        items = obj.correction_notes
        if not items:
            return "لا تصحيحات"
        return format_html_join("", "<p>{}: {}</p>", ((timestamp(n["at"]), n["text"]) for n in items))

    @admin.display(description="النسخ والمعاينة")
    def history_links(self, obj):
        return format_html(
            '<a href="{}">النسخ السابقة والمقارنة (النسخة الحالية {})</a> · '
            '<a href="{}">رابط معاينة يُشارَك (صالح مؤقتاً)</a>',
            reverse("newsroom:revisions", args=[obj.pk]),
            obj.version,
            preview_url(obj),
        )


admin.site.unregister(Article)
admin.site.register(Article, NewsroomArticleAdmin)


@admin.register(ArticleEvent)
class ArticleEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "article", "action", "from_status", "to_status", "actor"]
    list_filter = ["action", "created_at"]
    list_select_related = ["article", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
