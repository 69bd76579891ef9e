from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "khabar.newsroom"
    label = "newsroom"
    verbose_name = "غرفة الأخبار"
