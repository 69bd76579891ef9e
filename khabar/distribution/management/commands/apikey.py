"""`khabar apikey create NAME` (prints the new key once) and `khabar apikey revoke NAME`."""

from django.core.management.base import BaseCommand, CommandError

from khabar.distribution.services import ApiKeyError, apikey_create, apikey_revoke


class Command(BaseCommand):
    help = "Create or revoke a subscriber's API key."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("create", help="create a key and print it on stdout").add_argument("name")
        actions.add_parser("revoke", help="revoke the live key of NAME").add_argument("name")

    def handle(self, *args, action, name, **options):
        try:
            if action == "create":
                _, secret = apikey_create(name=name)
                # Only the key on stdout, so `KEY=$(khabar apikey create X)` works.
                self.stdout.write(secret)
                self.stderr.write(f"Key for {name} created; it is shown only this once.")
            else:
                apikey_revoke(name=name)
                self.stderr.write(f"Key for {name} revoked.")
        except ApiKeyError as exc:
            raise CommandError(str(exc)) from exc
