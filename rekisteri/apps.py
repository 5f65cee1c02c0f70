from django.apps import AppConfig


class RekisteriConfig(AppConfig):
    """The project package as an app, for its management commands (bench)."""

    name = "rekisteri"
    verbose_name = "Rekisteri"
