"""gunicorn settings for Rekisteri (`gunicorn -c deploy/gunicorn.conf.py rekisteri.wsgi`).

Every value can be changed through the environment (GUNICORN_*), listed in .env.example.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000"
# A page costs more CPU than it waits for PostgreSQL or Redis, so one single-threaded worker
# per core plus one served the portal best on the 2-core benchmark machine: 3 x 1 about
# 320-400 req/s at p95 60 ms, where 5 x 2 gave 230-270 req/s with p95 of 140-850 ms (threads
# contend for the GIL; docs/benchmarks.md). A long request (a large audience export) holds its
# worker: raise GUNICORN_WORKERS, or GUNICORN_THREADS, where many run at once.
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
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
