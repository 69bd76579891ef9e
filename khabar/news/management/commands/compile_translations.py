from django.core.management.base import BaseCommand, CommandError

from khabar.news.translations import catalogs, compile_po


class Command(BaseCommand):
    help = "Compile khabar/locale/*/LC_MESSAGES/django.po to .mo with Babel (no msgfmt needed)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="only report .mo files that are out of date")

    def handle(self, *args, check=False, **options):
        stale = []
        for po in catalogs():
            mo, compiled = po.with_suffix(".mo"), compile_po(po)
            if mo.exists() and mo.read_bytes() == compiled:
                continue
            stale.append(str(mo))
            if not check:
                mo.write_bytes(compiled)
                self.stdout.write(f"wrote {mo}")
        if check and stale:
            raise CommandError("out of date: " + ", ".join(stale))
