import os

from django.core.wsgi import get_wsgi_application

from khabar.checks import refuse_insecure_production

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
refuse_insecure_production()
