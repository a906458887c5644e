"""Retorno settings.

Everything an operator may change is read from the environment through the strict
helpers in `retorno.lib.env`. The defaults run the demo on SQLite; `RETORNO_DB=postgres`
switches to PostgreSQL. Secrets never appear here.
"""

import secrets
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from retorno.lib.env import env, envbool, envint, envlist, envsecret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("RETORNO_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("RETORNO_DEBUG", True)


def _secret_key() -> str:
    key = envsecret("RETORNO_SECRET_KEY")
    if key:
        return key
    # Demo and development only: a key generated once per installation, kept in var/.
    path = VAR_DIR / "secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("RETORNO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "js_lib_htmx",
    "retorno.lib",
    "retorno.accounts",
    "retorno.programmes",
    "retorno.people",
    "retorno.cases",
    "retorno.counselling",
    "retorno.screening",
    "retorno.pathways",
    "retorno.medical",
    "retorno.declarations",
    "retorno.documents",
    "retorno.travel",
    "retorno.privacy",
    "retorno.tasks",
    "retorno.suspensions",
    "retorno.reception",
    "retorno.partners",
    "retorno.reintegration",
    "retorno.finance",
    "retorno.surveys",
    "retorno.monitoring",
    "retorno.feedback",
    "retorno.regions",
    "retorno.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "retorno.accounts.middleware.UserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "retorno.urls"
WSGI_APPLICATION = "retorno.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "retorno" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "retorno.accounts.context_processors.navigation",
            ],
        },
    },
]

if env("RETORNO_DB", "sqlite") == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": env("RETORNO_DB_NAME", "retorno"),
            "HOST": env("RETORNO_DB_HOST", "127.0.0.1"),
            "PORT": envint("RETORNO_DB_PORT", 5432),
            "USER": env("RETORNO_DB_USER", "retorno"),
            "PASSWORD": envsecret("RETORNO_DB_PASSWORD"),
            "CONN_MAX_AGE": envint("RETORNO_DB_CONN_MAX_AGE", 60),
        }
    }
elif env("RETORNO_DB", "sqlite") == "sqlite":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("RETORNO_SQLITE_PATH", str(VAR_DIR / "retorno.sqlite3")),
            "OPTIONS": {
                # WAL lets readers work while one writer commits; IMMEDIATE avoids
                # "database is locked" upgrades in the middle of a service transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            "TEST": {"NAME": env("RETORNO_SQLITE_TEST_PATH", "") or None},
        }
    }
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("RETORNO_DB must be sqlite or postgres")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:my_work"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("RETORNO_SESSION_AGE", 8 * 3600)
SESSION_COOKIE_SECURE = envbool("RETORNO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS only in production (RETORNO_DEBUG=False): plain HTTP is redirected, and browsers
# are told to use nothing else for a year (HSTS, subdomains included). Behind a proxy that
# ends TLS, RETORNO_BEHIND_PROXY=True trusts its X-Forwarded-Proto header (the proxy must
# set it, and strip it from clients). Preloading HSTS into browsers is a commitment an
# operator makes on purpose: RETORNO_HSTS_PRELOAD=True.
SECURE_SSL_REDIRECT = envbool("RETORNO_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("RETORNO_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("RETORNO_HSTS_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("RETORNO_HSTS_PRELOAD", False)
if envbool("RETORNO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Only the preload warning is silenced: whether to preload is the operator's choice above.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing

# Uploaded files (signed declarations, receipts) hold personal data: they live outside the
# static tree, are never served by URL, and are read only through views that ask the policy.
MEDIA_ROOT = Path(env("RETORNO_MEDIA_DIR", str(VAR_DIR / "media")))

# Bulletins and reports are built in a thread after the request that asks for them
# (`reports.jobs`); off, they are built during that request (the tests).
RETORNO_REPORTS_BACKGROUND = envbool("RETORNO_REPORTS_BACKGROUND", True)
# The key of the pseudonyms in the analysts' case-level extract (`reports.extract`):
# whoever holds it can link a pseudonym back to a person, so it is kept like the secret
# key; changing it breaks the linkage between extracts made before and after. Defaults
# to the secret key.
RETORNO_PSEUDONYM_KEY = envsecret("RETORNO_PSEUDONYM_KEY")
FILE_UPLOAD_PERMISSIONS = 0o600
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
STATICFILES_DIRS = [BASE_DIR / "retorno" / "static"]
WHITENOISE_USE_FINDERS = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous API request gets 401 with WWW-Authenticate: Token.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "retorno.lib.api.PeekPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "retorno.lib.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Retorno API",
    "DESCRIPTION": "Case management for assisted voluntary return and reintegration.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("RETORNO_LOG_LEVEL", "WARNING")},
    "loggers": {
        # WeasyPrint reads the style attributes of the charts' inline SVG as CSS and warns
        # about each SVG property ("unknown property: fill"), though it draws them: a few
        # thousand lines per bulletin. Its errors still show.
        "weasyprint": {"level": "ERROR"},
    },
}
