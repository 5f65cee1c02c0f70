"""WSGI entry point (gunicorn rekisteri.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rekisteri.settings")
application = get_wsgi_application()
