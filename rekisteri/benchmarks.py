"""Measurements for `manage.py bench`: each figure beside its baseline, measured in the same run.

Timings are warm medians and 95th percentiles over repeated runs in this process; the load run
uses wrk from a second process against gunicorn.
"""

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path


@dataclass
class Figure:
    """One measured figure and its baseline."""

    label: str
    median_ms: float
    p95_ms: float
    baseline_label: str = ""
    baseline_median_ms: float | None = None
    baseline_p95_ms: float | None = None
    target: str = ""
    note: str = ""


def timed(fn: Callable[[], object], *, runs: int, warmup: int = 2) -> tuple[float, float]:
    """Return (median, p95) milliseconds of `fn` over `runs` warm runs."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


def floor_view(request: HttpRequest) -> HttpResponse:
    """The framework floor: a minimal Django view doing one query."""
    from customers.models import Customer

    number = Customer.objects.values_list("number", flat=True).first()
    return HttpResponse(f"<p>{number}</p>")


# The project's URLs plus the floor view; used only while benchmarking.
urlpatterns = [path("bench/floor/", floor_view)]


def bench_urlconf() -> list:
    """Return the project's URL patterns with the benchmark-only floor view added."""
    from rekisteri import urls

    return [*urlpatterns, *urls.urlpatterns]


def get_ok(client: Client, url: str) -> Callable[[], None]:
    """Return a function that GETs url and insists on 200."""

    def fetch() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        # Streaming and file responses are consumed so their cost is counted.
        if getattr(response, "streaming", False):
            for _chunk in response.streaming_content:
                pass

    return fetch


def psql_ms(statements: list[str], *, runs: int = 5) -> tuple[float, float]:
    """Time one psql process running the statements (each a -c) against the database."""
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    command = [
        "psql",
        "-h",
        db.get("HOST") or "127.0.0.1",
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        db.get("USER") or "postgres",
        "-d",
        db["NAME"],
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
    ]
    for statement in statements:
        command += ["-c", statement]

    def run() -> None:
        subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603

    return timed(run, runs=runs, warmup=1)


def psql_copy_ms(query: str, *, runs: int = 5) -> tuple[float, float]:
    """Time `psql \\copy (query) TO /dev/null` — the database floor for reading those rows."""
    return psql_ms([f"\\copy ({query}) TO '/dev/null'"], runs=runs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.3f %.3f\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


@dataclass
class LoadResult:
    label: str
    requests: int
    rps: float
    median_ms: float
    p95_ms: float


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def load_run(
    targets: list[tuple[str, str, dict[str, str]]],
    *,
    connections: int = 16,
    seconds: int = 10,
    workers: int = 3,
    min_requests: int = 10_000,
) -> tuple[list[LoadResult], dict[str, float]]:
    """Serve the app with gunicorn and load each (label, path, headers) with wrk.

    Returns per-target results and the workers' memory (MB) after the run; the runs continue
    until at least `min_requests` requests were served in all.
    """
    wrk = shutil.which("wrk")
    if not wrk:
        raise RuntimeError("wrk is not installed (apt-get install wrk).")
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": settings.SECRET_KEY,
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "CONN_MAX_AGE": "60",
        "ROOT_URLCONF": "rekisteri.benchmarks_urls",
    }
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "1",
            "--access-logfile",
            "/dev/null",
            "rekisteri.wsgi",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(_WRK_SCRIPT)
        results, total = [], 0
        memory_before = sum(_rss_mb(p) for p in _children(server.pid)) / max(workers, 1)
        while True:
            for label, url_path, headers in targets:
                header_args = [a for k, v in headers.items() for a in ("-H", f"{k}: {v}")]
                out = subprocess.run(  # noqa: S603
                    [
                        wrk,
                        "-t2",
                        f"-c{connections}",
                        f"-d{seconds}s",
                        "-s",
                        script.name,
                        *header_args,
                        f"http://127.0.0.1:{port}{url_path}",
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                requests, duration_us, median_ms, p95_ms = re.search(
                    r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+)", out
                ).groups()
                errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
                if errors:
                    raise RuntimeError(f"{label}: {errors.group(1)} error answers under load")
                total += int(requests)
                results.append(
                    LoadResult(
                        label,
                        int(requests),
                        int(requests) / (int(duration_us) / 1e6),
                        float(median_ms),
                        float(p95_ms),
                    )
                )
            if total >= min_requests:
                break
        pids = _children(server.pid)
        memory = {
            "worker_rss_before_mb": memory_before,
            "worker_rss_after_mb": max(_rss_mb(p) for p in pids),
            "requests": total,
        }
        return results, memory
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
