"""For sqlmap's --eval on the comment form (SECURITY.md, T-13; not a test):
load the form with a fixed CSRF cookie and return what a POST needs, a CSRF
token, an unspent question bound to that cookie and its right answer, so
every sqlmap payload gets past the question. Loopback only."""

import re
import urllib.request

SECRET = "sqlmapFixedCsrfSecret0123456789a"  # 32 characters, Django's secret format; sent as csrftoken


def get(url: str) -> tuple[str, str, str]:
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("loopback only")
    request = urllib.request.Request(url, headers={"Cookie": f"csrftoken={SECRET}"})
    html = urllib.request.urlopen(request, timeout=30).read().decode()  # noqa: S310 - checked above
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    left, right = map(int, re.search(r"اكتب ناتج (\d+) \+ (\d+)", html).groups())
    return csrf, token, str(left + right)
