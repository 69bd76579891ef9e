"""The content model. `Article.objects.published()` is the only door through
which public surfaces see articles, so scheduling and unpublishing hold
everywhere at once."""

from datetime import datetime
from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.utils import timezone, translation

from khabar.arabic.slugs import slugify
from khabar.news.reversing import reverse


class TemplateLookup:
    """Django's templates resolve `{{ story.headline }}` by trying
    story["headline"] first and getattr() only after that fails; on a model
    that failure is a TypeError raised and caught, about 2.5 µs a variable
    on a slow machine, and a story page has about a hundred. Answering the
    subscript with the attribute gives the template the same value at once
    (methods that alter data stay uncallable: Django checks after either
    lookup). Not a mapping: no iteration, and any name that is not an
    attribute is a KeyError, so the template goes on exactly as before."""

    __iter__ = None  # __getitem__ alone would make instances iterable

    def __getitem__(self, name):
        if isinstance(name, str):
            try:
                return getattr(self, name)
            except AttributeError:
                pass
        raise KeyError(name)


class Agency(TemplateLookup, models.Model):
    name = models.CharField("الاسم", max_length=200, unique=True)
    slug = models.SlugField("المعرّف", max_length=200, unique=True, allow_unicode=True)
    url = models.URLField("الموقع", blank=True)

    class Meta:
        verbose_name = "وكالة"
        verbose_name_plural = "الوكالات"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:agency", kwargs={"slug": self.slug})


class Author(TemplateLookup, models.Model):
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

    def get_absolute_url(self):
        return reverse("news:author", kwargs={"slug": self.slug})


class Section(TemplateLookup, models.Model):
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


class Tag(TemplateLookup, models.Model):
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

    def in_edition(self, language=None):
        """The stories an edition lists: Arabic ones at /, English ones at /en/
        (the language of the request's URL unless given)."""
        return self.filter(language=language or translation.get_language())

    def scheduled(self, now=None):
        """Published with a time still to come: public only from that time on."""
        now = now or timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=now)

    def breaking(self, now=None):
        now = now or timezone.now()
        return self.published(now).filter(breaking_until__gt=now)

    def for_listing(self, *, with_image=False):
        """The columns a teaser needs (and a lead teaser's image with `with_image`)."""
        image = ("image", "image_alt", "image_renditions") if with_image else ()
        return self.select_related("section", "agency", "author").only(
            *image,
            "id",
            "headline",
            "language",
            "slug",
            "summary",
            "published_at",
            "updated_at",
            "section__name",
            "section__slug",
            "agency__name",
            "agency__slug",
            "author__name",
            "author__slug",
        )


class Article(TemplateLookup, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "مسودة"
        REVIEW = "review", "قيد المراجعة"
        PUBLISHED = "published", "منشور"
        UNPUBLISHED = "unpublished", "أُلغي نشره"

    class Language(models.TextChoices):
        ARABIC = "ar", "العربية"
        ENGLISH = "en", "English"

    headline = models.CharField("العنوان", max_length=300)
    # The story's own language: its page marks its text with it, the edition
    # of that language lists it, and feeds and the API report it.
    language = models.CharField("اللغة", max_length=2, choices=Language.choices, default=Language.ARABIC)
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
    # [{"name", "width", "height"}, ...] smallest first; written once at upload
    # by khabar.newsroom.images, so pages build srcset without touching files.
    image_renditions = models.JSONField("مقاسات الصورة", default=list, blank=True, editable=False)
    is_featured = models.BooleanField("خبر رئيسي", default=False, help_text="يتصدّر الصفحة الرئيسية.")
    breaking_until = models.DateTimeField("عاجل حتى", null=True, blank=True)
    # [{"at": ISO time, "text": ...}]: kept on the row so the article page shows
    # corrections without another query.
    corrections = models.JSONField("التصحيحات", default=list, blank=True, editable=False)
    # [{"key", "label", "by", "at"}]: timeline entries an editor hid (written by
    # khabar.intelligence.services); on the row so the page needs no query.
    timeline_hidden = models.JSONField(
        "مدخلات مخفية من التسلسل الزمني", default=list, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name="أنشأه",
    )
    # Optimistic locking: every newsroom write moves it on; a save made from
    # an older version is refused (khabar.newsroom.services).
    version = models.PositiveIntegerField("النسخة", default=1, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "خبر"
        verbose_name_plural = "الأخبار"
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_public_idx"),
            # Search joins its matches to published() by id; this lets SQLite
            # check status, time, section and agency without reading the row
            # (long bodies make rows span overflow pages): 10x on 100k stories.
            models.Index(
                fields=["id", "status", "published_at", "section", "agency"], name="article_lookup_idx"
            ),
            # An edition's listings: its few English stories must not be found
            # by walking past every Arabic one.
            models.Index(fields=["language", "status", "-published_at"], name="article_edition_idx"),
            # The page cache asks when the next breaking spell ends (khabar.pagecache.versions).
            models.Index(fields=["breaking_until"], name="article_breaking_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["agency", "headline", "published_at"], name="article_identity"),
        ]
        permissions = [
            ("publish_article", "نشر الأخبار وجدولتها وإلغاء نشرها"),
            ("edit_any_article", "تحرير أخبار الآخرين"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        # Deriving the slug is data shape, not a business rule.
        if not self.slug:
            self.slug = slugify(self.headline) or "khabar"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # A story's home is its own language's edition (canonical, feeds,
        # sitemaps); the other edition's interface shows it too, under /en/ or not.
        kwargs = {"pk": self.pk, "slug": self.slug}
        if self.language == translation.get_language():  # the usual case: no switch to pay for
            return reverse("news:article", kwargs=kwargs)
        with translation.override(self.language):
            return reverse("news:article", kwargs=kwargs)

    @property
    def direction(self) -> str:
        return "rtl" if translation.get_language_info(self.language)["bidi"] else "ltr"

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
            ("whatsapp", translation.gettext("واتساب"), f"https://wa.me/?text={text}%20{url}"),
            ("telegram", translation.gettext("تيليغرام"), f"https://t.me/share/url?url={url}&text={text}"),
        ]

    @property
    def lead_rendition(self) -> dict | None:
        """The largest rendition of the lead image, with its URL."""
        if not self.image_renditions:
            return None
        largest = self.image_renditions[-1]
        return {**largest, "url": self.image.storage.url(largest["name"])}

    @property
    def image_srcset(self) -> str:
        return ", ".join(f"{self.image.storage.url(r['name'])} {r['width']}w" for r in self.image_renditions)

    @property
    def correction_notes(self) -> list[dict]:
        return [{"at": datetime.fromisoformat(c["at"]), "text": c["text"]} for c in self.corrections]

    @property
    def is_breaking(self) -> bool:
        return self.breaking_until is not None and self.breaking_until > timezone.now()

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )
