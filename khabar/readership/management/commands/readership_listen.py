import signal
import threading
from pathlib import Path

from django.core.management.base import BaseCommand

from khabar.readership import nginx


class Command(BaseCommand):
    help = "Count the article reads nginx serves from its cache (its read log, see deploy/nginx)."

    def add_arguments(self, parser):
        parser.add_argument("--log", required=True, help="the file nginx logs cached reads to")
        parser.add_argument("--every", type=float, default=0.5, help="seconds between looks at the file")

    def handle(self, *args, log, every, **options):
        stopping = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.set())
        self.stdout.write(f"counting nginx's cached reads in {log}", ending="\n")
        self.stdout.flush()
        nginx.follow(nginx.LogFollower(Path(log)), stop=stopping.is_set, wait=lambda: stopping.wait(every))
