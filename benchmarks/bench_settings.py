"""Settings of `make bench`: the project's own, with DEBUG off (as in production)
and the benchmark's urlconf, which adds a view doing no database work."""

import os
import warnings

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
# Plain HTTP on 127.0.0.1: no redirect to HTTPS, no HSTS.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("CELERY_BROKER_URL", "")
# No line per request: the output stays the table, and a log line (the same work
# on every page) does not pad the slow pages' share of the minimal view's rate.
os.environ.setdefault("REQUEST_LOG_LEVEL", "WARNING")

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
# Signed in by force_login and a session cookie: the hasher is never run.
# No collectstatic for a benchmark: WhiteNoise may miss its folder.
warnings.filterwarnings("ignore", message="No directory at")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The cookie is sent over plain HTTP to gunicorn.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
