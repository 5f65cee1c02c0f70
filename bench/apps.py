from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmarks (`manage.py bench`): they import the domain, the domain never imports them."""

    name = "bench"
    verbose_name = "Benchmarks"
