"""The content model. `Article.objects.published()` is the only door through
which public surfaces see articles, so scheduling and unpublishing hold
everywhere at once."""

from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from khabar.arabic.slugs import slugify


class Agency(models.Model):
    name = models.CharField("الاسم", max_length=200, unique=True)
    slug = models.SlugField("المعرّف", max_length=200, unique=True, allow_unicode=True)
    url = models.URLField("الموقع", blank=True)

    class Meta:
        verbose_name = "وكالة"
        verbose_name_plural = "الوكالات"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Author(models.Model):
    name = models.CharField("الاسم", max_length=200)
    slug = models.SlugField("المعرّف", max_length=200, unique=True, allow_unicode=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="المستخدم"
    )

    class Meta:
        verbose_name = "كاتب"
        verbose_name_plural = "الكتّاب"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Section(models.Model):
    name = models.CharField("الاسم", max_length=100, unique=True)
    slug = models.SlugField("المعرّف", max_length=100, unique=True, allow_unicode=True)
    position = models.PositiveSmallIntegerField("الترتيب", default=0)

    class Meta:
        verbose_name = "قسم"
        verbose_name_plural = "الأقسام"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:section", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField("الاسم", max_length=100, unique=True)
    slug = models.SlugField("المعرّف", max_length=100, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = "وسم"
        verbose_name_plural = "الوسوم"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:tag", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        now = now or timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now)

    def for_listing(self):
        return self.select_related("section", "agency").only(
            "id",
            "headline",
            "slug",
            "summary",
            "published_at",
            "updated_at",
            "section__name",
            "section__slug",
            "agency__name",
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "مسودة"
        REVIEW = "review", "قيد المراجعة"
        PUBLISHED = "published", "منشور"
        UNPUBLISHED = "unpublished", "أُلغي نشره"

    headline = models.CharField("العنوان", max_length=300)
    slug = models.SlugField("المعرّف في الرابط", max_length=120, allow_unicode=True, blank=True)
    summary = models.TextField("الملخص", max_length=600, blank=True)
    body = models.TextField("النص", help_text="HTML منقّى: فقرات وقوائم وعناوين واقتباسات وروابط.")
    status = models.CharField(
        "الحالة", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField("وقت النشر", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField("أُنشئ", auto_now_add=True)
    updated_at = models.DateTimeField("آخر حفظ", auto_now=True)
    last_update = models.DateTimeField("آخر تحديث", null=True, blank=True)
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="articles", verbose_name="القسم"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="articles", verbose_name="الوكالة"
    )
    author = models.ForeignKey(
        Author,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        verbose_name="الكاتب",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name="الوسوم")
    image = models.ImageField("الصورة الرئيسية", upload_to="lead/%Y/%m/", blank=True)
    image_caption = models.CharField("تعليق الصورة", max_length=300, blank=True)
    image_credit = models.CharField("حقوق الصورة", max_length=200, blank=True)
    image_alt = models.CharField("نص بديل للصورة", max_length=300, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "خبر"
        verbose_name_plural = "الأخبار"
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"], name="article_public_idx")]
        constraints = [
            models.UniqueConstraint(fields=["agency", "headline", "published_at"], name="article_identity"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        # Deriving the slug is data shape, not a business rule.
        if not self.slug:
            self.slug = slugify(self.headline) or "khabar"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:article", kwargs={"pk": self.pk, "slug": self.slug})

    def get_print_url(self):
        return reverse("news:article-print", kwargs={"pk": self.pk, "slug": self.slug})

    def get_comment_url(self):
        return reverse("comments:form", kwargs={"pk": self.pk})

    @property
    def canonical_url(self) -> str:
        return settings.SITE_URL + self.get_absolute_url()

    @property
    def share_links(self) -> list[tuple[str, str, str]]:
        """(key, label, href) for plain share links: no third-party script."""
        url = quote(self.canonical_url, safe="")
        text = quote(self.headline, safe="")
        return [
            ("facebook", "Facebook Share", f"https://www.facebook.com/sharer/sharer.php?u={url}"),
            ("x", "X", f"https://twitter.com/intent/tweet?url={url}&text={text}"),
            ("whatsapp", "واتساب", f"https://wa.me/?text={text}%20{url}"),
            ("telegram", "تيليغرام", f"https://t.me/share/url?url={url}&text={text}"),
        ]

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )
