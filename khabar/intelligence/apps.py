from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "khabar.intelligence"
    label = "intelligence"
