"""One implementation per database engine, same answers: both match the
analyzed terms (stored by khabar.search.services) and never see the reader's
syntax. ``base`` is the SQL of a published() queryset selecting
(id, published_at); each back end joins its index to it."""

from django.core.exceptions import ImproperlyConfigured

from . import postgresql, sqlite

# Relevance ranks the latest CANDIDATES matches (highest article ids, i.e.
# the stories written last) and lists the older ones after them, latest
# first. Ranking every match of a common word costs a pass over all of them
# (tens of thousands at 100k stories); with the recency boost an older story
# would not reach the first pages anyway. Each back end offers:
#   count, newest (by publication time), latest (by id), ranked (a window).
CANDIDATES = 200
# A story this many days old gets half the relevance of one published now.
RECENCY_DAYS = 30

_BACKENDS = {"sqlite": sqlite, "postgresql": postgresql}


def backend_for(connection):
    try:
        return _BACKENDS[connection.vendor]
    except KeyError:
        supported = "khabar search runs on SQLite and PostgreSQL"
        raise ImproperlyConfigured(f"{supported}, not {connection.vendor}") from None
