import pytest

from khabar.newsroom.roles import ADMIN, EDITOR, REPORTER

from .helpers import ensure_roles, make_user


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def roles(db):
    ensure_roles()


@pytest.fixture
def reporter(roles):
    return make_user("reporter", REPORTER)


@pytest.fixture
def other_reporter(roles):
    return make_user("reporter2", REPORTER)


@pytest.fixture
def editor(roles):
    return make_user("editor", EDITOR)


@pytest.fixture
def second_editor(roles):
    return make_user("editor2", EDITOR)


@pytest.fixture
def chief(roles):
    return make_user("chief", ADMIN)
