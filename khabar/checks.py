"""Production mode refuses to start on unsafe settings: a system check for
management commands and an explicit call from the WSGI entry point."""

from django.conf import settings
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured


def insecure_production_errors() -> list[Error]:
    if settings.DEBUG:
        return []
    errors = []
    from config.settings import DEV_KEY

    if settings.SECRET_KEY == DEV_KEY or len(settings.SECRET_KEY) < 32:
        errors.append(
            Error("SECRET_KEY is the development default or too short; set SECRET_KEY.", id="khabar.E001")
        )
    if not settings.ALLOWED_HOSTS:
        errors.append(
            Error("ALLOWED_HOSTS is empty; set ALLOWED_HOSTS to the site's host names.", id="khabar.E002")
        )
    return errors


def check_production_settings(app_configs, **kwargs):
    return insecure_production_errors()


def refuse_insecure_production() -> None:
    errors = insecure_production_errors()
    if errors:
        raise ImproperlyConfigured("; ".join(e.msg for e in errors))
