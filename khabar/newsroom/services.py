"""Every newsroom write goes through these functions: the admin, the
newsroom pages and tests all call them, so the role rules, the transition
table, optimistic locking, revisions and cache purges hold for every route.

Each write locks the article row, checks who may do it and from which state,
moves `version` on, keeps a revision, and tells the page cache after commit."""

import copy
import logging
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from khabar.news.html import clean_body, strip_illegal_chars
from khabar.news.models import Article
from khabar.pagecache.services import content_changed
from khabar.search.services import index_article

from . import roles
from .images import PreparedImage, image_store
from .models import Action, ArticleEvent, Revision

log = logging.getLogger("khabar.newsroom")
Status = Article.Status

# Published with a time still to come. A workflow state, not a column: the
# public query `published()` hides it until its time, with no job to run.
SCHEDULED = "scheduled"
STATE_LABELS = {**dict(Status.choices), SCHEDULED: "مجدول"}


def _publisher(user, article) -> bool:
    return roles.can_publish(user) and roles.can_view(user, article)


# The one table of allowed moves: action -> (from states, to status, who may).
TRANSITIONS = {
    "submit": ({Status.DRAFT}, Status.REVIEW, roles.can_edit),
    "publish": ({Status.DRAFT, Status.REVIEW, SCHEDULED, Status.UNPUBLISHED}, Status.PUBLISHED, _publisher),
    "unpublish": ({Status.PUBLISHED, SCHEDULED}, Status.UNPUBLISHED, _publisher),
    "return": ({Status.REVIEW, SCHEDULED, Status.UNPUBLISHED}, Status.DRAFT, _publisher),
}
TRANSITION_LABELS = {
    "submit": "إرسال للمراجعة",
    "publish": "نشر / جدولة",
    "unpublish": "إلغاء النشر",
    "return": "إعادة إلى المسودة",
}
SNAPSHOT_FIELDS = ("headline", "summary", "body", "status", "published_at", "last_update", "corrections")


class NotAllowed(PermissionDenied):
    """The user's role does not allow this; views answer 403."""


class WorkflowError(Exception):
    """A request the rules refuse; the message is shown to the editor."""


class EditConflict(WorkflowError):
    def __init__(self):
        super().__init__(
            "تغيّر هذا الخبر منذ فتحته (حفظه شخص آخر أو غيّر حالته)، فلم يُحفظ شيء من تعديلك. "
            "انسخ تعديلاتك، ثم أعد فتح الخبر لترى النسخة الأحدث."
        )


def state_of(article: Article, now=None) -> str:
    now = now or timezone.now()
    if article.status == Status.PUBLISHED and article.published_at and article.published_at > now:
        return SCHEDULED
    return article.status


def allowed_actions(user, article: Article) -> list[str]:
    state = state_of(article)
    return [
        name
        for name, (sources, _, allowed) in TRANSITIONS.items()
        if state in sources and allowed(user, article)
    ]


def refuse(user, what: str, article: Article | None) -> NotAllowed:
    # ASVS 7.2.2: access-control failures are logged (ids only, nothing typed by users).
    log.warning("newsroom refused %s on article %s to user %s", what, getattr(article, "pk", None), user.pk)
    return NotAllowed("لا تملك صلاحية هذا الإجراء.")


def _lock(article: Article) -> Article:
    # FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions already
    # serialise writers (config/settings.py).
    return Article.objects.select_for_update().get(pk=article.pk)


def _snapshot(article: Article) -> dict:
    return {field: getattr(article, field) for field in SNAPSHOT_FIELDS}


def _write(article: Article, *, by, action: str, before: Article | None) -> None:
    """Save the row with the next version, keep a revision, purge after commit."""
    old = _snapshot(before) if before else {}
    if before is not None and not Revision.objects.filter(article=article).exists():
        # A story born outside the newsroom (the importer) gets its first
        # state kept too, so it can be compared and restored.
        Revision.objects.create(article=article, number=before.version, action=Action.CREATE, **old)
    article.version = before.version + 1 if before else 1
    article.save()
    # Every state is indexed; search shows only published() stories.
    index_article(article)
    new = _snapshot(article)
    changed = [f for f in SNAPSHOT_FIELDS if old.get(f) != new[f] and (before or new[f])]
    Revision.objects.create(
        article=article, number=article.version, created_by=by, action=action, changed=changed, **new
    )
    if Status.PUBLISHED in {article.status, getattr(before, "status", None)}:
        transaction.on_commit(partial(content_changed, article=article))


def _attach_image(article: Article, image: PreparedImage) -> None:
    renditions = image_store(image)
    article.image = renditions[-1]["name"]
    article.image_renditions = renditions


def _clean_note(text: str) -> str:
    return " ".join(strip_illegal_chars(text).split())[:1000]


def article_save(
    *,
    article: Article,
    by,
    expected_version: int | None = None,
    image: PreparedImage | None = None,
    correction: str = "",
    substantive_update: bool = False,
) -> Article:
    """Create or edit a story's content. Status and publication time are not
    touched here (the transitions own them); a save made from an older
    version than the stored one raises EditConflict and writes nothing."""
    with transaction.atomic():
        if article.pk is None:
            if not roles.can_create(by):
                raise refuse(by, "create", None)
            before = None
            article.created_by = by
            article.status, article.published_at, article.last_update = Status.DRAFT, None, None
            article.corrections = []
        else:
            before = _lock(article)
            if not roles.can_edit(by, before):
                raise refuse(by, "edit", before)
            if expected_version is not None and expected_version != before.version:
                raise EditConflict()
            for field in ("status", "published_at", "last_update", "corrections", "created_by_id"):
                setattr(article, field, getattr(before, field))
        if not roles.can_publish(by):
            article.is_featured = before.is_featured if before else False
            article.breaking_until = before.breaking_until if before else None
        action = Action.CREATE if before is None else Action.SAVE
        if correction.strip() or substantive_update:
            if not roles.can_publish(by):
                raise refuse(by, "correct", before)
            if before is None or before.status != Status.PUBLISHED:
                raise WorkflowError("التصحيح والتحديث للأخبار المنشورة فقط.")
            now = timezone.now()
            if correction.strip():
                article.corrections = [
                    *before.corrections,
                    {"at": now.isoformat(), "text": _clean_note(correction)},
                ]
                action = Action.CORRECT
            if substantive_update:
                article.last_update = now
        article.body = clean_body(article.body)
        if image is not None:
            _attach_image(article, image)
        _write(article, by=by, action=action, before=before)
        if action == Action.CORRECT:
            ArticleEvent.objects.create(
                article=article, actor=by, action=action, from_status=article.status, to_status=article.status
            )
    return article


def ensure_transition(*, article: Article, by, name: str, now=None) -> str:
    """Raise NotAllowed (role) or WorkflowError (state); return the state."""
    sources, _, allowed = TRANSITIONS[name]
    if not allowed(by, article):
        raise refuse(by, name, article)
    state = state_of(article, now)
    if state not in sources:
        raise WorkflowError(f"لا يمكن «{TRANSITION_LABELS[name]}» لخبر حالته «{STATE_LABELS[state]}».")
    return state


def _transition(*, article: Article, by, name: str, at=None) -> Article:
    target = TRANSITIONS[name][1]
    with transaction.atomic():
        current = _lock(article)
        now = timezone.now()
        state = ensure_transition(article=current, by=by, name=name, now=now)
        before = copy.copy(current)
        current.status = target
        action = Action(name)
        if name == "publish":
            current.published_at = at or now
            action = Action.SCHEDULE if current.published_at > now else Action.PUBLISH
        _write(current, by=by, action=action, before=before)
        ArticleEvent.objects.create(
            article=current,
            actor=by,
            action=action,
            from_status=state,
            to_status=state_of(current, now),
            published_at=current.published_at,
        )
    return current


def article_submit(*, article: Article, by) -> Article:
    return _transition(article=article, by=by, name="submit")


def article_publish(*, article: Article, by, at=None) -> Article:
    """Publish now, or at `at`: a future time makes the story scheduled."""
    return _transition(article=article, by=by, name="publish", at=at)


def article_unpublish(*, article: Article, by) -> Article:
    return _transition(article=article, by=by, name="unpublish")


def article_return_to_draft(*, article: Article, by) -> Article:
    return _transition(article=article, by=by, name="return")


TRANSITION_FUNCTIONS = {
    "submit": article_submit,
    "publish": article_publish,
    "unpublish": article_unpublish,
    "return": article_return_to_draft,
}


def article_restore(*, revision: Revision, by, expected_version: int | None = None) -> Article:
    """Bring back a revision's headline, summary and body. Status, time and
    corrections stay as they are: restoring text never publishes anything."""
    with transaction.atomic():
        current = _lock(revision.article)
        if not roles.can_edit(by, current):
            raise refuse(by, "restore", current)
        if expected_version is not None and expected_version != current.version:
            raise EditConflict()
        before = copy.copy(current)
        current.headline, current.summary, current.body = revision.headline, revision.summary, revision.body
        _write(current, by=by, action=Action.RESTORE, before=before)
        ArticleEvent.objects.create(
            article=current,
            actor=by,
            action=Action.RESTORE,
            from_status=current.status,
            to_status=current.status,
        )
    return current


def article_delete(*, article: Article, by) -> None:
    with transaction.atomic():
        current = _lock(article)
        if not roles.can_delete(by, current):
            raise refuse(by, "delete", current)
        was_public = current.status == Status.PUBLISHED
        log.info("newsroom: article %s deleted by user %s", current.pk, by.pk)
        current.delete()
        if was_public:
            transaction.on_commit(partial(content_changed, article=current))
