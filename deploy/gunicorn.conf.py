"""gunicorn settings for Rekisteri (`gunicorn -c deploy/gunicorn.conf.py rekisteri.wsgi`).

Every value can be changed through the environment (GUNICORN_*), listed in .env.example.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000"
# Two workers per core plus one is gunicorn's rule of thumb for I/O-bound Django apps.
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
# Threads let a worker serve another request while one waits for PostgreSQL; on the 2-core
# benchmark machine 5 workers x 2 threads served the portal best (docs/benchmarks.md).
threads = int(os.environ.get("GUNICORN_THREADS") or 2)
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 5000)
max_requests_jitter = max_requests // 10
timeout = 60
# No preload_app: then `systemctl reload` (HUP) starts workers that import the new code.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1"

# Access lines carry method, path (no query string: it can hold search terms), status, size
# and duration; no client address (nginx keeps that, on its own retention). Empty = no access log.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
# gunicorn's own lines go through the project's JSON formatter, like the app's.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "rekisteri.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {
            "handlers": ["console"],
            "level": "INFO" if accesslog else "WARNING",
            "propagate": False,
        },
    },
}
