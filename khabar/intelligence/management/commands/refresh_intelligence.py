from django.core.management.base import BaseCommand

from khabar.intelligence import services


class Command(BaseCommand):
    help = (
        "Store the top terms of published stories whose terms are missing or out of date "
        "(related stories use them). Run after imports and from cron; --all redoes every story."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="redo every published story")

    def handle(self, *args, **options):
        names = services.protect_tag_names()
        done = 0
        for article in services.stale_articles(everything=options["all"]).iterator(chunk_size=200):
            services.article_terms_refresh(article=article)
            done += 1
        self.stdout.write(f"{done} stories indexed ({names} tag names protected)")
