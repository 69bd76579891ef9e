from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "khabar.distribution"
    label = "distribution"
