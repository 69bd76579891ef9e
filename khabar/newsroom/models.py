from django.conf import settings
from django.db import models
from django.utils import timezone

from khabar.news.models import Article


class Action(models.TextChoices):
    CREATE = "create", "إنشاء"
    SAVE = "save", "حفظ"
    SUBMIT = "submit", "إرسال للمراجعة"
    PUBLISH = "publish", "نشر"
    SCHEDULE = "schedule", "جدولة"
    UNPUBLISH = "unpublish", "إلغاء النشر"
    RETURN = "return", "إعادة إلى المسودة"
    CORRECT = "correct", "تصحيح"
    RESTORE = "restore", "استعادة"
    DELETE = "delete", "حذف"


FIELD_LABELS = {
    "headline": "العنوان",
    "summary": "الملخص",
    "body": "النص",
    "status": "الحالة",
    "published_at": "وقت النشر",
    "last_update": "آخر تحديث",
    "corrections": "التصحيحات",
}


class Revision(models.Model):
    """A snapshot of a story after one newsroom write. `number` is the
    article's version after that write, so numbers never collide."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="revisions", verbose_name="الخبر"
    )
    number = models.PositiveIntegerField("رقم النسخة")
    created_at = models.DateTimeField("الوقت", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="بواسطة",
    )
    action = models.CharField("العملية", max_length=20, choices=Action.choices)
    changed = models.JSONField("ما تغيّر", default=list)
    headline = models.CharField("العنوان", max_length=300)
    summary = models.TextField("الملخص", blank=True)
    body = models.TextField("النص")
    status = models.CharField("الحالة", max_length=20, choices=Article.Status.choices)
    published_at = models.DateTimeField("وقت النشر", null=True)
    last_update = models.DateTimeField("آخر تحديث", null=True)
    corrections = models.JSONField("التصحيحات", default=list)

    class Meta:
        verbose_name = "نسخة"
        verbose_name_plural = "النسخ"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="revision_number")]

    def __str__(self):
        return f"{self.article_id} #{self.number}"

    @property
    def changed_labels(self) -> list[str]:
        return [FIELD_LABELS.get(name, name) for name in self.changed]


class ArticleEvent(models.Model):
    """The audit trail of workflow decisions: who moved a story where, when."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="events", verbose_name="الخبر"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="بواسطة",
    )
    action = models.CharField("العملية", max_length=20, choices=Action.choices)
    from_status = models.CharField("من", max_length=20, blank=True)
    to_status = models.CharField("إلى", max_length=20, blank=True)
    published_at = models.DateTimeField("وقت النشر", null=True)
    created_at = models.DateTimeField("الوقت", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "حدث تحريري"
        verbose_name_plural = "الأحداث التحريرية"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.article_id})"
