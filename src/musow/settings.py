"""musow settings: one module, configured by MUSOW_* environment variables.

MUSOW_DATABASE_URL   database URL (default: SQLite in ./var/musow.sqlite3, WAL mode)
MUSOW_SECRET_KEY     Django secret key (required when MUSOW_DEBUG is off)
MUSOW_DEBUG          "1"/"true" for development
MUSOW_ALLOWED_HOSTS  comma-separated host names
MUSOW_ATTENDEE_KEY   secret of the keyed hash that makes attendee keys (required when
                     MUSOW_DEBUG is off; never derived from MUSOW_SECRET_KEY); after a
                     re-keying, the keys in use, oldest first, separated by spaces
MUSOW_VAR_DIR        where the SQLite file, static files and artifacts live (default ./var)
MUSOW_SECURE_COOKIES "1"/"0": session and CSRF cookies only over HTTPS (default: on unless
                     MUSOW_DEBUG; `musow serve` on a loopback address turns it off unless a
                     trusted proxy is configured)
MUSOW_TRUSTED_PROXY  comma-separated addresses of the TLS proxy in front of musow: its
                     X-Forwarded-Proto header says whether the visitor used HTTPS
MUSOW_BEHIND_HTTPS_PROXY "1": the same as MUSOW_TRUSTED_PROXY=127.0.0.1,::1 (kept for
                     existing configurations)
MUSOW_DB_WAIT        seconds a write waits for another write to finish (default 20)
MUSOW_ANALYTICS      where figures are computed: duckdb (default: an embedded file kept in
                     step with the register), clickhouse (a server, MUSOW_ANALYTICS_URL),
                     chdb (ClickHouse's engine in the process) or register (no store)
MUSOW_ANALYTICS_PATH the DuckDB file (default ./var/analytics.duckdb)
MUSOW_ANALYTICS_URL  clickhouse://user:password@host:8123/database
MUSOW_CACHE_DIR      the cache of dashboards and reports shared by the server's processes
MUSOW_EMAIL_HOST     SMTP server for the workflow's e-mails (unset: written to the console);
                     MUSOW_EMAIL_PORT (587), MUSOW_EMAIL_USER, MUSOW_EMAIL_PASSWORD,
                     MUSOW_EMAIL_TLS ("1"), MUSOW_EMAIL_FROM, MUSOW_EMAIL_BACKEND
MUSOW_SITE_URL       the address people open musow at, for links in e-mails
MUSOW_SDC_THRESHOLD  the SGBV programme's disclosure threshold: a non-zero count below it is
                     never shown (default 5; refused below 3)

Outside DEBUG, `musow` and the web server refuse to start without their own secrets
(see musow/secret_keys.py, which says how to make them).
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _


def envbool(name: str, default: bool = False) -> bool:
    return os.getenv(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def envstr(name: str, default: str) -> str:
    return os.getenv(name) or default


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in envstr(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(envstr("MUSOW_VAR_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = envbool("MUSOW_DEBUG")
# Two secrets of their own, each required outside DEBUG: nothing falls back to a public
# value, and the attendee key is never derived from the secret key (rotating the secret
# key, a routine act, must not split every person in two). Empty here means missing:
# `musow` and the web server refuse to start and say how to make one (musow/secret_keys.py),
# and Django refuses an empty SECRET_KEY wherever it is used.
DEVELOPMENT_SECRET_KEY = "django-insecure-musow-development-key"
DEVELOPMENT_ATTENDEE_KEY = "musow-development-attendee-key-not-secret"
SECRET_KEY = envstr("MUSOW_SECRET_KEY", DEVELOPMENT_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = envlist("MUSOW_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

# Keyed hash for pseudonymous attendee keys (see musow.activities.keys): one secret, or
# after re-keying (`musow attendees rekey`) the chain of keys, oldest first.
ATTENDEE_KEY = envstr("MUSOW_ATTENDEE_KEY", DEVELOPMENT_ATTENDEE_KEY if DEBUG else "")

INSTALLED_APPS = [
    # The Django admin, opened by role (accounts.scopes), not by is_staff/is_superuser.
    "musow.accounts.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "musow.accounts",
    "musow.audit",
    "musow.geo",
    "musow.activities",
    "musow.indicators",
    "musow.mainstreaming",
    "musow.trainings",
    "musow.representation",
    "musow.elections",
    "musow.security",
    "musow.protection",
    "musow.reports",
    "musow.intake",
    "musow.web",
    "musow.analytics",
    "musow.demo",  # the demo data set and `musow demo`
    "musow.operations",  # `musow setup`, `backup`, `restore`
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "musow.api",
]

MIDDLEWARE = [
    # First: X-Forwarded-Proto is believed only from the configured proxy.
    "musow.web.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages (a dashboard of 100 kB goes as 25 kB on a slow link); since Django
    # 4.2 it pads each compressed response at random, against BREACH. After WhiteNoise,
    # which serves static files compressed ahead of time, with their own headers.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A write that waited too long for another one: a 503 "try again", input kept.
    "musow.web.busy.DatabaseBusyMiddleware",
    # After a write, the analytics store catches up once the response is sent.
    "musow.analytics.middleware.CatchUpAfterWrites",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "musow.urls"
WSGI_APPLICATION = "musow.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("MUSOW_DATABASE_URL", f"sqlite:///{VAR_DIR / 'musow.sqlite3'}"),
        conn_max_age=int(envstr("MUSOW_DB_CONN_MAX_AGE", "0")),
    )
}
if os.getenv("MUSOW_TEST_DB_NAME"):  # lets two test runs share one PostgreSQL server
    DATABASES["default"]["TEST"] = {"NAME": os.environ["MUSOW_TEST_DB_NAME"]}
# How long a write waits for another one to finish (a large `musow import` holds the
# database, or a row, for its whole transaction) before the user is told to try again
# (musow.web.busy: HTTP 503 and their input kept). Below gunicorn's 30 s timeout.
DB_WAIT = float(envstr("MUSOW_DB_WAIT", "20"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes. Writers take their turn:
        # IMMEDIATE takes the write lock when a transaction begins (no "database is
        # locked" on a lock upgrade, which SQLite cannot wait for), and `timeout` is how
        # long a writer waits for the lock (SQLite's busy timeout).
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            # 64 MB of page cache; sorts for GROUP BY spill to temporary files
            # rather than RAM, so memory stays bounded whatever the data size
            # (measured in bench/README.md: faster too).
            "PRAGMA cache_size=-64000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": DB_WAIT,
    }
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # musow's figures are many GROUP BYs of well under a minute: PostgreSQL's JIT spends
    # more compiling them than it saves (yearly report's CSV at 1 000 000 activities:
    # 11-13 s with JIT, 9.6 s without). musow reads every row of the cursors it opens
    # (exports, report annexes), so the planner should not favour fast-start plans for
    # them (cursor_tuple_fraction=1: the 2024 annex, 126 000 rows, 6.6 s -> 1.5 s).
    # A write waits at most DB_WAIT for a row another transaction holds (lock_timeout).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c jit=off -c cursor_tuple_fraction=1 -c lock_timeout={int(DB_WAIT * 1000)}"
    )

# The analytics store (musow/analytics): figures at columnar speed, kept in step with the
# register by triggers; the register answers when the store cannot.
ANALYTICS = {
    "ENGINE": envstr("MUSOW_ANALYTICS", "duckdb"),
    "PATH": envstr("MUSOW_ANALYTICS_PATH", str(VAR_DIR / "analytics.duckdb")),
    "URL": envstr("MUSOW_ANALYTICS_URL", ""),
    # A store that must be rebuilt (none yet, another register) is rebuilt on the first
    # figure asked for when the register has at most this many activities; larger ones
    # wait for `musow analytics rebuild`, and the register answers meanwhile.
    "AUTO_REBUILD_MAX": int(envstr("MUSOW_ANALYTICS_AUTO_REBUILD_MAX", "200000")),
}
# Whole dashboards and report builds, shared by the server's processes (files on this
# machine), keyed by the store's generation: a change shows at the next page.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": envstr("MUSOW_CACHE_DIR", str(VAR_DIR / "cache")),
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

# Disclosure control of the SGBV programme's statistics (musow/protection/disclosure.py).
SDC_THRESHOLD = int(envstr("MUSOW_SDC_THRESHOLD", "5"))
if SDC_THRESHOLD < 3:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"MUSOW_SDC_THRESHOLD={SDC_THRESHOLD}: counts about survivors below 3 are never "
        "shown; choose 3 or more (the default is 5)."
    )

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out account before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # The admin's model permissions follow the role (accounts.scopes.may_use_admin).
    "musow.accounts.admin_site.RoleBackend",
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Throttling and lockout (django-axes): after 5 failed sign-ins an account is locked for
# an hour (a unit admin can unlock it sooner: `musow axes_reset_username NAME`); a
# success clears the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
# Accounts are what is locked. Not addresses: a field office signs in from one shared
# address, and one person's typing mistakes must not lock the whole office out.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Africa/Bamako"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["musow.formats"]

STATIC_URL = "static/"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "musow.api.finders.AppDirectoriesFinder",  # the apps' static files, less Redoc's
]
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions end after a working day (8 h) or when the browser closes, whichever comes first.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Secure unless DEBUG; only the demo on a loopback address without a proxy turns it off
# (`musow serve`, see web/management/commands/serve.py), or an explicit "0".
SECURE_COOKIES = envbool("MUSOW_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Sent by SecurityMiddleware on HTTPS responses only.
SECURE_HSTS_SECONDS = 0 if DEBUG else 365 * 24 * 3600
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Behind a TLS proxy (README, "Configuration"): the proxy says the visitor came over HTTPS
# with X-Forwarded-Proto, and only the proxy is believed (web/proxy.py drops the header
# from anyone else), so request.is_secure() is true there: HSTS is sent and the cookies stay
# Secure, even though musow itself serves plain HTTP on a loopback address.
TRUSTED_PROXIES = envlist("MUSOW_TRUSTED_PROXY", "")
if not TRUSTED_PROXIES and envbool("MUSOW_BEHIND_HTTPS_PROXY"):
    TRUSTED_PROXIES = ["127.0.0.1", "::1"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None

# Content-Security-Policy (django-csp): scripts, styles, images and forms from this site
# only; no inline script or style anywhere, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("MUSOW_LOG_LEVEL", "WARNING")},
}

# --- The REST API (/api/v1/, musow.api) ------------------------------------------------
# Personal tokens (Authorization: Bearer musow_…) or the site's session; errors as
# application/problem+json; each token limited to MUSOW_API_RATE requests (default
# 600/minute; DRF's "N/second|minute|hour|day").
API_RATE = envstr("MUSOW_API_RATE", "600/minute")
API_TOKEN_DAYS = int(envstr("MUSOW_API_TOKEN_DAYS", "90"))  # a new token's default life
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "musow.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],  # imports: multipart
    "DEFAULT_THROTTLE_CLASSES": ["musow.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": API_RATE},
    "EXCEPTION_HANDLER": "musow.api.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": False,
    "DEFAULT_METADATA_CLASS": None,  # OPTIONS: 405, as any method a route does not offer
}
SPECTACULAR_SETTINGS = {
    "TITLE": "musow API",
    "DESCRIPTION": (
        "Activities, figures, indicators, places and imports of the Gender Unit's "
        "information system. / Activités, chiffres, indicateurs, lieux et imports du "
        "système d'information de l'Unité Genre."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SECURITY": [{"token": []}],
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "token": {"type": "http", "scheme": "bearer", "bearerFormat": "musow token"}
        }
    },
    "AUTHENTICATION_WHITELIST": ["musow.api.auth.TokenAuthentication"],
}

# Pulling field data (`musow kobo pull`, `musow odk pull`): the server, its token and the form.
KOBO_URL = envstr("MUSOW_KOBO_URL", "")  # https://kf.kobotoolbox.org
KOBO_TOKEN = envstr("MUSOW_KOBO_TOKEN", "")
KOBO_ASSET = envstr("MUSOW_KOBO_ASSET", "")  # the form's asset uid
ODK_URL = envstr("MUSOW_ODK_URL", "")  # https://central.example.org
ODK_TOKEN = envstr("MUSOW_ODK_TOKEN", "")  # a session (Bearer) token
ODK_EMAIL = envstr("MUSOW_ODK_EMAIL", "")  # or a web user's e-mail and password
ODK_PASSWORD = envstr("MUSOW_ODK_PASSWORD", "")
ODK_PROJECT = envstr("MUSOW_ODK_PROJECT", "")
ODK_FORM = envstr("MUSOW_ODK_FORM", "")  # the form's xmlFormId

# E-mail: who is told when an activity is submitted, returned or validated
# (activities/notifications.py). Without MUSOW_EMAIL_HOST, messages are written to the
# console (the demo, development); with it, they go out by SMTP.
EMAIL_HOST = envstr("MUSOW_EMAIL_HOST", "")
EMAIL_BACKEND = envstr(
    "MUSOW_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(envstr("MUSOW_EMAIL_PORT", "587"))
EMAIL_HOST_USER = envstr("MUSOW_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = envstr("MUSOW_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = envbool("MUSOW_EMAIL_TLS", default=True)
EMAIL_TIMEOUT = int(envstr("MUSOW_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = envstr("MUSOW_EMAIL_FROM", "musow <musow@localhost>")
# The address people open musow at, for the links in e-mails.
SITE_URL = envstr("MUSOW_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
