"""gunicorn settings for Rekisteri (`gunicorn -c deploy/gunicorn.conf.py rekisteri.wsgi`)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two workers per core plus one is gunicorn's rule of thumb for I/O-bound Django apps.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = 5000
max_requests_jitter = 500
timeout = 60
accesslog = "-"
# No query strings in the access log: they can carry search terms (names, emails).
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
