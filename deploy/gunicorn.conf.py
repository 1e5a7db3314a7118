"""Gunicorn's settings for the web processes (`deploy/Procfile`, `deploy/compose.yaml`).

Each value comes from the environment with a default fit for one small machine.
Sync workers: every page is short, and uploads are buffered by the reverse proxy
(nginx's request buffering), so a worker is never held by a slow client. The access
log is off: the site writes its own line per request, with its id and the user
(config.middleware.RequestLogMiddleware). Gunicorn's own messages follow LOG_FORMAT,
as the site's do.
"""

import os

_TRUE = {"1", "true", "yes", "y", "on", "ok"}


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, "") or default)


# Where to listen: $PORT on every interface (a container, a platform that sets PORT),
# else the loopback only, for a reverse proxy on the same machine.
bind = f"0.0.0.0:{os.environ['PORT']}" if os.environ.get("PORT") else "127.0.0.1:8000"
bind = os.environ.get("GUNICORN_BIND") or bind
workers = _env_int("WEB_CONCURRENCY", 2)
worker_class = "sync"
# A request taking longer than this is killed (its worker restarted); the proxy's
# proxy_read_timeout is a little longer (deploy/nginx.conf).
timeout = _env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Workers are replaced now and then, so a slow leak never grows without bound.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = 200
# The heartbeat files on memory, not on a container's overlay disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# The proxies whose X-Forwarded-Proto gunicorn believes (comma-separated addresses or
# networks): the reverse proxy's address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# No control socket: several gunicorns on one machine would share its default path.
control_socket_disable = True

accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

_debug = os.environ.get("DEBUG", "true").strip().lower() in _TRUE
_log_format = os.environ.get("LOG_FORMAT", "text" if _debug else "json")
if _log_format == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "common.logging.JSONFormatter"}},
        "filters": {"request_id": {"()": "common.logging.RequestIdFilter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["request_id"],
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "gunicorn.error": {
                "handlers": ["console"],
                "level": loglevel.upper(),
                "propagate": False,
            },
        },
    }
