import signal
import socket

from django.core.management.base import BaseCommand, CommandError

from khabar.readership import nginx


class Command(BaseCommand):
    help = "Count the article reads nginx serves from its cache (syslog datagrams, see deploy/nginx)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:5140", help="HOST:PORT to receive on (UDP)")

    def handle(self, *args, bind, **options):
        host, _, port = bind.rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(f"--bind wants HOST:PORT, not {bind!r}")
        stopping = []
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.append(True))
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            nginx.widen_buffer(sock)
            sock.bind((host, int(port)))
            self.stdout.write(f"counting nginx's cached reads on udp://{bind}", ending="\n")
            self.stdout.flush()
            nginx.listen(sock, stop=lambda: bool(stopping))
