"""URLs for benchmark runs: the project's own plus the framework-floor view."""

from bench.harness import bench_urlconf

urlpatterns = bench_urlconf()
