from django import forms
from django.core.exceptions import ValidationError

from khabar.news.html import clean_body
from khabar.news.models import Article

from . import services
from .images import ImageRejected, image_prepare


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's own date-and-time picker; Django parses its ISO value."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class ImageUploadField(forms.FileField):
    """Cleans to a PreparedImage: checked and re-encoded, not yet stored."""

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        try:
            return image_prepare(upload)
        except ImageRejected as error:
            raise ValidationError(str(error), code="image") from None


IMAGE_TEXT_FIELDS = {"image_alt": "النص البديل", "image_caption": "التعليق", "image_credit": "حقوق الصورة"}


class NewsroomArticleForm(forms.ModelForm):
    image_upload = ImageUploadField(
        label="رفع صورة رئيسية",
        required=False,
        help_text="JPEG أو PNG أو WebP حتى 10 ميغابايت؛ تُحذف بيانات EXIF وتُحفظ بعدة مقاسات.",
    )
    publish_at = forms.DateTimeField(
        label="موعد النشر أو الجدولة",
        required=False,
        widget=DateTimeLocalInput,
        help_text="اتركه فارغاً للنشر الآن؛ وقت في المستقبل يجدول الخبر ولا يظهر قبل موعده.",
    )
    correction = forms.CharField(
        label="ملاحظة تصحيح",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="تظهر مؤرّخة في آخر الخبر المنشور.",
    )
    breaking_until = forms.DateTimeField(
        label="عاجل حتى",
        required=False,
        widget=DateTimeLocalInput,
        help_text="يظهر الخبر في شريط «عاجل» حتى هذا الوقت؛ اتركه فارغاً إن لم يكن عاجلاً.",
    )
    substantive_update = forms.BooleanField(label="تحديث جوهري (يُظهر «آخر تحديث»)", required=False)
    # The version the editor opened; a save from an older one is refused.
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Set per request by the admin (khabar.newsroom.admin).
    newsroom_user = None
    newsroom_action = None

    class Meta:
        model = Article
        fields = [
            "headline", "language", "slug", "summary", "body", "section", "agency", "author", "tags",
            "image_alt", "image_caption", "image_credit", "is_featured", "breaking_until",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.version
        if "language" in self.fields:
            # A post without the field (scripts written before it existed)
            # keeps the story's language rather than failing.
            self.fields["language"].required = False

    def clean_body(self):
        return clean_body(self.cleaned_data["body"])

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language

    def clean(self):
        data = super().clean()
        if data.get("image_upload") or self.instance.image:
            for field, label in IMAGE_TEXT_FIELDS.items():
                if field in self.fields and not (data.get(field) or "").strip():
                    self.add_error(field, f"{label} مطلوب مع الصورة.")
        if self.instance.pk:
            self._check_version(data.get("opened_version"))
        self._check_workflow(data)
        return data

    def _check_version(self, version):
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if version != current:
            raise ValidationError(str(services.EditConflict()), code="conflict")

    def _check_workflow(self, data):
        # Role refusals are raised as they are (403); a state that does not
        # allow the move becomes a form error and nothing is saved.
        # A story being created is a draft of its writer.
        article = self.instance if self.instance.pk else Article(created_by=self.newsroom_user)
        try:
            if self.newsroom_action:
                services.ensure_transition(article=article, by=self.newsroom_user, name=self.newsroom_action)
        except services.WorkflowError as error:
            raise ValidationError(str(error)) from None
        wants_note = (data.get("correction") or "").strip() or data.get("substantive_update")
        if wants_note and self.instance.status != Article.Status.PUBLISHED:
            raise ValidationError("التصحيح والتحديث للأخبار المنشورة فقط.")
