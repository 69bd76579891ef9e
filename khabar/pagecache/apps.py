from django.apps import AppConfig


class PagecacheConfig(AppConfig):
    name = "khabar.pagecache"
    label = "pagecache"
