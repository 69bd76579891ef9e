"""Stored and reflected XSS in real Chromium (T-10, T-11, T-12), with the CSP
on and with it off (escaping must hold alone), and the admin working under
the CSP. Every payload of tests/data/payloads is used: a sample runs in
`make test`, the whole corpus in `make test-security` (marker security_long).

A page counts as executing a payload if any of these happens: a dialog
(alert/confirm/prompt, Playwright's dialog event), a call to print(), a
Content-Security-Policy violation (something tried to run and was blocked),
or the DOM holds markup only a payload could have put there (an on*
attribute, a javascript: URL, an inline script that is not JSON data).

The pages are served by gunicorn (2 processes) and loaded by three browser
tabs at once (Playwright's async API). A page load costs ~70 ms of browser
work whatever the page fetches, so the count of loads is what matters: a
page that only echoes the raw query string (the edition switch on every
page) gets many payloads per load, a parameter the page decodes one per
load, an article headline one article each."""

import asyncio
import json
import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.async_api import TimeoutError as PlaywrightTimeoutError
from playwright.async_api import async_playwright

from khabar.comments.models import Comment
from khabar.news.html import strip_illegal_chars
from tests.factories import ArticleFactory, SectionFactory
from tests.security import live, payloads, surfaces

from .conftest import CHROMIUM, LAUNCH_ARGS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ADMIN_PASSWORD = "a-long-editor-passphrase-2025"
SHARE_HOSTS = {"www.facebook.com", "twitter.com", "x.com", "wa.me", "t.me"}
TABS = 3

WATCH = """
window.__khabar = {violations: [], prints: 0};
document.addEventListener("securitypolicyviolation", e => window.__khabar.violations.push(
  e.violatedDirective + " " + (e.blockedURI || "") + " " + (e.sample || "")));
window.print = () => { window.__khabar.prints += 1; };
"""

# One round trip per page: what ran, what the DOM holds, and the headline sinks.
COLLECT = """async () => {
  await new Promise(resolve => setTimeout(resolve, 0));  // events queued during load (toggle, focus)
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase(), value = a.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(el.tagName + " " + name);
      if (["href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"].includes(name)
          && /^(javascript|vbscript|data:text\\/html)/.test(value))
        found.push(el.tagName + " " + name + "=" + value.slice(0, 40));
    }
    if (el.tagName === "SCRIPT" && !el.src && !/json/.test(el.type)) found.push("inline script");
    if (["IFRAME", "OBJECT", "EMBED", "BASE", "FRAME", "FRAMESET", "APPLET"].includes(el.tagName))
      found.push(el.tagName);
    if (el.tagName === "META" && (el.httpEquiv || "").toLowerCase() === "refresh") found.push("meta refresh");
  }
  const og = document.querySelector('meta[property="og:title"]');
  const h1 = document.querySelector("h1");
  return {
    found, violations: window.__khabar.violations, prints: window.__khabar.prints,
    title: document.title, og: og && og.content, h1: h1 && h1.textContent,
    ld: [...document.querySelectorAll('script[type="application/ld+json"]')].map(s => s.textContent),
    share: [...document.querySelectorAll(".share a[target=_blank]")].map(a => {
      const u = new URL(a.href); return [u.protocol, u.host]; }),
  };
}"""


def quick(corpus: list[str]) -> list[str]:
    """The sample for `make test`: every polyglot and Arabic markup case, then every 12th line."""
    keep = set(payloads.arabic("markup-arabic")) | set(
        (payloads.PAYLOADS / "payloadsallthethings/xss/XSS_Polyglots.txt").read_text("utf-8").splitlines()
    )
    return [p for n, p in enumerate(corpus) if p in keep or n % 12 == 0]


async def _inspect(base: str, jobs: list, login: bool) -> tuple[list, int]:
    """Load every (path, expected_status, expected_headline) in TABS tabs
    (None: any status but a refusal or an error; no headline to check);
    return the findings and the number of page loads."""
    findings, queue = [], list(reversed(jobs))
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        context = await browser.new_context(locale="ar")
        await context.add_init_script(WATCH)
        # The comment form fragment holds no payload; skipping it spares a
        # question (a database write) per article page.
        await context.route("**/comment/?fragment=1", lambda route: route.fulfill(status=204, body=""))
        if login:
            page = await context.new_page()
            await page.goto(base + "/admin/login/")
            await page.fill("#id_username", "chief")
            await page.fill("#id_password", ADMIN_PASSWORD)
            await page.click("input[type=submit]")
            await page.wait_for_url(base + "/admin/")
            await page.close()

        async def tab():
            page = await context.new_page()
            dialogs = []
            page.on(
                "dialog",
                lambda d: (dialogs.append(f"{d.type}: {d.message}"), asyncio.ensure_future(d.dismiss())),
            )
            while queue:
                path, status, expected = queue.pop()
                # "load" follows every error/load event of the page's images,
                # scripts and frames, so their handlers have run by now.
                try:
                    response = await page.goto(base + path, wait_until="load")
                except PlaywrightTimeoutError:  # e.g. an injected refresh or frame that never settles
                    findings.append((path, "no load event"))
                    continue
                # A refused request (400, 414) or a crash renders no payload.
                refused = response.status in REFUSED or response.status >= 500
                if refused or response.status != (status or response.status):
                    findings.append((path, f"HTTP {response.status}"))
                state = await page.evaluate(COLLECT)
                problems = [f"dialog {d}" for d in dialogs] + state["found"]
                problems += [f"violation {v}" for v in state["violations"]] + ["print()"] * state["prints"]
                if expected is not None:
                    problems += _headline_problems(state, expected)
                findings.extend((path, p) for p in problems)
                dialogs.clear()
            await page.close()

        await asyncio.gather(*(tab() for _ in range(TABS)))
        await browser.close()
    return findings, len(jobs)


def _as_parsed(text: str) -> str:
    # What an HTML parser makes of any text: CR LF and lone CR become LF.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _as_title(text: str) -> str:
    # document.title strips and collapses ASCII whitespace.
    return re.sub(r"[\t\n\f\r ]+", " ", text).strip(" ")


def _headline_problems(state: dict, expected: str) -> list[str]:
    """The headline shows as itself, as text, in every sink of the article page."""
    problems = []
    if state["og"] is not None and state["og"] != _as_parsed(expected):
        problems.append(f"og:title {state['og'][:60]!r}")
    if (state["h1"] or "").strip() != _as_parsed(expected).strip():
        problems.append(f"h1 {(state['h1'] or '')[:60]!r}")
    if _as_title(expected) not in state["title"]:
        problems.append(f"title {state['title'][:60]!r}")
    for block in state["ld"]:
        try:
            data = json.loads(block)  # a payload that closed the block would break this
        except ValueError:
            problems.append("JSON-LD does not parse")
            continue
        for item in data if isinstance(data, list) else [data]:
            if "headline" in item and not expected.startswith(item["headline"]):
                problems.append(f"JSON-LD headline {item['headline'][:60]!r}")
    for protocol, host in state["share"]:
        if protocol != "https:" or host not in SHARE_HOSTS:
            problems.append(f"share link to {protocol}//{host}")
    return problems


def inspect(server, jobs, login=False):
    # Its own thread and event loop: the session's sync Playwright (the other
    # browser tests) keeps a loop running in this one.
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, _inspect(server.url, jobs, login)).result()


def _editor():
    get_user_model().objects.create_superuser("chief", "c@example.com", ADMIN_PASSWORD)


def comment_jobs(corpus, per_page=100) -> list:
    """T-10: every payload as a comment name and body (after the comment
    form's input rule, which strips XML-illegal characters), approved; the
    article page, the print view, the moderation queue and one change form
    per batch."""
    jobs, admin_jobs = [], []
    for start in range(0, len(corpus), per_page):
        article = ArticleFactory(headline=f"خبر للتعليقات {start}")
        batch = [strip_illegal_chars(p) for p in corpus[start : start + per_page]]
        comments = Comment.objects.bulk_create(
            Comment(article=article, name=p[:80], body=p, status=Comment.Status.APPROVED) for p in batch
        )
        jobs += [(article.get_absolute_url(), 200, None), (article.get_print_url(), 200, None)]
        admin_jobs.append((f"/admin/comments/comment/{comments[0].pk}/change/", 200, None))
    for p in range(-(-len(corpus) // 100)):
        admin_jobs.append((f"/admin/comments/comment/?p={p}", 200, None))
    return jobs, admin_jobs


def headline_jobs(corpus) -> tuple[list, list]:
    """T-12: every payload as a headline (after the input rule that strips
    XML-illegal characters) on its article page and print view, the section
    listing, the front page, the feeds and the newsroom's lists."""
    section = SectionFactory(name="عناوين عدائية", slug="hostile")
    now = timezone.now()
    jobs = []
    for n, p in enumerate(corpus):
        headline = strip_illegal_chars(p)[:300].strip() or "فارغ"
        article = ArticleFactory(
            headline=headline,
            slug=f"h-{n}",
            section=section,
            published_at=now - timezone.timedelta(minutes=n),
        )
        jobs += [
            (article.get_absolute_url(), 200, article.headline),
            (article.get_print_url(), 200, article.headline),
        ]
    jobs += [
        (f"{section.get_absolute_url()}?page={n}", 200, None) for n in range(1, -(-len(corpus) // 20) + 1)
    ]
    jobs.append(("/", 200, None))
    for name, kwargs in [
        ("distribution:feed-site-rss", {}),
        ("distribution:feed-site-atom", {}),
        ("distribution:feed-site-json", {}),
        ("distribution:feed-section-rss", {"slug": section.slug}),
    ]:
        try:
            jobs.append((reverse(name, kwargs=kwargs), 200, None))
        except NoReverseMatch:
            continue
    admin_jobs = [("/newsroom/", 200, None), ("/admin/news/article/", 200, None)]
    return jobs, admin_jobs


# A probe value sent with one letter percent-encoded: a page that shows
# ECHO decoded the parameter and put its value somewhere on its own; one
# that shows only SENT echoed the raw query string (the edition switch and
# hreflang links of every page), which holds the payloads percent-encoded
# whatever parameter carries them.
ECHO, SENT = "zq7reflect", "zq7%72eflect"
# gunicorn refuses request lines over 8190 bytes (limit_request_line) with a
# 400 page that renders no payload; every URL stays below this.
MAX_URL = 8000
REFUSED = {400, 413, 414, 431}


def _query_url(url: str, pairs) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(pairs)}"


def _probe_reflection(client, url: str, params) -> tuple[list, list]:
    """(parameters whose decoded value the page shows, those it echoes only in the raw query string)."""
    decoded, raw = [], []
    for param in params:
        html = client.get(f"{url}{'&' if '?' in url else '?'}{param}={SENT}").content.decode(
            "utf-8", "replace"
        )
        if ECHO in html:
            decoded.append(param)
        elif SENT in html:
            raw.append(param)
    return decoded, raw


def _payload_urls(url: str, decoded: list, raw: list, corpus) -> tuple[list, list]:
    """(URLs, payloads too long for any URL). Each payload goes in every
    parameter the page decodes, one load per payload (split over several
    loads only where the URL would be too long). A page that only echoes the
    raw query string gets as many payloads per load as fit, in its echoed
    parameters in turn: the echo is the same percent-encoded text whichever
    parameter or load carries them."""
    urls, too_long, packed = [], [], []
    longest = max(decoded + raw, key=len)
    for p in corpus:
        if len(_query_url(url, [(longest, p)])) > MAX_URL:
            too_long.append(p)
            continue
        chunk = []
        for param in decoded:
            if chunk and len(_query_url(url, [(n, p) for n in chunk + [param]])) > MAX_URL:
                urls.append(_query_url(url, [(n, p) for n in chunk]))
                chunk = []
            chunk.append(param)
        if chunk:
            urls.append(_query_url(url, [(n, p) for n in chunk]))
        elif raw:
            packed.append(p)
    batch = []
    for n, p in enumerate(packed):
        pair = (raw[n % len(raw)], p)
        if batch and len(_query_url(url, batch + [pair])) > MAX_URL:
            urls.append(_query_url(url, batch))
            batch = []
        batch.append(pair)
    if batch:
        urls.append(_query_url(url, batch))
    return urls, too_long


def reflected_jobs(corpus) -> tuple[list, list, list]:
    """T-11: every query parameter of every public page that echoes it back
    (found by probing each with a marker) gets every payload, and so does a
    404 path."""
    article = ArticleFactory()
    client = Client()
    pool = {
        "pk": [article.pk],
        "article_id": [article.pk],
        "slug": [article.slug, article.section.slug],
        "section": ["news"],
        "<int>": [article.pk],
        "<str>": [article.slug, "x"],
        "<path>": ["x"],
    }
    jobs, reflecting, too_long = [], [], set()
    for surface in surfaces.discover(client, pool)[0]:
        if surface.login_required:
            continue
        html = client.get(surface.url).content.decode("utf-8", "replace")
        params = sorted(set(surfaces.COMMON_PARAMS) | surfaces.get_form_params(html))
        decoded, raw = _probe_reflection(client, surface.url, params)
        if decoded or raw:
            reflecting.append((surface.url, decoded or "raw query string"))
            urls, skipped = _payload_urls(surface.url, decoded, raw, corpus)
            jobs += [(u, None, None) for u in urls]  # a parameter may turn the page into a 404
            too_long.update(skipped)
    jobs += [(f"/no-such-page/{p[:100]}", 404, None) for p in corpus[:50]]
    return jobs, reflecting, sorted(too_long)


def report(kind, mode, corpus, findings, loads):
    print(f"\n{kind} [{mode}]: {len(corpus)} payloads, {loads} page loads, {len(findings)} findings")
    assert findings == [], findings[:10]


def _server(tmp_path, csp: bool):
    return live.gunicorn(tmp_path, workers=2, threads=4, env={"CSP_ENABLED": "1" if csp else "0"})


def run_comments(tmp_path, corpus, csp):
    _editor()
    jobs, admin_jobs = comment_jobs(corpus)
    with _server(tmp_path, csp) as server:
        findings, loads = inspect(server, jobs)
        more, more_loads = inspect(server, admin_jobs, login=True)
    report("T-10 comments", "csp-on" if csp else "csp-off", corpus, findings + more, loads + more_loads)


def run_headlines(tmp_path, corpus, csp):
    _editor()
    jobs, admin_jobs = headline_jobs(corpus)
    with _server(tmp_path, csp) as server:
        findings, loads = inspect(server, jobs)
        more, more_loads = inspect(server, admin_jobs, login=True)
    report("T-12 headlines", "csp-on" if csp else "csp-off", corpus, findings + more, loads + more_loads)


def run_reflected(tmp_path, corpus, csp):
    jobs, reflecting, too_long = reflected_jobs(corpus)
    assert reflecting, "no page echoes a parameter; the probe found nothing to test"
    with _server(tmp_path, csp) as server:
        findings, loads = inspect(server, jobs)
    print(f"\n{len(too_long)} payloads longer than a request line (gunicorn refuses them): not sent")
    report(f"T-11 reflected via {reflecting}", "csp-on" if csp else "csp-off", corpus, findings, loads)


CSP_MODES = pytest.mark.parametrize("csp", [True, False], ids=["csp-on", "csp-off"])


@CSP_MODES
def test_comment_payloads_stay_inert_sample(tmp_path, csp):
    run_comments(tmp_path, quick(payloads.xss()), csp)


@CSP_MODES
def test_headline_payloads_stay_inert_sample(tmp_path, csp):
    run_headlines(tmp_path, quick(payloads.xss())[::2], csp)


@CSP_MODES
def test_reflected_payloads_stay_inert_sample(tmp_path, csp):
    run_reflected(tmp_path, quick(payloads.xss())[::3], csp)


@pytest.mark.security_long
@CSP_MODES
def test_comment_payloads_stay_inert_full_corpus(tmp_path, csp):
    run_comments(tmp_path, payloads.xss(), csp)


@pytest.mark.security_long
@CSP_MODES
def test_headline_payloads_stay_inert_full_corpus(tmp_path, csp):
    run_headlines(tmp_path, payloads.xss(), csp)


@pytest.mark.security_long
@CSP_MODES
def test_reflected_payloads_stay_inert_full_corpus(tmp_path, csp):
    run_reflected(tmp_path, payloads.xss(), csp)


def test_admin_and_newsroom_work_under_the_csp(site_server, page):
    """The strict policy breaks nothing an editor uses: every admin list, add
    and change page and the newsroom dashboard load without one CSP violation
    (listened for in the page), and the admin's own scripts run."""
    from django.contrib import admin

    ArticleFactory()
    Comment.objects.create(article=ArticleFactory(), name="قارئ", body="تعليق")
    _editor()
    page.add_init_script(WATCH)
    page.goto(site_server.url + "/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", ADMIN_PASSWORD)
    page.click("input[type=submit]")
    urls = ["/admin/", "/newsroom/", "/admin/password_change/"]
    for model in admin.site._registry:
        opts = model._meta
        for view in ("changelist", "add"):
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}"))
        first = model._default_manager.first()
        if first is not None:
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
    problems = []
    for url in urls:
        response = page.goto(site_server.url + url)
        state = page.evaluate(COLLECT)
        refused = response.status == 403 and url.endswith("/add/")  # e.g. the read-only audit log
        if (response.status >= 400 and not refused) or state["violations"] or state["found"]:
            problems.append((url, response.status, state["violations"], state["found"]))
    assert problems == []
    page.goto(site_server.url + "/admin/comments/comment/")
    page.check("#action-toggle")  # admin's actions.js runs under the policy
    assert page.locator("input.action-select:checked").count() == Comment.objects.count()
