"""Settings for Wraparound, read from the environment.

By default an embedded SQLite file under ``WRAPAROUND_DATA_DIR`` (``./data``);
PostgreSQL (or any other database) when ``DATABASE_URL`` is set.
``WRAPAROUND_ENV=production`` turns on the hardened settings that pass
``manage.py check --deploy``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from wraparound.web.public_keys import found_in_repository

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("WRAPAROUND_DATA_DIR", Path.cwd() / "data")).resolve()

ENVIRONMENT = os.environ.get("WRAPAROUND_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = os.environ.get("WRAPAROUND_DEBUG", "0" if PRODUCTION else "1") == "1"

# A development key only: it is public (it is in this file), so production refuses it.
DEVELOPMENT_SECRET_KEY = "dev-only-not-secret-wraparound-demo-key-0123456789abcdef"
if PRODUCTION:
    SECRET_KEY = os.environ.get("WRAPAROUND_SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("WRAPAROUND_SECRET_KEY must be set to 50+ random characters")
    if found_in_repository(SECRET_KEY):
        raise ImproperlyConfigured(
            "WRAPAROUND_SECRET_KEY is written in the repository, so it is public: "
            "generate a new one (it also keys the CSDS pseudonyms)"
        )
else:
    SECRET_KEY = os.environ.get("WRAPAROUND_SECRET_KEY", DEVELOPMENT_SECRET_KEY)

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("WRAPAROUND_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("WRAPAROUND_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "wraparound.web",
    "wraparound.organisations",
    "wraparound.workforce",
    "wraparound.caseload",
    "wraparound.access",
    "wraparound.fhir",
    "wraparound.scheduling",
    "wraparound.metrics",
    "wraparound.referrals",
    "wraparound.directory",
    "wraparound.feedback",
    "wraparound.contracts",
    "wraparound.capacity",
    "wraparound.discharge",
    "wraparound.population",
    "wraparound.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wraparound.ui.session.KeepFormsAcrossSignInMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wraparound.access.request_context.RequestIdMiddleware",
    "wraparound.web.middleware.RecordPrivacyMiddleware",
    # Last, so that throttling sees the authenticated request.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wraparound.config.urls"
WSGI_APPLICATION = "wraparound.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wraparound.web.context.signed_in_as",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'wraparound.sqlite3'}",
        # `wraparound serve` keeps connections for 60 s unless this says otherwise; each is
        # checked before reuse, so a restarted database is reconnected cleanly.
        conn_max_age=int(os.environ.get("WRAPAROUND_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the demo server and a command share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Whose record the door keeps (door/person.py), named as Django names its user model.
WRAPAROUND_PERSON_MODEL = "caseload.Patient"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# The demo serves static files straight from the apps, no collectstatic step.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# Sessions: short-lived, ended when the browser closes (shared clinical devices).
SESSION_COOKIE_AGE = int(os.environ.get("WRAPAROUND_SESSION_SECONDS", str(60 * 60 * 8)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Login throttling (django-axes): an account is locked after repeated failures from any
# address, and an address after repeated failures on any accounts (a higher limit: many
# people share one address), both for 15 minutes.
WRAPAROUND_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("WRAPAROUND_LOGIN_FAILURE_LIMIT", "5"))
WRAPAROUND_ADDRESS_FAILURE_LIMIT = int(
    os.environ.get("WRAPAROUND_ADDRESS_FAILURE_LIMIT", str(4 * WRAPAROUND_ACCOUNT_FAILURE_LIMIT))
)
AXES_FAILURE_LIMIT = "wraparound.access.throttling.failure_limit"
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"

# Content security policy: nothing from anywhere but this server.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("WRAPAROUND_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Background work: the Tasks API; in-process by default, the database worker at scale
# (WRAPAROUND_TASK_BACKEND=database, run by `wraparound worker`), or any backend's path.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
_task_backend = os.environ.get("WRAPAROUND_TASK_BACKEND", "immediate")
TASKS = {"default": {"BACKEND": TASK_BACKENDS.get(_task_backend, _task_backend)}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WRAPAROUND_LOG_LEVEL", "WARNING")},
}
