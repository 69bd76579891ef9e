from django.db import models

from khabar.news.models import Article


class HourlyViews(models.Model):
    """Reads of one story in one clock hour (UTC), the store used when no
    Redis is configured. Written in batches by khabar.readership.counter."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="hourly_views")
    # Hours since the Unix epoch: the same bucket numbers as the Redis keys.
    hour = models.PositiveIntegerField("الساعة", db_index=True)
    views = models.PositiveIntegerField("القراءات", default=0)

    class Meta:
        verbose_name = "قراءات ساعة"
        verbose_name_plural = "القراءات بالساعة"
        constraints = [models.UniqueConstraint(fields=["article", "hour"], name="hourlyviews_article_hour")]

    def __str__(self):
        return f"{self.article_id}@{self.hour}: {self.views}"
