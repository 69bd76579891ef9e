import time

from django.core.management.base import BaseCommand

from khabar.search.services import is_stale, reindex


class Command(BaseCommand):
    help = "Rebuild the search index; with --if-stale only if the analyzer or the tag names changed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="write only articles missing from the index or indexed with another analyzer version",
        )

    def handle(self, *args, if_stale: bool = False, **options):
        if if_stale and not is_stale():
            self.stdout.write("search index is up to date")
            return
        started = time.monotonic()
        count = reindex(only_stale=if_stale, progress=self._progress if options["verbosity"] > 1 else None)
        self.stdout.write(f"indexed {count} articles in {time.monotonic() - started:.1f} s")

    def _progress(self, written: int) -> None:
        self.stdout.write(f"  {written} …")
