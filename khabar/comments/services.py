"""The arithmetic question and comment intake. Rules live here, views only
call these functions."""

import logging
import re
import secrets
from contextlib import nullcontext
from datetime import timedelta
from typing import NoReturn

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khabar.news.models import Article
from khabar.pagecache.services import content_changed
from khabar.security.moderation import first_matching_key

from .models import Challenge, Comment

log = logging.getLogger("khabar.comments")
_LINK = re.compile(r"https?://|www\.|\b[\w-]+\.(com|net|org|info|ru|xyz)\b", re.IGNORECASE)


class ChallengeError(Exception):
    """A guess that cannot be accepted; the message is shown to the reader."""


class ChallengeTooSoon(ChallengeError):
    """Answered faster than a person reads and types: the question is kept
    (not spent), the reader just sends the form again."""


def _salt(article_id: int) -> str:
    # The article is part of the salt: a token signed for one article does not
    # even unsign for another.
    return f"khabar.comments.challenge.{article_id}"


def challenge_issue(*, article: Article, session_key: str = "") -> tuple[Challenge, str]:
    now = timezone.now()
    challenge = Challenge.objects.create(
        token=secrets.token_urlsafe(24),
        article=article,
        left=secrets.randbelow(9) + 1,
        right=secrets.randbelow(9) + 1,
        session_key=session_key,
        issued_at=now,
        expires_at=now + timedelta(seconds=settings.COMMENT_CHALLENGE_TTL),
    )
    return challenge, signing.dumps(challenge.token, salt=_salt(article.pk))


def challenge_for_token(*, signed_token: str, article: Article) -> Challenge | None:
    """The unspent challenge behind a signed token, to show its question again."""
    token = _unsign(signed_token, article)
    if token is None:
        return None
    return Challenge.objects.filter(token=token, article=article, used_at__isnull=True).first()


def _unsign(signed_token: str, article: Article) -> str | None:
    try:
        return signing.loads(signed_token, salt=_salt(article.pk), max_age=settings.COMMENT_CHALLENGE_TTL)
    except (signing.BadSignature, TypeError, ValueError):
        return None


def challenge_spend(*, signed_token: str, article: Article, answer: int | None, session_key: str = "") -> str:
    """Spend the token on this one guess and return the raw token, or raise
    ChallengeError. One conditional UPDATE claims the token, so of many
    parallel requests with the same token exactly one gets to guess.
    `session_key` must be the browser binding the question was issued to."""
    token = _unsign(signed_token, article)
    if token is None:
        raise ChallengeError(_("انتهت صلاحية السؤال أو لم يعد صالحاً، أجب عن السؤال الجديد."))
    now = timezone.now()
    question = _claim(token=token, article=article, session_key=session_key, now=now)
    if question is None:
        _refuse(token=token, article=article, session_key=session_key, now=now)
    if answer != sum(question):
        raise ChallengeError(_("الإجابة غير صحيحة، حاول مرة أخرى مع السؤال الجديد."))
    return token


# The token claimed and its question read in one statement (RETURNING:
# PostgreSQL, SQLite 3.35+). Refusals that must not burn the question
# (another browser, answered too soon) are conditions of the same UPDATE.
_CLAIM = (
    'UPDATE "comments_challenge" SET "used_at" = %s'
    ' WHERE "token" = %s AND "article_id" = %s AND "session_key" = %s AND "used_at" IS NULL'
    ' AND "expires_at" > %s AND "issued_at" <= %s RETURNING "left", "right"'
)


def _claim(*, token: str, article: Article, session_key: str, now) -> tuple[int, int] | None:
    """Spend the token and return its question, or None. Raw SQL because the
    ORM's update() cannot return rows; it saves a SELECT on every comment."""
    connection = connections[router.db_for_write(Challenge)]
    adapt = connection.ops.adapt_datetimefield_value
    soonest = now - timedelta(seconds=settings.COMMENT_MIN_SECONDS)
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM, [adapt(now), token, article.pk, session_key, adapt(now), adapt(soonest)])
        return cursor.fetchone()


def _refuse(*, token: str, article: Article, session_key: str, now) -> NoReturn:
    """Why the token could not be claimed, as the reader's message."""
    issued = (
        Challenge.objects.filter(token=token, article=article, used_at__isnull=True)
        .values_list("session_key", "issued_at")
        .first()
    )
    if issued and issued[0] != session_key:
        # Not spent: a stranger holding the token must not burn the reader's question.
        log.info("comment challenge refused: answered from another browser (article %s)", article.pk)
        raise ChallengeError(_("هذا السؤال لم يعد صالحاً، أجب عن السؤال الجديد."))
    if issued and now - issued[1] < timedelta(seconds=settings.COMMENT_MIN_SECONDS):
        log.info("comment challenge refused: answered too fast (article %s)", article.pk)
        raise ChallengeTooSoon(_("أُرسل التعليق بسرعة كبيرة. راجعه ثم اكتب الإجابة وأرسله مرة أخرى."))
    log.info("comment challenge refused: spent, expired or unknown (article %s)", article.pk)
    raise ChallengeError(_("استُخدم هذا السؤال من قبل أو انتهت صلاحيته، أجب عن السؤال الجديد."))


def needs_moderation(body: str) -> bool:
    return settings.COMMENTS_MODERATION or bool(_LINK.search(body))


def _status_for(*, name: str, email: str, body: str, ip: str | None) -> str:
    # WordPress's order: a blocked key wins over a moderation key.
    fields = (name, email, body, ip or "")
    if first_matching_key(settings.COMMENT_BLOCKED_KEYS, *fields):
        log.info("comment filed as spam: a blocked key matched (ip %s)", ip)
        return Comment.Status.SPAM
    if needs_moderation(body) or first_matching_key(settings.COMMENT_MODERATION_KEYS, *fields):
        return Comment.Status.PENDING
    return Comment.Status.APPROVED


def comment_submit(
    *, article: Article, name: str, email: str, body: str, token: str, ip: str | None
) -> Comment:
    status = _status_for(name=name, email=email, body=body, ip=ip)
    try:
        with _savepoint_if_nested():
            comment = Comment.objects.create(
                article=article,
                name=name,
                email=email,
                body=body,
                status=status,
                ip_address=ip,
                challenge=token,
            )
    except IntegrityError:
        # The same spent token twice cannot happen through challenge_spend;
        # this guards the row against any other path.
        raise ChallengeError(_("استُخدم هذا السؤال من قبل.")) from None
    if comment.status == Comment.Status.APPROVED:
        _story_page_changed(comment)
    return comment


def _savepoint_if_nested():
    # In autocommit a failed lone INSERT leaves nothing behind, so it needs
    # no BEGIN and COMMIT (two more round trips per comment); inside a
    # caller's transaction a savepoint keeps that one usable after the error.
    using = router.db_for_write(Comment)
    return (
        transaction.atomic(using=using)
        if transaction.get_connection(using).in_atomic_block
        else nullcontext()
    )


def comment_approve(*, comment: Comment) -> Comment:
    comment.status = Comment.Status.APPROVED
    comment.moderated_at = timezone.now()
    comment.save(update_fields=["status", "moderated_at"])
    _story_page_changed(comment)
    return comment


def comment_reject(*, comment: Comment, spam: bool = False) -> Comment:
    comment.status = Comment.Status.SPAM if spam else Comment.Status.REJECTED
    comment.moderated_at = timezone.now()
    comment.save(update_fields=["status", "moderated_at"])
    _story_page_changed(comment)  # it may have been approved before
    return comment


def _story_page_changed(comment: Comment) -> None:
    # Only the story's own page lists comments; listings stay cached.
    transaction.on_commit(lambda: content_changed(article=comment.article, article_only=True))
