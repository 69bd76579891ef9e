"""The one call other code makes after a public-facing change.

Callers run it after commit (`transaction.on_commit(lambda: content_changed(article=a))`)
so no reader can fetch the old text under the new version number."""

import logging

from . import purge, versions

log = logging.getLogger("khabar.pagecache")


def content_changed(*, article=None, article_only: bool = False) -> None:
    """Make every page the change touches fresh at once.

    Publishing, editing, unpublishing or deleting a story changes listings,
    feeds and the "related" lists of other stories, so by default the whole
    content generation moves on. A comment decision touches only its story's
    page: pass `article_only=True` and only that story's version moves.

    It never raises: it runs after the editor's change has committed, and a
    cache or nginx that cannot be reached must not turn that into an error."""
    try:
        if article_only and article is not None and article.pk:
            versions.bump_article(article.pk)
            purge.purge_article(article)
        else:
            versions.bump_generation()
            purge.purge_everything()
    except Exception:
        log.exception("content_changed failed: cached pages may stay stale until they expire")
