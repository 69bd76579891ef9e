"""search_articles: the one search function the site and the API call. It
picks the back end from the database engine; no caller needs to know which."""

from datetime import date, datetime, time, timedelta

from django.db import connections
from django.utils import timezone

from khabar.news.models import Agency, Article, Section

from . import state
from .backends import CANDIDATES, RECENCY_DAYS, backend_for
from .query import ParsedQuery, parse_query

SORTS = ("relevance", "new")
EARLIEST, LATEST = date(1900, 1, 1), date(9000, 1, 1)


class SearchResults:
    """A lazy, sliceable result list that Django's Paginator accepts: it asks
    for ``count()`` and then one slice, each a query."""

    def __init__(self, query: ParsedQuery, articles, *, sort: str, now: datetime):
        self.query = query
        self.sort = sort
        self._articles = articles
        self._now = now
        self._count: int | None = None
        self._connection = connections[articles.db]
        self._backend = backend_for(self._connection)

    def count(self) -> int:
        if self._count is None:
            self._count = self._run(self._backend.count) if self.query else 0
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if isinstance(key, int):
            found = self[key : key + 1]
            if not found:
                raise IndexError(key)
            return found[0]
        if key.step or (key.start or 0) < 0 or key.stop is None or key.stop < 0:
            start, stop, _ = key.indices(self.count())
        else:
            # A page does not need the count (Paginator asked for it already).
            start, stop = key.start or 0, key.stop
        ids = self.ids(start, stop)
        # By id alone: the ids come from the published() query just run, and
        # with its filters here too the planner may walk every published story.
        articles = Article.objects.using(self._articles.db).select_related("section", "agency", "author")
        found = articles.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    def ids(self, start: int, stop: int) -> list[int]:
        """Article ids at positions [start, stop) in this search's order."""
        if not self.query or stop <= start:
            return []
        if self.sort == "new":
            return self._run(self._backend.newest, offset=start, limit=stop - start)
        ids = []
        if start < CANDIDATES:
            ids = self._run(
                self._backend.ranked,
                now=self._connection.ops.adapt_datetimefield_value(self._now),
                candidates=CANDIDATES,
                recency_days=RECENCY_DAYS,
                offset=start,
                limit=min(stop, CANDIDATES) - start,
            )
        if stop > CANDIDATES:
            tail_start = max(start, CANDIDATES)
            ids += self._run(self._backend.latest, offset=tail_start, limit=stop - tail_start)
        return ids

    def _run(self, operation, **kwargs):
        base = self._articles.values("id", "published_at").order_by()
        sql, params = base.query.get_compiler(using=base.db).as_sql()
        with self._connection.cursor() as cursor:
            return operation(cursor, sql, list(params), self.query, **kwargs)


def search_articles(
    query: str,
    *,
    section: Section | int | None = None,
    agency: Agency | int | None = None,
    date_from: date | datetime | None = None,
    date_to: date | datetime | None = None,
    sort: str = "relevance",
    now: datetime | None = None,
) -> SearchResults:
    """Published stories matching ``query`` (see khabar.search.query for the
    syntax). Dates are inclusive; a bare date means that whole day in the
    site's time zone. An unknown ``sort`` means relevance."""
    now = now or timezone.now()
    articles = Article.objects.published(now)
    if section is not None:
        articles = articles.filter(section=section)
    if agency is not None:
        articles = articles.filter(agency=agency)
    if date_from is not None:
        articles = articles.filter(published_at__gte=_moment(date_from))
    if date_to is not None:
        if isinstance(date_to, datetime):
            articles = articles.filter(published_at__lte=date_to)
        else:
            articles = articles.filter(published_at__lt=_moment(min(date_to, LATEST) + timedelta(days=1)))
    # Queries must be analyzed with the protected names the index was built with.
    state.current_version(articles.db)
    return SearchResults(parse_query(query), articles, sort=sort if sort in SORTS else "relevance", now=now)


def _moment(day: date | datetime) -> datetime:
    if isinstance(day, datetime):
        return day
    # Far dates would overflow when shifted to UTC; no story is that old or new.
    day = min(max(day, EARLIEST), LATEST)
    return timezone.make_aware(datetime.combine(day, time.min))
