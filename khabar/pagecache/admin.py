"""Admin edits are public-facing changes too. Whatever admin class the news
and comments apps (or the newsroom) register, saves and deletes made through
it refresh cached pages after commit. Services that already call
content_changed make this a harmless second bump."""

from django.contrib import admin
from django.db import transaction

from khabar.comments.models import Comment
from khabar.news.models import Agency, Article, Author, Section, Tag

from .services import content_changed


class RefreshPagesOnChange:
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.pages_changed(obj)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.pages_changed(obj)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self.pages_changed(None)

    def pages_changed(self, obj) -> None:
        if isinstance(obj, Comment):
            article, only = obj.article, True
        else:
            article, only = (obj if isinstance(obj, Article) else None), False
        transaction.on_commit(lambda: content_changed(article=article, article_only=only))


for _model in (Article, Section, Tag, Agency, Author, Comment):
    if admin.site.is_registered(_model):
        _current = type(admin.site.get_model_admin(_model))
        admin.site.unregister(_model)
        admin.site.register(_model, type(_current.__name__, (RefreshPagesOnChange, _current), {}))
