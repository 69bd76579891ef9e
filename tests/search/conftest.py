import csv
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from khabar.newsroom.roles import EDITOR, sync_roles
from khabar.search.services import index_article
from tests.factories import ArticleFactory

DATA = Path(__file__).resolve().parents[1] / "data"


def load_cases() -> list[dict]:
    with open(DATA / "search-cases.tsv", encoding="utf-8") as tsv:
        return list(csv.DictReader((line for line in tsv if not line.startswith("#")), delimiter="\t"))


@pytest.fixture
def make_article(db):
    """An article written the way every write path writes one: saved, then indexed."""

    def make(**fields):
        article = ArticleFactory(**{"summary": "", **fields})
        index_article(article)
        return article

    return make


@pytest.fixture
def editor(db):
    sync_roles(Group, Permission)
    user = get_user_model().objects.create_user(
        "search-editor", password="kh-search-test-pass-1", is_staff=True
    )
    user.groups.add(Group.objects.get(name=EDITOR))
    return user
