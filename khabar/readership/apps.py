import atexit

from django.apps import AppConfig


class ReadershipConfig(AppConfig):
    name = "khabar.readership"
    label = "readership"
    verbose_name = "القراءات"

    def ready(self):
        from . import counter

        counter.start()
        # Counts still in this process's buffer are written when it stops
        # (gunicorn's graceful stop, max_requests restarts, a deploy).
        atexit.register(counter.flush)
