"""Django settings for the wendao web platform.

Everything that differs between a laptop demo and production comes from the environment through the
typed helpers below (one place, healthchecks-style). The default is the embedded set-up: SQLite under
./var, so a fresh clone just runs.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


# --- typed environment helpers --------------------------------------------------------------------


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value is None or not value.strip() else int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str | None, sqlite_path: Path) -> dict[str, object]:
    """postgres://user:pass@host:port/name -> PostgreSQL; anything else -> the embedded SQLite file."""
    if url and url.split(":", 1)[0] in ("postgres", "postgresql", "pgsql"):
        parts = urlparse(url)
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": env_int("WENDAO_DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": sqlite_path,
        # WAL (set on connect, see wendao.web.apps) lets readers work while the autosave writes;
        # IMMEDIATE transactions avoid "database is locked" on lock upgrades under concurrent writers.
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }


# --- core -----------------------------------------------------------------------------------------

VAR_DIR = Path(env_str("WENDAO_VAR_DIR", str(Path.cwd() / "var")))
DEBUG = env_bool("WENDAO_DEBUG", False)
SECRET_KEY = env_str("WENDAO_SECRET_KEY", "wendao-insecure-development-key-change-me-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("WENDAO_CSRF_TRUSTED_ORIGINS", [])
SITE_ROOT = env_str("WENDAO_SITE_ROOT", "http://127.0.0.1:8000")

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL"), VAR_DIR / "wendao.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the bundled Swagger UI assets for /api/docs (no CDN)
    "django_tasks",
    "django_tasks_db",  # the database backend of the task queue (table of queued/running/finished tasks)
    "wendao.web.apps.WebConfig",
    "wendao.web.accounts",
    "wendao.web.catalog",
    "wendao.web.enterprises",
    "wendao.web.programmes",
    "wendao.web.insights",
    "wendao.web.marketplace",
    "wendao.web.jobs",
    "wendao.web.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "wendao.web.csp.ContentSecurityPolicyMiddleware",  # no inline script, no eval (wendao/web/csp.py)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "wendao.web.urls"
WSGI_APPLICATION = "wendao.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

# --- accounts and security ------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "enterprises:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling: this many failures per username + IP within the window lock that pair out.
WENDAO_LOGIN_MAX_FAILURES = env_int("WENDAO_LOGIN_MAX_FAILURES", 5)
WENDAO_LOGIN_WINDOW_SECONDS = env_int("WENDAO_LOGIN_WINDOW_SECONDS", 15 * 60)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("WENDAO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if env_bool("WENDAO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- i18n -----------------------------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- static files (vendored ECharts + htmx served by whitenoise; no CDN) -------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names when launched by `wendao demo` / `wendao serve` (they run collectstatic);
        # plain names served through the finders otherwise (tests, runserver).
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("WENDAO_STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (demo, tests) whitenoise serves straight from the app static folders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- plans ----------------------------------------------------------------------------------------

# The need matcher (jieba + BM25 + E5 embeddings) takes seconds to build; tests may switch it off.
WENDAO_PLAN_MATCHER = env_bool("WENDAO_PLAN_MATCHER", True)
# Peer cells with fewer enterprises than this are hidden (no inference about single firms).
WENDAO_PEER_MIN_ENTERPRISES = 5

# --- background jobs ------------------------------------------------------------------------------

# django-tasks on its database backend: the queue is a table in the same database, so the embedded default
# needs no extra service and production scales out by running more `wendao jobs worker` processes.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Queue tasks enqueued per batch job: each claims items one at a time, so with N workers set this to N and a
# 300-enterprise export runs N documents at once. 1 suits the embedded default (one worker, SQLite).
WENDAO_JOB_TASKS = env_int("WENDAO_JOB_TASKS", 1)
# Attempts per item before it is reported as failed.
WENDAO_JOB_ATTEMPTS = env_int("WENDAO_JOB_ATTEMPTS", 3)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("WENDAO_LOG_LEVEL", "WARNING")},
}
