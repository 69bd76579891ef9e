"""The three newsroom roles and what each may do.

Roles are Django groups created by a data migration. Group permissions say
what kind of thing a user may touch; the `can_*` functions add the rules that
depend on the story itself (a reporter edits only their own drafts). The
service functions call these, so the rules hold whatever the entry point."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from khabar.news.models import Article

REPORTER = "مراسل"
EDITOR = "محرر"
ADMIN = "مدير"

_REPORTER = [
    "news.add_article",
    "news.change_article",
    "news.view_article",
    "news.view_section",
    "news.view_tag",
    "news.view_agency",
    "news.view_author",
    "newsroom.view_revision",
]
_EDITOR = [
    *_REPORTER,
    "news.edit_any_article",
    "news.publish_article",
    "news.delete_article",
    *(f"news.{verb}_{model}" for model in ("section", "tag") for verb in ("add", "change", "delete")),
    "comments.view_comment",
    "comments.change_comment",
    "comments.delete_comment",
    "newsroom.view_articleevent",
]
_ADMIN = [
    *_EDITOR,
    *(f"news.{verb}_{model}" for model in ("agency", "author") for verb in ("add", "change", "delete")),
    *(f"auth.{verb}_user" for verb in ("add", "change", "delete", "view")),
    "auth.view_group",
]
ROLE_PERMISSIONS = {REPORTER: _REPORTER, EDITOR: _EDITOR, ADMIN: _ADMIN}

User = AbstractBaseUser | AnonymousUser


def sync_roles(group_model, permission_model) -> None:
    """Create or reset the three groups. Takes the models as arguments so the
    data migration can pass its historical ones."""
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.append(permission_model.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


def can_create(user: User) -> bool:
    return user.is_active and user.is_staff and user.has_perm("news.add_article")


def can_publish(user: User) -> bool:
    return user.is_active and user.is_staff and user.has_perm("news.publish_article")


def can_view(user: User, article: Article) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    if user.has_perm("news.edit_any_article"):
        return True
    return user.has_perm("news.view_article") and article.created_by_id == user.pk


def can_edit(user: User, article: Article) -> bool:
    """Editors edit any story; a reporter edits their own until it is published."""
    if not (user.is_active and user.is_staff and user.has_perm("news.change_article")):
        return False
    if user.has_perm("news.edit_any_article"):
        return True
    return article.created_by_id == user.pk and article.status in {
        Article.Status.DRAFT,
        Article.Status.REVIEW,
    }


def can_delete(user: User, article: Article | None) -> bool:
    return (
        user.is_active
        and user.is_staff
        and user.has_perm("news.delete_article")
        and user.has_perm("news.edit_any_article")
    )
