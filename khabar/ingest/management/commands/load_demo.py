import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from khabar.arabic.slugs import slugify
from khabar.ingest.services import import_text_pages
from khabar.news.models import Section, Tag

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
SECTION_ORDER = ["سياسة", "اقتصاد", "رياضة", "ثقافة", "صحة"]


class Command(BaseCommand):
    help = "Load the demo articles (idempotent): the sample page plus a few more."

    @transaction.atomic
    def handle(self, *args, **options):
        manifest = json.loads((DEMO_DIR / "manifest.json").read_text("utf-8"))
        for position, name in enumerate(SECTION_ORDER):
            Section.objects.get_or_create(name=name, defaults={"slug": slugify(name), "position": position})
        for filename, meta in manifest.items():
            (article,) = import_text_pages([DEMO_DIR / filename], section_name=meta["section"])
            tags = [Tag.objects.get_or_create(name=n, defaults={"slug": slugify(n)})[0] for n in meta["tags"]]
            article.tags.set(tags)
            self.stdout.write(article.get_absolute_url())
