from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "khabar.search"
    label = "search"
