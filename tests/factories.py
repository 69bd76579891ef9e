import factory
from django.utils import timezone

from khabar.news.models import Agency, Article, Section, Tag


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["name"]

    name = "وكالة أنباء آسيا"
    slug = factory.Sequence(lambda n: f"agency-{n}")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["name"]

    name = "سياسة"
    slug = factory.Sequence(lambda n: f"section-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"وسم {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    headline = factory.Sequence(lambda n: f"خبر رقم {n} عن الاقتصاد")
    summary = "ملخص قصير"
    body = "<p>نص الخبر.</p>"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(hours=1))
    section = factory.SubFactory(SectionFactory)
    agency = factory.SubFactory(AgencyFactory)
