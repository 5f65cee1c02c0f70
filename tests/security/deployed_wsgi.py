"""rekisteri.wsgi for test_behind_proxy.py: production settings, static files unhashed.

With DEBUG off the static files are named by the manifest that `collectstatic` writes (over a
minute of compressing); the pages under test need only their names, so the plain storage is
used, as the production probe in test_abuse.py does. Everything else is rekisteri.wsgi's.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rekisteri.settings")

from django.conf import settings

settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from rekisteri.wsgi import application  # noqa: E402

__all__ = ["application"]
