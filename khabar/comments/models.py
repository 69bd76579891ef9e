from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from khabar.news.models import Article


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "بانتظار المراجعة"
        APPROVED = "approved", "منشور"
        REJECTED = "rejected", "مرفوض"
        SPAM = "spam", "مزعج"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments", verbose_name="الخبر"
    )
    name = models.CharField("الاسم", max_length=80)
    email = models.EmailField("البريد الإلكتروني", blank=True)
    body = models.TextField("التعليق", max_length=3000)
    status = models.CharField(
        "الحالة", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField("الوقت", default=timezone.now, db_index=True)
    moderated_at = models.DateTimeField("وقت المراجعة", null=True, blank=True)
    ip_address = models.GenericIPAddressField("عنوان IP", null=True, blank=True)
    # The challenge token that let this comment in: a replayed form cannot
    # create a second row (unique), which also makes double-submits idempotent.
    challenge = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = "تعليق"
        verbose_name_plural = "التعليقات"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["article", "status", "created_at"], name="comment_article_idx")]

    def __str__(self):
        return f"{self.name}: {self.body[:40]}"


class Challenge(models.Model):
    """One arithmetic question. The answer never leaves the server: the form
    carries only a signed, random token. A token is spent by its first guess,
    right or wrong, with a single conditional UPDATE (atomic on SQLite and
    PostgreSQL)."""

    token = models.CharField(max_length=64, primary_key=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    left = models.PositiveSmallIntegerField()
    right = models.PositiveSmallIntegerField()
    session_key = models.CharField(max_length=64, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.question

    @property
    def answer(self) -> int:
        return self.left + self.right

    @property
    def question(self) -> str:
        return _("اكتب ناتج %(left)s + %(right)s") % {"left": self.left, "right": self.right}
