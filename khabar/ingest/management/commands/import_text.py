from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from khabar.ingest.services import import_text_pages
from khabar.ingest.textpage import PageError


class Command(BaseCommand):
    help = "Import agency pages in the scraped text format; prints each article's URL path."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--section", default="أخبار", help="section for the imported articles")

    def handle(self, *args, files, section, **options):
        for path in files:
            if not path.is_file():
                raise CommandError(f"{path}: الملف غير موجود")
        try:
            articles = import_text_pages(files, section_name=section)
        except PageError as error:
            raise CommandError(str(error)) from None
        for article in articles:
            self.stdout.write(article.get_absolute_url())
