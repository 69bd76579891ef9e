"""khabar settings: one module, every value from the environment with a safe
default. DEBUG is off unless asked for; production mode refuses to start with
the development SECRET_KEY or without ALLOWED_HOSTS (see khabar/checks.py)."""

import importlib.util
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KHABAR_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Never valid in production mode: khabar.checks refuses to serve with it.
DEV_KEY = "khabar-development-only-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_KEY
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Without autodiscovery at start: khabar/apps.py and khabar/newsroom/admin_urls.py.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "khabar",
    "khabar.news",
    "khabar.comments",
    "khabar.ingest",
    "khabar.newsroom",
    "khabar.search",
    "khabar.distribution",
    "khabar.pagecache",
    "khabar.security",
    "khabar.intelligence",
    "khabar.readership",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khabar.news.middleware.UrlLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "khabar" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "khabar.news.context_processors.site",
            ],
        },
    }
]

# SQLite under var/ by default; any dj-database-url URL otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'khabar.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE makes writers queue for
    # the lock instead of failing with "database is locked"; FULL keeps commits
    # across power loss (SQLite's pragma docs).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
    }
    # A file, not memory: the browser and concurrency tests use several connections.
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DB_NAME", str(VAR_DIR / "test.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache that turns an outage into cache misses (T-76).
            "BACKEND": "khabar.security.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "khabar"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "khabar"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Arabic at unprefixed URLs, English under /en/. The language comes from the
# URL only (khabar.news.middleware), never from Accept-Language or a cookie:
# khabar.pagecache keys whole pages on the path.
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "khabar" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Baghdad")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "khabar" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Without nginx in front, the app serves uploaded images itself.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

LOGIN_URL = "/admin/login/"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Production mode behind TLS; HTTPS=0 for a plain-HTTP deployment on loopback.
if not DEBUG and env_bool("HTTPS", True):
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# The site itself.
SITE_NAME = os.environ.get("SITE_NAME", "خبر")
SITE_AGENCY = os.environ.get("SITE_AGENCY", "وكالة أنباء آسيا")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
COMMENTS_MODERATION = env_bool("COMMENTS_MODERATION", True)
COMMENT_CHALLENGE_TTL = int(os.environ.get("COMMENT_CHALLENGE_TTL", "3600"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "khabar": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        "django.security": {"handlers": ["console"], "level": "WARNING"},
        # Server errors with their traceback go to the operator's log (never to
        # the visitor): without this, DEBUG=0 sends them only to ADMINS by mail.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# --- newsroom (roles, workflow, revisions, images) ---
# Signed preview links to drafts stay valid this many seconds (default 2 days).
NEWSROOM_PREVIEW_TTL = int(os.environ.get("NEWSROOM_PREVIEW_TTL", "172800"))
# Lead images: refused above these (bytes; pixels, against decompression bombs).
NEWSROOM_IMAGE_MAX_BYTES = int(os.environ.get("NEWSROOM_IMAGE_MAX_BYTES", str(10 * 1000 * 1000)))
NEWSROOM_IMAGE_MAX_PIXELS = int(os.environ.get("NEWSROOM_IMAGE_MAX_PIXELS", str(40 * 1000 * 1000)))
# Renditions written once at upload; the largest is also the OpenGraph image.
NEWSROOM_IMAGE_WIDTHS = (480, 800, 1200)
NEWSROOM_IMAGE_MAX_WIDTH = 1600

# --- search ---

# --- distribution (feeds, sitemaps, API) ---
# The API docs page uses the Swagger UI files django-ninja ships (served by
# whitenoise, no CDN), taken from its package without making it an app: as an
# app, every web process would import ninja and pydantic (about 16 MiB) at
# start instead of at its first API request (khabar/distribution/urls.py).
_NINJA = Path(importlib.util.find_spec("ninja").origin).parent
TEMPLATES[0]["DIRS"].append(_NINJA / "templates")
STATICFILES_DIRS.append(_NINJA / "static")
# Content-Disposition and nosniff on every /api/v1/ response (ASVS 14.4.2);
# outermost, so answers other middleware give first (405, 429) carry them too.
MIDDLEWARE.insert(0, "khabar.distribution.middleware.ApiHeadersMiddleware")
# Per API key: at most API_RATE_LIMIT requests per API_RATE_WINDOW seconds,
# counted in the default cache (shared by all processes when REDIS_URL is set).
API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", "120"))
API_RATE_WINDOW = int(os.environ.get("API_RATE_WINDOW", "60"))
# The naming authority in item URIs (urn:newsml:<authority>:...); SITE_URL's host if empty.
# Set it once and keep it: subscribers key their copies on these URIs.
NEWS_URI_AUTHORITY = os.environ.get("NEWS_URI_AUTHORITY", "")

# --- page cache and serving ---
# Anonymous pages are cached whole (khabar/pagecache); GZip compresses the rest.
# Inner to WhiteNoise (static files come pre-compressed) and outer to sessions,
# so a cache hit skips session, CSRF and auth work.
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "khabar.pagecache.middleware.PageCacheMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "django.middleware.gzip.GZipMiddleware",
)
PAGECACHE_CACHE = "default"
PAGECACHE_TTL = int(os.environ.get("PAGECACHE_TTL", "600"))
# "namespace:url_name" patterns (fnmatch) of views whose anonymous pages are cached.
PAGECACHE_VIEWS = env_list(
    "PAGECACHE_VIEWS",
    "news:front,news:section,news:tag,news:author,news:agency,news:archive-*,news:article,news:article-print,"
    "distribution:*feed*",
)
# The purge servers of the nginx in front (deploy/nginx/khabar.conf), e.g. http://127.0.0.1:8081;
# after a change the app has them replace exactly the pages it touched.
PAGECACHE_PURGE_URLS = env_list("PAGECACHE_PURGE_URLS")
PAGECACHE_PURGE_SECOND_PASS = float(os.environ.get("PAGECACHE_PURGE_SECOND_PASS", "2"))
# Read replicas: public reads go there; writes and an editor's reads right
# after a write stay on the primary (khabar/pagecache/routers.py).
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS")
for _n, _url in enumerate(DATABASE_REPLICA_URLS):
    DATABASES[f"replica{_n}"] = dj_database_url.parse(_url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
    DATABASES[f"replica{_n}"]["TEST"] = {"MIRROR": "default"}
if DATABASE_REPLICA_URLS:
    DATABASE_ROUTERS = ["khabar.pagecache.routers.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("khabar.pagecache.middleware.PageCacheMiddleware"),
        "khabar.pagecache.routers.PinToPrimaryMiddleware",
    )
PIN_TO_PRIMARY_SECONDS = int(os.environ.get("PIN_TO_PRIMARY_SECONDS", "10"))
# Most read (khabar/readership): reads are counted outside the page cache, so
# cached pages count too; kept in the process and written every
# READERSHIP_FLUSH_SECONDS or READERSHIP_FLUSH_KEYS keys, and at exit.
MIDDLEWARE.insert(
    MIDDLEWARE.index("khabar.pagecache.middleware.PageCacheMiddleware"),
    "khabar.readership.middleware.ReadCountMiddleware",
)
READERSHIP_ENABLED = env_bool("READERSHIP", True)
READERSHIP_FLUSH_SECONDS = int(os.environ.get("READERSHIP_FLUSH_SECONDS", "30"))
READERSHIP_FLUSH_KEYS = int(os.environ.get("READERSHIP_FLUSH_KEYS", "1000"))
READERSHIP_TOP = int(os.environ.get("READERSHIP_TOP", "5"))
# Load balancers probe over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind nginx, which serves /static/ itself (deploy/nginx/khabar.conf),
# SERVE_STATIC=0 leaves WhiteNoise out: each worker then keeps no index of
# the static files (1.1 MiB a worker, measured) and cached pages skip its lookup.
SERVE_STATIC = env_bool("SERVE_STATIC", True)
if not SERVE_STATIC:
    MIDDLEWARE.remove("whitenoise.middleware.WhiteNoiseMiddleware")

# --- security ---
# Headers outermost, so cached pages and error pages carry them too.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "khabar.security.middleware.SecurityHeadersMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("khabar.security.middleware.SecurityHeadersMiddleware") + 1,
    "khabar.security.middleware.AllowedMethodsMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "khabar.security.middleware.LoginThrottleMiddleware",
)
# Outermost: behind nginx, the headers above that nginx adds itself are not
# sent twice (deploy/nginx/khabar.conf).
MIDDLEWARE.insert(0, "khabar.security.middleware.EdgeHeadersMiddleware")
# Methods the site uses at all; anything else is 405 before any view runs.
ALLOWED_METHODS = ["GET", "HEAD", "POST"]
# Per path prefix, e.g. {"/api/": ["OPTIONS"]} once the API answers CORS preflights.
ALLOWED_METHODS_EXTRA = {}
# Per path prefix, the only methods allowed there: the API reads only.
ALLOWED_METHODS_ONLY = {"/api/": ["GET", "HEAD"]}
# No inline script anywhere (templates load static files; JSON-LD is data,
# not script). CSP_ENABLED=0 only exists so tests can show escaping alone holds.
CSP_ENABLED = env_bool("CSP_ENABLED", True)
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# A looser policy for paths under CSP_ADMIN_PREFIX, if the admin ever needs
# one; none does today (tests/security/test_browser_xss.py loads every admin page).
CSP_ADMIN = os.environ.get("CSP_ADMIN", "")
CSP_ADMIN_PREFIX = "/admin/"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
CSRF_FAILURE_VIEW = "khabar.security.views.csrf_failure"
if not DEBUG and env_bool("HTTPS", True):  # the same condition as the TLS block above
    # __Host- cookies are only accepted over HTTPS, for the whole host, never
    # set by a subdomain (ASVS 3.4.4).
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
# The comment form: a question answered sooner than this is refused (ASVS
# 11.1.2); issuing and answering are limited per IP ("events/seconds").
COMMENT_MIN_SECONDS = int(os.environ.get("COMMENT_MIN_SECONDS", "3"))
COMMENT_RATE_ISSUE = os.environ.get("COMMENT_RATE_ISSUE", "30/600")
COMMENT_RATE_POST = os.environ.get("COMMENT_RATE_POST", "10/600")
# As WordPress's discussion settings: newline- or comma-separated words,
# addresses or IPs. A moderation key holds the comment; a blocked key files it as spam.
COMMENT_MODERATION_KEYS = os.environ.get("COMMENT_MODERATION_KEYS", "")
COMMENT_BLOCKED_KEYS = os.environ.get("COMMENT_BLOCKED_KEYS", "")
# Login throttling (khabar/security/logins.py): failures per account and per IP.
LOGIN_THROTTLE_URLS = env_list("LOGIN_THROTTLE_URLS", "admin:login,newsroom:login,login")
LOGIN_RATE_ACCOUNT = os.environ.get("LOGIN_RATE_ACCOUNT", "5/900")
LOGIN_RATE_IP = os.environ.get("LOGIN_RATE_IP", "20/3600")
RATELIMIT_CACHE = "default"
# Proxies in front that append to X-Forwarded-For (0: trust REMOTE_ADDR only).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# --- Arabic dates and newsroom intelligence ---
# Month names: egyptian (يناير), levantine (كانون الثاني) or both ("يناير/كانون الثاني");
# digits in dates: latin (18) or arabic (١٨); KHABAR_HIJRI=on adds the Umm al-Qura date.
KHABAR_MONTHS = os.environ.get("KHABAR_MONTHS", "both").strip().lower() or "both"
KHABAR_DIGITS = os.environ.get("KHABAR_DIGITS", "latin").strip().lower() or "latin"
KHABAR_HIJRI = env_bool("KHABAR_HIJRI", False)
if KHABAR_MONTHS not in {"egyptian", "levantine", "both"} or KHABAR_DIGITS not in {"latin", "arabic"}:
    # A typo would otherwise surface as a broken date on every page.
    raise ImproperlyConfigured(
        f"KHABAR_MONTHS must be egyptian, levantine or both (got {KHABAR_MONTHS!r}); "
        f"KHABAR_DIGITS must be latin or arabic (got {KHABAR_DIGITS!r})"
    )
