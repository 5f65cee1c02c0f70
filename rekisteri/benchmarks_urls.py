"""URLs for benchmark runs: the project's own plus the framework-floor view."""

from rekisteri.benchmarks import bench_urlconf

urlpatterns = bench_urlconf()
