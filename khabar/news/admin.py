from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html

from .html import clean_body
from .models import Agency, Article, Author, Section, Tag


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "url"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "headline",
            "language",
            "slug",
            "summary",
            "body",
            "status",
            "published_at",
            "last_update",
            "section",
            "agency",
            "author",
            "tags",
            "image",
            "image_alt",
            "image_caption",
            "image_credit",
        ]

    def clean_body(self):
        return clean_body(self.cleaned_data["body"])


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ["headline", "section", "agency", "status", "published_at", "preview_link"]
    list_filter = ["status", "section", "agency", "published_at"]
    search_fields = ["headline", "summary"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["tags"]
    list_select_related = ["section", "agency"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["headline", "language", "slug", "summary", "body"]}),
        (
            "النشر",
            {"fields": ["status", "published_at", "last_update", "section", "agency", "author", "tags"]},
        ),
        ("الصورة", {"fields": ["image", "image_alt", "image_caption", "image_credit"]}),
        ("السجل", {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description="معاينة")
    def preview_link(self, obj):
        url = reverse("admin:news_article_preview", args=[obj.pk])
        return format_html('<a href="{}">معاينة</a>', url)

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [path("<int:pk>/preview/", preview, name="news_article_preview"), *super().get_urls()]

    def preview_view(self, request, pk):
        """The public page of any article, whatever its state, for staff."""
        article = get_object_or_404(Article.objects.select_related("section", "agency", "author"), pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        context = {"article": article, "comments": [], "related": [], "preview": True}
        return render(request, "news/article.html", context)
