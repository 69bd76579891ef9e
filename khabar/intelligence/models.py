"""What the newsroom intelligence stores: tag aliases (an editors' list) and
each article's weighted terms (a derived index for related stories, rebuilt
by `services.article_terms_refresh`). Hidden timeline entries live on the
article row itself (Article.timeline_hidden) so the page reads them free."""

from django.db import models

from khabar.news.models import Article, Tag


class TagAlias(models.Model):
    """Another name a tag goes by in copy: أحمد الشرع is also الشرع and الرئيس السوري."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="aliases", verbose_name="الوسم")
    name = models.CharField("الاسم البديل", max_length=100)

    class Meta:
        verbose_name = "اسم بديل"
        verbose_name_plural = "الأسماء البديلة"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tag", "name"], name="tag_alias_unique")]

    def __str__(self):
        return self.name


class ArticleTerm(models.Model):
    """One of an article's top terms (analyzer stems) with its TF-IDF weight;
    related stories are found through the index on ``term``."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="intel_terms")
    term = models.CharField(max_length=64)
    weight = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "term"], name="article_term_unique")]
        indexes = [models.Index(fields=["term", "article"], name="article_term_lookup")]

    def __str__(self):
        return f"{self.term} {self.weight:.3f}"


class ArticleTermState(models.Model):
    """Which version of an article the stored terms describe; the refresh
    command redoes articles whose ``updated_at`` or rules version differ."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="intel_term_state"
    )
    source_updated_at = models.DateTimeField()
    version = models.CharField(max_length=40)

    def __str__(self):
        return f"{self.article_id} @ {self.source_updated_at:%Y-%m-%d %H:%M}"
