from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data (`manage.py seed_demo`): it imports the domain, the domain never imports it."""

    name = "demo"
    verbose_name = "Demo"
