"""T-30: denial of service through text. Our own text functions stay linear
on a megabyte of crafted input (measured as growth, not as a speed goal:
10x more input may cost at most 30x more time; quadratic behaviour costs
~100x, so the test holds on a slow machine too). Django's filters with DoS
history are checked at the longest input a visitor can send, and kept off
stored text."""

import contextlib
import re
import time
from pathlib import Path

import pytest
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.test import Client
from django.utils.html import strip_tags, urlize
from django.utils.text import Truncator, wrap

from khabar.arabic.normalize import fold
from khabar.news.html import clean_body, html_to_text, strip_illegal_chars


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
# The longest text a visitor can send into a field (comment body, 3,000
# characters); article bodies come from logged-in staff and go through nh3 only.
LONGEST_INPUT = 3_000


def _seconds(function, text) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("name", OURS)
def test_our_text_functions_grow_linearly_on_a_megabyte(name):
    function, make = OURS[name]
    small, large = _seconds(function, make(10_000)), _seconds(function, make(100_000))
    assert large < max(small, 0.02) * 30, (name, small, large)  # a floor against timer noise
    assert large < 5


@pytest.mark.parametrize("name", DJANGO_FILTERS)
def test_django_filters_are_quick_at_the_longest_input_a_visitor_can_send(name):
    """Some of these are super-linear on megabytes (SECURITY.md has the
    figures); no visitor's text reaches them at that size, and the next test
    keeps them off visitor text altogether."""
    function, make = DJANGO_FILTERS[name]
    assert _seconds(function, make(LONGEST_INPUT)[: LONGEST_INPUT * 3]) < 1, name


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


@pytest.mark.django_db
def test_huge_headers_and_bodies_are_answered_quickly_and_not_with_500(client, world):
    long_language = ",".join(f"x{n};q=0.{n % 10}" for n in range(700))[:5000]
    started = time.perf_counter()
    assert client.get("/", HTTP_ACCEPT_LANGUAGE=long_language).status_code == 200
    response = Client().post(world.article.get_comment_url(), {"body": "ب" * 1_000_000, "name": "x"})
    assert response.status_code == 400  # the form's 3,000-character limit, with an Arabic error
    assert time.perf_counter() - started < 10
