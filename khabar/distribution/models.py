"""Subscribers' API keys. Only a SHA-256 of the key is stored: the key itself
is shown once, when it is created (khabar.distribution.services)."""

from django.db import models


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    name = models.CharField(
        "المشترك", max_length=100, help_text="اسم الجهة المشتركة (فريد بين المفاتيح السارية)."
    )
    key_hash = models.CharField("بصمة المفتاح", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("أُنشئ", auto_now_add=True)
    revoked_at = models.DateTimeField("أُلغي", null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "مفتاح API"
        verbose_name_plural = "مفاتيح API"
        ordering = ["name", "-created_at"]
        constraints = [
            # A revoked name can be issued again (key rotation); two live keys cannot share one.
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(revoked_at__isnull=True), name="apikey_active_name"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
