from django.apps import AppConfig
from django.core import checks


class KhabarConfig(AppConfig):
    name = "khabar"
    verbose_name = "خبر"

    def ready(self):
        from .checks import check_production_settings

        checks.register(check_production_settings, deploy=True)
