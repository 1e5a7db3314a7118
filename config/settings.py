"""Settings for Inovasi Award, read from the environment with embedded defaults.

With no environment at all: DEBUG on, SQLite in the project folder, files under media/,
e-mails printed to the console, Celery tasks run eagerly in-process. Setting
DATABASE_URL,
CELERY_BROKER_URL, REDIS_URL and the storage variables scales it out.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env(
        "SECRET_KEY", default="insecure-development-key-change-me-0123456789abcdef"
    )
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
else:
    if not env.str("SECRET_KEY", default=""):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if not env.list("ALLOWED_HOSTS", default=[]):
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "django_htmx",
    "csp",
    # No models: its template filters (common/templatetags).
    "common",
    "accounts",
    "notifications",
    "contest",
    "submissions",
    "judging",
    "results",
]

MIDDLEWARE = [
    # First: its log line covers every other middleware, and the request id it sets
    # is on every line logged during the request.
    "config.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "contest.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Many writers at once on one file: WAL lets readers go on beside a writer, the
    # busy timeout waits for the lock instead of failing, and IMMEDIATE takes the write
    # lock when a transaction starts, so two writers never deadlock upgrading a read.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA busy_timeout=30000;"
            ),
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # A stopped Redis answers as a miss (common/cache.py), so the pages keep working;
    # sessions are written to the database as well, so nobody is signed out by it.
    CACHES = {
        "default": {
            "BACKEND": "common.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    # Sessions stay in the database alone: a copy in Redis (cached_db) could
    # outlive a sign-out made while Redis was unreachable (this cache then drops
    # the delete), and be served again once Redis is back.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# Each role lands on its own work after signing in (contest.views.LandingView).
LOGIN_REDIRECT_URL = "contest:landing"

# django-allauth: the e-mail address is the login.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env.str(
    "ACCOUNT_EMAIL_VERIFICATION", default="optional" if DEBUG else "mandatory"
)
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
# login_failed counts wrong passwords of the web login and of the API token endpoint
# alike: 5 per account in 5 minutes, and a much higher limit per client address, so
# that one office behind a NAT (or a proxy with TRUSTED_PROXY_COUNT left at 0) does
# not lock out everybody behind it. "login" (every attempt, right or wrong) allows per
# address what the API token endpoint allows (accounts.api.views.TokenThrottle).
ACCOUNT_RATE_LIMITS = {
    "login": "120/m/ip",
    "login_failed": "100/10m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# Behind a reverse proxy: how many proxies append to X-Forwarded-For (rate limits
# are per client).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Media on S3-compatible storage (django-storages) when a bucket is named. The bucket
# stays private: every file is read through a permission-checked view
# (submissions/views/files.py, results' minutes and certificates), never by a storage
# URL; should a URL ever be made, it is signed and short-lived.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    from botocore.config import Config as _BotoConfig

    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=None)
    # Unset: boto3's own chain (instance role, ~/.aws); MinIO and moto take a key pair.
    AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default=None)
    AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default=None)
    # "path" for MinIO and moto (http://host:9000/bucket/key), "virtual" for AWS.
    AWS_S3_ADDRESSING_STYLE = env.str("AWS_S3_ADDRESSING_STYLE", default=None)
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    AWS_QUERYSTRING_EXPIRE = env.int("AWS_QUERYSTRING_EXPIRE", default=300)
    AWS_S3_FILE_OVERWRITE = False
    AWS_S3_CLIENT_CONFIG = _BotoConfig(
        connect_timeout=env.float("AWS_S3_CONNECT_TIMEOUT", default=3.0),
        read_timeout=env.float("AWS_S3_READ_TIMEOUT", default=30.0),
        retries={"max_attempts": 3, "mode": "standard"},
    )
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage"}
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# E-mail: printed to the console by default; an SMTP server by EMAIL_URL
# (smtp+tls://user:password@host:587), or a provider's API through django-anymail:
# EMAIL_PROVIDER names its backend module (mailgun, amazon_ses, sendgrid, postmark,
# brevo, ...) and the provider's own settings come as ANYMAIL_<NAME> variables
# (ANYMAIL_MAILGUN_API_KEY, ANYMAIL_MAILGUN_SENDER_DOMAIN, ...).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
EMAIL_PROVIDER = env.str("EMAIL_PROVIDER", default="")
if EMAIL_PROVIDER:
    if not EMAIL_PROVIDER.isidentifier():
        raise ImproperlyConfigured("EMAIL_PROVIDER names an anymail backend module.")
    EMAIL_BACKEND = f"anymail.backends.{EMAIL_PROVIDER}.EmailBackend"
    ANYMAIL = {
        name.removeprefix("ANYMAIL_"): value
        for name, value in env.ENVIRON.items()
        if name.startswith("ANYMAIL_")
    }
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Inovasi Award <noreply@inovasi-award.local>"
)

# Celery: with no broker, tasks run eagerly in-process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A task's message is acknowledged once it has run: a worker killed mid-task leaves
# it to another (every task is safe to run twice).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A message a worker took and never acknowledged (the worker was killed) goes back
# to the queue after this many seconds (Redis broker); a task running longer may
# run twice, which every task allows.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
# A request whose change queues a task never waits long for a broker that is down:
# two quick tries, then the task is left to the scheduled sweeps (the outbox, the
# waiting images), which find its rows when the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker and beat log through LOGGING (one JSON object per line, like the web).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# How often the scheduled sweeps run (seconds); an image still waiting this long
# after its upload lost its task and is processed by the sweep.
OUTBOX_SWEEP_SECONDS = env.float("OUTBOX_SWEEP_SECONDS", default=60.0)
IMAGES_SWEEP_SECONDS = env.float("IMAGES_SWEEP_SECONDS", default=300.0)
EVIDENCE_WAITING_GRACE_SECONDS = env.int("EVIDENCE_WAITING_GRACE_SECONDS", default=120)
REMINDERS_SECONDS = env.float("REMINDERS_SECONDS", default=900.0)
PACKS_SWEEP_SECONDS = env.float("PACKS_SWEEP_SECONDS", default=300.0)
# Days a file prepared for offline judging (judging.packs) is kept, then deleted.
PACK_KEEP_DAYS = env.int("PACK_KEEP_DAYS", default=7)
# The scheduled work (Celery beat; `manage.py run_scheduled` runs one pass of it).
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {
        "task": "notifications.sweep",
        "schedule": OUTBOX_SWEEP_SECONDS,
    },
    "images-sweep": {
        "task": "submissions.sweep_images",
        "schedule": IMAGES_SWEEP_SECONDS,
    },
    "packs-sweep": {
        "task": "judging.sweep_packs",
        "schedule": PACKS_SWEEP_SECONDS,
    },
    "tokens-expiry": {"task": "accounts.expire_tokens", "schedule": 3600.0},
    # Deadline reminders 3 days and 1 day before a window closes (once per window,
    # mark and person, whatever the interval): a quarter of an hour late at most.
    "deadline-reminders": {
        "task": "judging.deadline_reminders",
        "schedule": REMINDERS_SECONDS,
    },
}
# Where beat keeps the times it last ran each entry.
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / "celerybeat-schedule")
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Denied unless a view states what it allows (issue 10).
    "DEFAULT_PERMISSION_CLASSES": ["common.permissions.DenyAll"],
    # JSON nested too deeply answers 400 (common/parsers.py); forms as DRF's default.
    "DEFAULT_PARSER_CLASSES": [
        "common.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "common.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "NUM_PROXIES": env.int("TRUSTED_PROXY_COUNT", default=0),
}
# API tokens (django-rest-knox): stored hashed, sent as `Authorization: Token <key>`,
# valid for API_TOKEN_TTL_DAYS days; a password change or reset revokes them all.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_TTL_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Inovasi Award API",
    "DESCRIPTION": "Contests, entries, judging and published results.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RegionTypeEnum": "contest.enums.RegionType",
        "StageKindEnum": "contest.enums.StageKind",
        "EvidenceKindEnum": "submissions.enums.EvidenceKind",
        "VerdictEnum": "judging.enums.Verdict",
    },
}

# Content-Security-Policy (django-csp 4): no inline scripts or styles, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# Evidence PDFs are shown in a same-origin frame on the judge's scoring page.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    # The one exception to HTTPS: a site whose SITE_URL is set to plain HTTP on this
    # machine (`make run` serves the demo so, without DEBUG, to show the site's own
    # error pages): nothing to redirect to, and cookies marked Secure would not come
    # back over HTTP. An unset SITE_URL never counts.
    _site = urlsplit(SITE_URL)
    LOCAL_HTTP = (
        "SITE_URL" in env.ENVIRON
        and _site.scheme == "http"
        and _site.hostname in {"127.0.0.1", "localhost"}
    )
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not LOCAL_HTTP)
    # A load balancer asks for /healthz over plain HTTP, inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = not LOCAL_HTTP
    CSRF_COOKIE_SECURE = not LOCAL_HTTP
    SECURE_HSTS_SECONDS = env.int(
        "SECURE_HSTS_SECONDS", default=0 if LOCAL_HTTP else 31536000
    )
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Upload limits for evidence (bytes); larger uploads stream to disk, not memory.
EVIDENCE_MAX_FILE_SIZE = env.int("EVIDENCE_MAX_FILE_SIZE", default=25 * 1024 * 1024)
EVIDENCE_MAX_ENTRY_SIZE = env.int("EVIDENCE_MAX_ENTRY_SIZE", default=200 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Logs to standard error: one JSON object per line (LOG_FORMAT=json, the default when
# DEBUG is off) or plain text; each line carries its request's id (common/logging.py).
# inovasi.requests writes one line per request (config.middleware.RequestLogMiddleware).
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "common.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "common.logging.JSONFormatter"},
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "inovasi.requests": {
            "handlers": ["console"],
            "level": env.str("REQUEST_LOG_LEVEL", default="INFO"),
            "propagate": False,
        },
    },
}
