from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "khabar.ingest"
    label = "ingest"
    verbose_name = "الاستيراد"
