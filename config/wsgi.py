import os

from django.core.wsgi import get_wsgi_application

from khabar import apps
from khabar.checks import refuse_insecure_production

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A web process: the admin is registered at its first use, not at start (khabar/apps.py).
apps.web_process = True
application = get_wsgi_application()
refuse_insecure_production()
