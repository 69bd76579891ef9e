from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "khabar.intelligence"
    label = "intelligence"
    verbose_name = "ذكاء غرفة الأخبار"
