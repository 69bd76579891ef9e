"""Which analyzer the index was built with, shared by every process.

The analyzer's output depends on its version and on the protected names (the
site's tags and their aliases). Index and queries must analyze alike, so both
take the names from the one IndexState row rather than from the live tag
table: a new tag changes search when the index is rebuilt with it
(``khabar reindex --if-stale``), not before."""

import hashlib

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections

from khabar.arabic.analyzer import ANALYZER_VERSION, protect_names
from khabar.news.models import Tag

from .models import IndexState

# Protected names this process has handed to the analyzer, by state version.
_applied: dict[str, str] = {}


def version_for(names: list[str]) -> str:
    digest = hashlib.sha256("\n".join(sorted(names)).encode()).hexdigest()[:8]
    return f"{ANALYZER_VERSION}.{digest}"


def site_names(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Tag names and, when the intelligence app is installed, tag aliases."""
    names = set(Tag.objects.using(using).values_list("name", flat=True))
    alias = apps.get_model("intelligence", "TagAlias") if apps.is_installed("khabar.intelligence") else None
    if alias and alias._meta.db_table in connections[using].introspection.table_names():
        names.update(alias.objects.using(using).values_list("name", flat=True))
    return sorted(names)


def current_version(using: str = DEFAULT_DB_ALIAS) -> str:
    """The version the index is (being) built with, after making sure this
    process analyzes with the same protected names. One tiny query."""
    version = IndexState.objects.using(using).filter(pk=1).values_list("version", flat=True).first()
    if version is None:
        return version_for([])
    if _applied.get(using) != version:
        names = IndexState.objects.using(using).get(pk=1).names
        protect_names(names)
        _applied[using] = version
    return version


def wanted_names(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The names the index should be built with: those it has, plus today's."""
    state = IndexState.objects.using(using).filter(pk=1).first()
    return sorted(set(state.names if state else []) | set(site_names(using)))


def adopt_site_names(using: str = DEFAULT_DB_ALIAS) -> str:
    """Record today's names in the state (names are never removed) and
    return the version the index must now have."""
    names = wanted_names(using)
    version = version_for(names)
    protect_names(names)
    IndexState.objects.using(using).update_or_create(pk=1, defaults={"version": version, "names": names})
    _applied[using] = version
    return version
