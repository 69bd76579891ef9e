import os

from django.apps import AppConfig
from django.core import checks


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
        if os.environ.get("KHABAR_WEB_PROCESS") != "1":
            from django.contrib import admin

            admin.autodiscover()
