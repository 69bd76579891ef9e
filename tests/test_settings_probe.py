from django.conf import settings


def test_suite_runs_with_production_defaults_over_plain_http():
    assert settings.DEBUG is False
    assert not getattr(settings, "SECURE_SSL_REDIRECT", False)
