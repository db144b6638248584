"""Django settings for the wendao web platform.

Everything that differs between a laptop demo and production comes from the environment through the
typed helpers below (one place, healthchecks-style). The default is the embedded set-up: SQLite under
./var, so a fresh clone just runs.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent


# --- typed environment helpers --------------------------------------------------------------------


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def env_bool(name: str, default: bool) -> bool:
    """1/0, true/false, yes/no, on/off (any case); unset or empty -> the default. Anything else is refused:
    a typo such as WENDAO_SECURE_COOKIES=ture must not quietly turn a security switch off."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not understood: use one of {'/'.join(TRUE_WORDS)} or {'/'.join(FALSE_WORDS)} "
        f"(any case), or leave it empty for the default ({'on' if default else 'off'})"
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from None


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
        # one connection per server thread, kept between requests: opening it and setting WAL cost every request
        # of the training week ~1 ms of CPU (bench web --scenario week-cpu)
        "CONN_MAX_AGE": env_int("WENDAO_DB_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
    }


# The key earlier releases fell back to; it is public (in the source), so it is refused like any weak key.
DEVELOPMENT_SECRET_KEY = "wendao-insecure-development-key-change-me-in-production"
GENERATE_KEY_HINT = 'python3 -c "import secrets; print(secrets.token_urlsafe(50))"'


def secret_key_problem(key: str) -> str | None:
    """Why a key is unfit to sign sessions, CSRF tokens, password-reset links and device cookies (Django's
    security.W009 criteria, plus the public development key), or None."""
    if key == DEVELOPMENT_SECRET_KEY:
        return "is the public development key of the source code"
    if key.startswith("django-insecure-"):
        return "is a key Django generated for development ('django-insecure-' prefix)"
    if len(key) < 50:
        return f"is too short ({len(key)} characters; at least 50)"
    if len(set(key)) < 5:
        return f"has too few distinct characters ({len(set(key))}; at least 5)"
    return None


def generated_secret_key(var_dir: Path) -> str:
    """A random key kept in ``var_dir/secret_key`` (mode 600), made on first use and shared by every process on
    that directory: the demo, its task worker, the benchmarks and the tests need no configuration and still
    never sign with a public key. Production sets WENDAO_SECRET_KEY (the same on every machine)."""
    path = var_dir / "secret_key"
    try:
        if not path.exists():
            var_dir.mkdir(parents=True, exist_ok=True)
            draft = var_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
            fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_urlsafe(50) + "\n")
            try:
                os.link(draft, path)  # atomic and never overwrites: concurrent first starts agree on one key
            except FileExistsError:
                pass
            finally:
                draft.unlink()
        key = path.read_text(encoding="ascii").strip()
    except OSError as exc:
        raise ImproperlyConfigured(
            f"WENDAO_SECRET_KEY is not set and no key could be kept in {path} ({exc}): "
            f"set WENDAO_SECRET_KEY to a long random string ({GENERATE_KEY_HINT})"
        ) from exc
    problem = secret_key_problem(key)
    if problem:
        raise ImproperlyConfigured(
            f"the key in {path} {problem}: delete the file (a new one is made) or set WENDAO_SECRET_KEY"
        )
    return key


def secret_key(debug: bool, var_dir: Path) -> str:
    """WENDAO_SECRET_KEY, refused when weak unless DEBUG is on; unset -> the generated key of ``var_dir``."""
    key = os.environ.get("WENDAO_SECRET_KEY", "")
    if not key.strip():
        return generated_secret_key(var_dir)
    problem = secret_key_problem(key)
    if problem and not debug:
        raise ImproperlyConfigured(
            f"WENDAO_SECRET_KEY {problem}. With WENDAO_DEBUG off wendao refuses to start with a weak key "
            f"(anyone who knows it can forge sessions and sign-in links). Generate one: {GENERATE_KEY_HINT}"
        )
    return key


# --- core -----------------------------------------------------------------------------------------

VAR_DIR = Path(env_str("WENDAO_VAR_DIR", str(Path.cwd() / "var")))
DEBUG = env_bool("WENDAO_DEBUG", False)
SECRET_KEY = secret_key(DEBUG, VAR_DIR)
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
    # a page or API answer made for a signed-in user is stored by no cache (accounts/caching.py)
    "wendao.web.accounts.caching.PrivateAnswersMiddleware",
    # a session opened with a sign-in link ends when the link is revoked or stops working (programmes/signin_sessions.py)
    "wendao.web.programmes.signin_sessions.SignInLinkSessionMiddleware",
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
# Every password check (sign-in page, admin sign-in) goes through the throttling policy of
# wendao/web/accounts/ratelimit.py: device cookies, exponential back-off, a per-address cap across usernames.
AUTHENTICATION_BACKENDS = ["wendao.web.accounts.backends.ThrottledModelBackend"]
# Back-off: after this many failures on a username from browsers without its device cookie (or on one device
# cookie), each further attempt waits BACKOFF seconds, doubling with every failure, at most BACKOFF_MAX
# (5 free, then 30 s, 1, 2, 4, 8 min, then 15 min: about 100 guesses a day per account, while a person who
# mistypes a few times waits half a minute). Failures are remembered for WINDOW seconds.
WENDAO_LOGIN_MAX_FAILURES = env_int("WENDAO_LOGIN_MAX_FAILURES", 5)
WENDAO_LOGIN_BACKOFF_SECONDS = env_int("WENDAO_LOGIN_BACKOFF_SECONDS", 30)
WENDAO_LOGIN_BACKOFF_MAX_SECONDS = env_int("WENDAO_LOGIN_BACKOFF_MAX_SECONDS", 15 * 60)
WENDAO_LOGIN_WINDOW_SECONDS = env_int("WENDAO_LOGIN_WINDOW_SECONDS", 24 * 60 * 60)
# Password spraying: one address that failed on more than SPRAY_USERNAMES different usernames within
# SPRAY_WINDOW seconds (failures not followed by that username signing in from there) may make no further
# attempts without a device cookie until those failures age out. A class of 300 behind one NAT signs in at
# once: typos that end in a sign-in do not count, so what counts is people who forget their password, a
# few per cent (5-10 of 300); 20 leaves two to four times that, and everyone who signed in on that browser
# before (device cookie) is never held up. One address spraying gets about 21 guesses per 10 minutes
# (3 000 a day) instead of unlimited, each username also under its own back-off.
WENDAO_LOGIN_SPRAY_USERNAMES = env_int("WENDAO_LOGIN_SPRAY_USERNAMES", 20)
WENDAO_LOGIN_SPRAY_WINDOW_SECONDS = env_int("WENDAO_LOGIN_SPRAY_WINDOW_SECONDS", 10 * 60)
# The signed device cookie a browser gets at each successful sign-in (HttpOnly, SameSite=Lax, Secure with
# WENDAO_SECURE_COOKIES): its holder is never locked out by other people's failures on that username.
WENDAO_DEVICE_COOKIE_DAYS = env_int("WENDAO_DEVICE_COOKIE_DAYS", 180)
# Reverse proxies in front of gunicorn that append the client address to X-Forwarded-For (1 behind one nginx
# with `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`). 0: REMOTE_ADDR is the client. Behind a
# proxy with 0, every client has the proxy's address and shares one spraying cap.
WENDAO_FORWARDED_FOR_HOPS = env_int("WENDAO_FORWARDED_FOR_HOPS", 0)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("WENDAO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if env_bool("WENDAO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only (production; off for the loopback demo, which is plain HTTP). Behind a TLS proxy also set
# WENDAO_BEHIND_TLS_PROXY=1, or every request looks like HTTP and is redirected forever. The liveness probe
# stays reachable over HTTP for load balancers.
SECURE_SSL_REDIRECT = env_bool("WENDAO_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Strict-Transport-Security: 31536000 (a year) in production; include subdomains and preload only when every
# subdomain of the site's domain serves HTTPS (preload asks browsers to hard-code it: hard to undo).
SECURE_HSTS_SECONDS = env_int("WENDAO_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("WENDAO_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("WENDAO_HSTS_PRELOAD", False)

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
# collectstatic (every `wendao serve` / `wendao demo` start) compressed each file twice (hashed and plain name) with
# brotli and gzip, the API docs' source maps (5 MB) included: about 45 s of CPU on 2 cores, 280-300 s wall at a
# load of 16 (bench web's server start). Only the hashed names are kept (templates use {% static %}; the finders
# still serve a plain name) and source maps, read by browser devtools only, are not compressed.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

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
# A claimed item's lease, renewed every sixth of it by the worker's heartbeat; a dead worker's item is taken
# over once it runs out (why 60 s: web/jobs/services.py). A stalled job no worker takes up is failed after
# ABANDON seconds.
WENDAO_JOB_LEASE_SECONDS = env_int("WENDAO_JOB_LEASE_SECONDS", 60)
WENDAO_JOB_ABANDON_SECONDS = env_int("WENDAO_JOB_ABANDON_SECONDS", 15 * 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("WENDAO_LOG_LEVEL", "WARNING")},
}
