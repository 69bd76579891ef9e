from django.contrib import admin, messages

from .models import Comment
from .services import comment_approve, comment_reject


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_body", "article", "status", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["name", "body", "article__headline"]
    list_select_related = ["article"]
    readonly_fields = ["article", "created_at", "ip_address", "moderated_at"]
    fields = ["article", "name", "email", "body", "status", "created_at", "moderated_at", "ip_address"]
    actions = ["approve", "reject", "mark_spam"]
    date_hierarchy = "created_at"

    @admin.display(description="التعليق")
    def short_body(self, obj):
        return obj.body[:80]

    def _apply(self, request, queryset, fn, label, **kwargs):
        count = 0
        for comment in queryset:
            fn(comment=comment, **kwargs)
            count += 1
        self.message_user(request, f"{label}: {count}", messages.SUCCESS)

    @admin.action(description="نشر التعليقات المحددة", permissions=["change"])
    def approve(self, request, queryset):
        self._apply(request, queryset, comment_approve, "نُشر")

    @admin.action(description="رفض التعليقات المحددة", permissions=["change"])
    def reject(self, request, queryset):
        self._apply(request, queryset, comment_reject, "رُفض")

    @admin.action(description="وسم كمزعج", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._apply(request, queryset, comment_reject, "وُسم كمزعج", spam=True)
