"""T-30: denial of service through text, without timing anything (speed is
measured by benchmarks/security.py, beside a baseline). Here: our own text
functions finish a megabyte of crafted input and their defence still holds;
no visitor text longer than LONGEST_INPUT reaches a Django filter with DoS
history, and no template or module runs those filters at all; hostile
headers and bodies cost the same database work as ordinary ones."""

import contextlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags, urlize
from django.utils.text import Truncator, wrap
from django.utils.translation import trans_real

from khabar.arabic.normalize import fold
from khabar.comments.forms import CommentForm
from khabar.news.html import clean_body, html_to_text, strip_illegal_chars
from khabar.search.views import MAX_QUERY_CHARS


def _refusing(function, *refusals):
    """The function, with the exceptions that are its defence counted as done."""

    def run(text):
        with contextlib.suppress(*refusals):
            function(text)

    return run


DJANGO_FILTERS = {
    "urlize": (urlize, lambda n: "http://" + "a." * n + " " + "&lt;" * n),
    "truncatewords_html": (lambda s: Truncator(s).words(10, html=True), lambda n: "<p>" * n + "خبر " * n),
    # Django gives up on such input with SuspiciousOperation (a 400), its CVE-2024-53907 fix.
    "strip_tags": (_refusing(strip_tags, SuspiciousOperation), lambda n: "<" * n + "x>" * n),
    "wordwrap": (lambda s: wrap(s, 10), lambda n: "خبر " * n + "x" * n),
    "email validator": (_refusing(EmailValidator(), ValidationError), lambda n: "a@" + "b" * n + "." * n),
    "url validator": (
        _refusing(URLValidator(), ValidationError),
        lambda n: "http://" + "a" * n + ".com/" + "%" * n,
    ),
}
OURS = {
    "clean_body (nh3)": (clean_body, lambda n: "<a href='javascript:x'>" * n + "<p>خبر</p>" * n),
    "html_to_text": (html_to_text, lambda n: "<p>" * n + "&amp;" * n),
    "fold (Arabic normaliser)": (fold, lambda n: "ـًٌٍَُِّْ" * n + "أإآ" * n),
    "strip_illegal_chars": (strip_illegal_chars, lambda n: "\x01خ" * n),
}
# What each of our functions must still guarantee on a megabyte of its crafted input.
DEFENCE_HOLDS = {
    "clean_body (nh3)": lambda out: "javascript:" not in out,
    "html_to_text": lambda out: "<p>" not in out,
    "fold (Arabic normaliser)": lambda out: not re.search("[\u0640\u064b-\u0652]", out),
    "strip_illegal_chars": lambda out: "\x01" not in out,
}
# The longest text a visitor can send into a field (comment body, 3,000
# characters); article bodies come from logged-in staff and go through nh3 only.
LONGEST_INPUT = 3_000


@pytest.mark.parametrize("name", OURS)
def test_our_text_functions_finish_a_megabyte_and_their_defence_holds(name):
    """benchmarks/security.py prints their time and growth on 0.1 and 1 MB."""
    function, make = OURS[name]
    text = make(100_000)
    assert len(text) >= 200_000
    out = function(text)
    assert isinstance(out, str) and DEFENCE_HOLDS[name](out), name


def test_visitor_text_is_capped_below_what_the_risky_filters_handle_slowly():
    """Django's filters with DoS history are super-linear on large crafted
    input (benchmarks/security.py; SECURITY.md T-30 has the figures). What a
    visitor can type is capped well below that, before any code sees it."""
    for name, field in CommentForm.base_fields.items():
        assert field.max_length and field.max_length <= LONGEST_INPUT, name
    assert MAX_QUERY_CHARS <= LONGEST_INPUT
    # Django reads at most this much of Accept-Language (its CVE-2023-23969 fix).
    assert trans_real.LANGUAGE_CODE_MAX_LENGTH <= 500
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 1000


def test_no_template_or_module_runs_the_risky_filters_on_text():
    """strip_tags, truncatewords_html, urlize and wordwrap are the filters
    with DoS history: using one on stored text needs a length check first."""
    risky = re.compile(
        r"striptags|strip_tags|truncatewords_html|truncatechars_html|urlize|wordwrap|Truncator"
    )
    root = Path(__file__).resolve().parents[2] / "khabar"
    used = [
        f"{path.relative_to(root)}:{n}"
        for path in [*root.rglob("*.html"), *root.rglob("*.py")]
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if risky.search(line)
    ]
    assert used == []


def _queries(send) -> tuple[int, list[str]]:
    cache.clear()  # both requests start cold: no page-cache hit, no rate-limit count
    with CaptureQueriesContext(connection) as queries:
        status = send().status_code
    return status, [q["sql"].split()[0] for q in queries.captured_queries]


@pytest.mark.django_db
def test_huge_headers_and_bodies_cost_no_more_than_ordinary_ones(world):
    """A 5,000-character Accept-Language and a 1 MB comment body: no 500, and
    the same database work as an ordinary request (the body is refused by the
    form's length check, before anything is stored)."""
    long_language = ",".join(f"x{n};q=0.{n % 10}" for n in range(700))[:5000]
    front = [
        _queries(lambda language=language: Client().get("/", HTTP_ACCEPT_LANGUAGE=language))
        for language in ("ar", long_language)
    ]
    assert front[0] == front[1] and front[1][0] == 200
    url = world.article.get_comment_url()
    over_limit, huge = (
        _queries(lambda size=size: Client().post(url, {"body": "ب" * size, "name": "x"}))
        for size in (LONGEST_INPUT + 1, 1_000_000)
    )
    assert huge == over_limit
    assert huge[0] == 400  # the form's 3,000-character limit, with an Arabic error
