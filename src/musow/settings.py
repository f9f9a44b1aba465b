"""musow settings: one module, configured by MUSOW_* environment variables.

MUSOW_DATABASE_URL   database URL (default: SQLite in ./var/musow.sqlite3, WAL mode)
MUSOW_SECRET_KEY     Django secret key (required when MUSOW_DEBUG is off)
MUSOW_DEBUG          "1"/"true" for development
MUSOW_ALLOWED_HOSTS  comma-separated host names
MUSOW_ATTENDEE_KEY   secret of the keyed hash that makes attendee keys
MUSOW_VAR_DIR        where the SQLite file, static files and artifacts live (default ./var)
"""

import os
from pathlib import Path

import dj_database_url
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
# The fallback key is for the demo and development only (`musow check --deploy` flags it).
SECRET_KEY = envstr("MUSOW_SECRET_KEY", "django-insecure-musow-development-key")
ALLOWED_HOSTS = envlist("MUSOW_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

# Keyed hash for pseudonymous attendee keys (see activities.services.attendee_key).
ATTENDEE_KEY = envstr("MUSOW_ATTENDEE_KEY", SECRET_KEY)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "musow.accounts",
    "musow.audit",
    "musow.geo",
    "musow.activities",
    "musow.indicators",
    "musow.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE avoids
        # "database is locked" on lock upgrades inside transactions.
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=5000;"
            # 64 MB of page cache; sorts for GROUP BY spill to temporary files
            # rather than RAM, so memory stays bounded whatever the data size
            # (measured in bench/README.md: faster too).
            "PRAGMA cache_size=-64000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }

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
LOGIN_URL = "admin:login"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Africa/Bamako"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["musow.formats"]

STATIC_URL = "static/"
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

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("MUSOW_LOG_LEVEL", "WARNING")},
}
