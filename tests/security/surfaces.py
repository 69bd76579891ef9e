"""Every URL the site has, found from the URLconf rather than listed by hand,
so the security tests cover each new page, feed and API route as it lands.

A route's arguments are filled from a pool of real values (an article's pk
and slug, a section's slug, ...); the first combination that answers below
400 is kept. Routes no combination opens (e.g. a preview link needing a
signed token) are reported by name so a test can say what it did not reach."""

import itertools
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, PathConverter

# Query parameters sent to every GET besides those named by the page's own
# GET forms: what listing, search, feed and API views commonly read.
COMMON_PARAMS = [
    "q",
    "page",
    "sort",
    "order",
    "section",
    "tag",
    "category",
    "author",
    "from",
    "to",
    "since",
    "until",
    "date",
    "year",
    "limit",
    "offset",
    "cursor",
    "format",
    "lang",
    "next",
    "comment",
    "fragment",
]


@dataclass
class Route:
    name: str  # "namespace:name"
    converters: dict


@dataclass
class Surface:
    name: str
    url: str
    status: int
    login_required: bool = False
    get_params: set = field(default_factory=set)


@dataclass
class Form:
    page: str
    action: str
    fields: dict  # name -> default value
    text_fields: list  # names a person types into


def routes(skip_namespaces=("admin",)) -> list[Route]:
    found = []

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(filter(None, [namespace, p.namespace])) if p.namespace else namespace
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name and hasattr(p.pattern, "converters"):
                if namespace and namespace.split(":")[0] in skip_namespaces:
                    continue
                name = f"{namespace}:{p.name}" if namespace else p.name
                found.append(Route(name, dict(p.pattern.converters)))

    walk(get_resolver().url_patterns, "")
    unique = {}
    for route in found:
        unique.setdefault(route.name, route)
    return list(unique.values())


def _candidates(route: Route, pool: dict) -> list[dict]:
    choices = []
    for arg, converter in route.converters.items():
        if arg in pool:
            values = pool[arg]
        elif isinstance(converter, IntConverter):
            values = pool["<int>"]
        elif isinstance(converter, PathConverter):
            values = pool["<path>"]
        else:
            values = pool["<str>"]
        choices.append([(arg, v) for v in values])
    return [dict(c) for c in itertools.islice(itertools.product(*choices), 40)]


def discover(client, pool: dict, *, login_url: str = "/admin/login/") -> tuple[list[Surface], list[str]]:
    """(reachable surfaces, names of routes that no pool value opened)."""
    surfaces, unreached = [], []
    for route in routes():
        best = None
        for kwargs in _candidates(route, pool):
            try:
                url = reverse(route.name, kwargs=kwargs)
            except NoReverseMatch:
                continue
            response = client.get(url)
            status = response.status_code
            login = status == 302 and urlsplit(response["Location"]).path.startswith(login_url)
            if status < 400 and not login:
                best = Surface(route.name, url, status)
                break
            if login and best is None:
                best = Surface(route.name, url, status, login_required=True)
            if status == 405:  # POST-only: the URL itself is right
                best = best or Surface(route.name, url, status)
        if best:
            surfaces.append(best)
        else:
            unreached.append(route.name)
    return surfaces, unreached


def forms_on(html: str, page_url: str) -> list[Form]:
    """POST forms of a page with their fields (hidden values kept)."""
    if not html.strip():
        return []
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    found = []
    for form in doc.forms:
        if (form.method or "GET").upper() != "POST":
            continue
        fields, text = {}, []
        for el in form.inputs:
            name = el.get("name")
            if not name or el.get("type") in {"submit", "button", "file", "image", "reset"}:
                continue
            if el.tag == "select":
                options = el.xpath(".//option/@value")
                fields[name] = options[0] if options else ""
                text.append(name)  # a hostile value where a choice is expected
            elif el.get("type") in {"checkbox", "radio"}:
                fields[name] = el.get("value", "on")
            else:
                fields[name] = el.value or ""
                if el.get("type") != "hidden":
                    text.append(name)
        found.append(Form(page_url, urljoin(page_url, form.action or page_url), fields, text))
    return found


def get_forms(html: str, page_url: str) -> dict[str, set[str]]:
    """The page's GET forms: {action URL: names of their fields} (the search box)."""
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return {}
    found = {}
    for form in doc.forms:
        if (form.method or "GET").upper() == "GET":
            action = urlsplit(urljoin(page_url, form.action or page_url)).path
            found.setdefault(action, set()).update(el.get("name") for el in form.inputs if el.get("name"))
    return found


def get_form_params(html: str) -> set[str]:
    """Names of the fields of the page's GET forms, whatever their action."""
    return set().union(*get_forms(html, "/").values()) if html.strip() else set()
