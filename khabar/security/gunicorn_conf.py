"""gunicorn settings for khabar: `gunicorn -c python:khabar.security.gunicorn_conf config.wsgi`.

gunicorn writes `Server: gunicorn` itself, below the WSGI application, and
has no option to change it; the name is read from this module-level constant
when each response starts, so replacing it here (before workers fork) is the
only way short of a proxy. It names no version either way (ASVS 14.3.3);
this just says nothing about the software at all."""

import gc
import os

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = "khabar"

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Keep request lines and headers bounded before Django sees them.
limit_request_line = 8190
limit_request_fields = 100
# gunicorn 27's control socket (a shared path under $HOME) is not used here.
control_socket_disable = True


def when_ready(server):
    """In the master, before the first worker is forked."""
    # The objects loaded so far live as long as the workers: out of the
    # collector's reach, a worker's collections do not write to (and so copy)
    # the pages it shares with the master.
    gc.freeze()
