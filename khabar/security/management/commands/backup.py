from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from khabar.security.backup import BackupError, database_backup


class Command(BaseCommand):
    help = "Back up the database to PATH while the site keeps running (SQLite backup API or pg_dump)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        try:
            written = database_backup(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{written} ({written.stat().st_size} bytes)")
