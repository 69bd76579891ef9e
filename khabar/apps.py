from django.apps import AppConfig
from django.core import checks

# True in a web process: config/wsgi.py sets it before Django starts.
web_process = False


class KhabarConfig(AppConfig):
    name = "khabar"
    verbose_name = "خبر"

    def ready(self):
        from .checks import check_production_settings

        checks.register(check_production_settings, deploy=True)
        # Web processes register the admin when a request first needs it
        # (khabar/newsroom/admin_urls.py); everything else registers it now,
        # so management commands, the admin's system checks and the tests
        # see it as Django's default AdminConfig would have it.
        if not web_process:
            from django.contrib import admin

            admin.autodiscover()
