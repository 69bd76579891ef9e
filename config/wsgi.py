import os

from django.core.wsgi import get_wsgi_application

from khabar import apps
from khabar.checks import refuse_insecure_production

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A web process: the admin is registered at its first use, not at start (khabar/apps.py).
apps.web_process = True
django_application = get_wsgi_application()
refuse_insecure_production()

# Imported once Django is set up (it reaches the models): cached pages are
# answered in front of Django's handler (khabar/pagecache/wsgi.py).
from khabar.pagecache.wsgi import CachedPageApplication  # noqa: E402

application = CachedPageApplication(django_application)
