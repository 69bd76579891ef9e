from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from khabar.security.backup import BackupError, database_restore


class Command(BaseCommand):
    help = "Replace the database's content with a backup made by `khabar backup`."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--no-input", action="store_false", dest="interactive")

    def handle(self, *args, path, interactive, **options):
        if interactive:
            answer = input(f"Everything in the database will be replaced by {path}. Type 'yes' to go on: ")
            if answer.strip() != "yes":
                raise CommandError("restore cancelled")
        try:
            database_restore(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"restored from {path}")
