from django import template
from django.conf import settings

from khabar.readership import store

register = template.Library()


@register.simple_tag
def most_read(hours: int):
    """The READERSHIP_TOP most read published stories of the last `hours` hours."""
    return store.most_read(hours=hours, limit=settings.READERSHIP_TOP)
