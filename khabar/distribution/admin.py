from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from .models import ApiKey
from .services import ApiKeyError, apikey_create, apikey_revoke


class ApiKeyForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["name"]

    def clean_name(self):
        # The model's conditional unique constraint is skipped by form
        # validation (it involves revoked_at, which is not on the form).
        name = self.cleaned_data["name"].strip()
        if ApiKey.objects.active().filter(name=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("لهذا المشترك مفتاح سارٍ؛ ألغِه أولاً ثم أنشئ مفتاحاً جديداً.")
        return name


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ["name", "created_at", "revoked_at", "active"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name"]
    readonly_fields = ["created_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return ["name", *self.readonly_fields] if obj else []

    def get_fields(self, request, obj=None):
        return ["name", *self.readonly_fields] if obj else ["name"]

    @admin.display(description="سارٍ", boolean=True)
    def active(self, obj):
        return obj.is_active

    def save_model(self, request, obj, form, change):
        if change:
            return  # Nothing on a key is editable; revoking is an action.
        try:
            created, secret = apikey_create(name=obj.name)
        except ApiKeyError as exc:
            # The form's own check (unique live name) normally catches this first.
            raise PermissionDenied(str(exc)) from exc
        obj.pk = created.pk
        obj.refresh_from_db()
        request.new_api_key = secret

    def response_add(self, request, obj, post_url_continue=None):
        # Shown on this page only: never in a message (messages may travel in a cookie).
        response = TemplateResponse(
            request,
            "admin/distribution/apikey/created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "obj": obj,
                "secret": request.new_api_key,
                "title": "المفتاح الجديد",
            },
        )
        add_never_cache_headers(response)
        return response

    @admin.action(description="إلغاء المفاتيح المحدّدة")
    def revoke(self, request, queryset):
        for api_key in queryset.filter(revoked_at__isnull=True):
            try:
                apikey_revoke(name=api_key.name)
            except ApiKeyError as exc:
                self.message_user(request, str(exc), messages.ERROR)
        self.message_user(request, "أُلغيت المفاتيح المحدّدة.", messages.SUCCESS)
