"""Template tags the public pages use: news templates load this library, so
the news app never imports intelligence."""

from django import template
from django.conf import settings

from .. import selectors
from ..timeline import date_label

register = template.Library()


@register.filter
def timeline_date(entry):
    return date_label(entry, months=settings.KHABAR_MONTHS, digits=settings.KHABAR_DIGITS)


@register.inclusion_tag("intelligence/_story_timeline.html")
def story_timeline(article):
    return {"entries": selectors.story_timeline(article)}


@register.inclusion_tag("intelligence/_tag_timeline.html")
def tag_timeline(tag):
    return {"pairs": selectors.tag_timeline(tag)}


@register.inclusion_tag("intelligence/_related.html")
def related_stories(article):
    return {"related": selectors.related_articles(article)}
