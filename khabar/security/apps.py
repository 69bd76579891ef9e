from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "khabar.security"
    label = "security"
