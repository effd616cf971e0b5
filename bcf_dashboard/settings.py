"""Settings for BCF Dashboard, all from environment variables with safe development defaults.

DEBUG is off unless ``DEBUG=1``. ``DATABASE_URL`` picks the database (SQLite file by
default). ``BCF_PRODUCTION=1`` turns on the deployment settings and refuses to start
with the development secret key.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEV_SECRET_KEY = "dev-only-not-secret-bcf-dashboard"
PRODUCTION = env_flag("BCF_PRODUCTION")
DEBUG = env_flag("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
if PRODUCTION and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY: BCF_PRODUCTION=1 refuses the development key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    # Background work: Django's tasks framework (the backport) and its queue in the database.
    "django_tasks",
    "django_tasks_db",
    # The core: areas, periods, access, money (app label "bcf_dashboard").
    "bcf_dashboard.core",
    # The domain: models, their pure arithmetic and their queries.
    "metrics",
    "funding",
    "schemes",
    # The engine's store of area-year versions and headlines.
    "bcf_dashboard.digests",
    # The features, each a page or a tool of its own.
    "bcf_dashboard.dashboards",
    "bcf_dashboard.returns",
    "bcf_dashboard.signoff",
    "bcf_dashboard.planning",
    "bcf_dashboard.quarterly",
    "bcf_dashboard.audit",
    "bcf_dashboard.demo",
    "bcf_dashboard.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzipped (static files come compressed from whitenoise, above it). Above everything that
    # writes the body; Django pads each response at random and masks CSRF tokens (BREACH).
    "django.middleware.gzip.GZipMiddleware",
    "bcf_dashboard.core.null_characters.RefuseNullCharactersMiddleware",  # 400, before any NUL reaches a query
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "bcf_dashboard.core.session_limits.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires: turns a lock-out into its page
]

ROOT_URLCONF = "bcf_dashboard.urls"
# Names this release in the page cache's keys (bcf_dashboard.digests.pagecache); without it the keys
# name a digest of the installed apps' code and templates.
BCF_RELEASE = os.environ.get("BCF_RELEASE", "")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "bcf_dashboard.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60" if PRODUCTION else "0")),  # persistent in production
        conn_health_checks=True,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_config(url: str) -> dict:
    """CACHE_URL: ``db`` (the default: a table in the database, shared by every worker and server,
    nothing else to run), ``redis://host:6379/0``, ``memcached://host:11211``, ``locmem`` (one
    process only) or ``dummy`` (no caching). Keys name the data's version (bcf_dashboard.digests.pagecache),
    so nothing ever needs deleting: old entries expire or are culled."""
    timeout = int(os.environ.get("CACHE_TIMEOUT", str(24 * 60 * 60)))
    common = {"TIMEOUT": timeout, "KEY_PREFIX": "bcf"}
    if url.startswith("redis://") or url.startswith("rediss://"):
        return {**common, "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url.startswith("memcached://"):
        return {
            **common,
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": url.removeprefix("memcached://"),
        }
    if url == "locmem":
        return {**common, "BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if url != "db":
        raise ImproperlyConfigured(f"CACHE_URL {url!r}: use db, redis://, memcached://, locmem or dummy")
    # The table is made by the digests app's first migration (and by the test runner).
    return {
        **common,
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "bcf_cache",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "20000")), "CULL_FREQUENCY": 4},
    }


CACHES = {"default": cache_config(os.environ.get("CACHE_URL", "db"))}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Only production collects static files; elsewhere whitenoise serves them from the app folders.
STATIC_ROOT = BASE_DIR / "staticfiles" if PRODUCTION else None
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
# Files the app makes (the summaries' PDFs): the file system under MEDIA_ROOT by default, shared by
# every server only if that folder is; BCF_STORAGE=s3 keeps them in an S3-compatible object store
# instead (the bcf-dashboard[s3] extra, django-storages; docs/deployment.md). They are served through
# the app's own views after an access check, never from MEDIA_URL.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))


def file_storage(kind: str) -> dict:
    if kind == "s3":
        options = {
            "bucket_name": os.environ.get("BCF_S3_BUCKET", ""),
            "endpoint_url": os.environ.get("BCF_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("BCF_S3_REGION") or None,
            "access_key": os.environ.get("BCF_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("BCF_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("BCF_S3_PREFIX", "bcf-dashboard"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": True,
        }
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    return {"BACKEND": "django.core.files.storage.FileSystemStorage"}


# The worker: BCF_TASKS=database (a queue in the database; `manage.py worker` runs it, on any number of
# machines) or immediate (inside the request: tests and single-shot scripts).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if os.environ.get("BCF_TASKS", "database") not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"BCF_TASKS={os.environ['BCF_TASKS']!r}: use one of {', '.join(TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[os.environ.get("BCF_TASKS", "database")], "QUEUES": ["default"]}}
# A task still "running" this long after it started lost its worker (killed, machine gone): the worker
# hands it out again. Every task is safe to run twice.
BCF_TASK_STALE_SECONDS = int(os.environ.get("BCF_TASK_STALE_SECONDS", "300"))
# A returns file larger than this is checked and applied by the worker, with a progress bar.
BCF_BACKGROUND_UPLOAD_BYTES = int(os.environ.get("BCF_BACKGROUND_UPLOAD_BYTES", str(1024 * 1024)))

STORAGES = {
    "default": file_storage(os.environ.get("BCF_STORAGE", "filesystem")),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads above this are refused before they are read into memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
RETURNS_UPLOAD_MAX_BYTES = int(os.environ.get("RETURNS_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
# One file for several areas (a national collation: a million rows are about 50 MB), checked by the worker.
RETURNS_COLLATION_MAX_BYTES = int(os.environ.get("RETURNS_COLLATION_MAX_BYTES", str(200 * 1024 * 1024)))

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"  # Strict would sign people out when they follow a link from an email
CSRF_COOKIE_SAMESITE = "Lax"
# Signed out after 30 minutes idle or 12 hours after signing in (bcf_dashboard/session_limits.py).
SESSION_IDLE_TIMEOUT = 30 * 60
SESSION_ABSOLUTE_TIMEOUT = 12 * 60 * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# No script but our own files: pages carry no inline code (charts read JSON from
# <script type="application/json">, drawn by static/js/charts.js).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # plotly.js adds <style> elements as it draws (blocked charts' styling without this), and
        # Django's admin uses style attributes; CSS cannot run code, so inline styles stay allowed.
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],  # plotly's mode bar and image export use data: images
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# The read API (bcf_dashboard/api, docs/formats.md section 3). Its views set their own policy (a bearer
# token only, GET only, JSON); these defaults make any other REST framework view just as closed.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["bcf_dashboard.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "bcf_dashboard.api.endpoints.error_response",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "BCF Dashboard read API",
    "DESCRIPTION": "Read-only figures for the areas your token's owner can see (docs/formats.md section 3). "
    "Send `Authorization: Bearer <token>`; make a token at /accounts/api-tokens/.",
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# Sign-in throttling (django-axes): five failures for one username from one address lock that
# pair for 15 minutes. Unknown usernames are counted the same way, so the lock-out page says
# nothing about which usernames exist; another address is not affected.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # 15 minutes from the fifth failure, as the page says
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "bcf_dashboard.core.security.client_address"
# Proxies in front of the app that append to X-Forwarded-For (nginx: 1). 0 reads REMOTE_ADDR.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Password reset mail: printed to the console unless EMAIL_HOST names an SMTP server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "BCF Dashboard <bcf-dashboard@localhost>")
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link works for an hour

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# A read replica, when there is one: read-only pages read it, writes and the requests just
# after a write read the primary (bcf_dashboard.db_routers).
if os.environ.get("REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["REPLICA_DATABASE_URL"], conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["bcf_dashboard.core.db_routers.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "bcf_dashboard.core.db_routers.PinPrimaryMiddleware",
    )
