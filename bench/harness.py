"""The measuring harness of `manage.py bench`: every figure beside its baseline, in one run.

Sections plug in without touching the command: each module named in `bench.sections.MODULES`
has

    SECTIONS = [my_section, ...]        # callables (ctx: BenchContext) -> list[Figure]
    LOAD_TARGETS = [my_targets, ...]    # callables (ctx: BenchContext) -> list[LoadTarget]

A section's first docstring line is its title. Each section runs in a transaction that is rolled
back afterwards, so what it writes never reaches the next section or the next run. A section
that raises is reported as FAILED in the table (and the command exits non-zero), never skipped.

Timings are warm medians and 95th percentiles over repeated runs in this process; the load run
uses wrk from a second process against gunicorn with the production configuration.
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
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from django.utils import timezone

from bench.sections import MODULES
from customers.models import Customer
from rekisteri import urls


@dataclass
class Figure:
    """One measured figure and its baseline (milliseconds)."""

    label: str
    median_ms: float | None
    p95_ms: float | None
    baseline_label: str = ""
    baseline_median_ms: float | None = None
    baseline_p95_ms: float | None = None
    target: str = ""
    note: str = ""
    section: str = ""
    failed: bool = False


@dataclass(frozen=True)
class LoadTarget:
    """A page for the load run: a label, a path and the request headers (e.g. a cookie)."""

    label: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    target: str = ""


@dataclass
class BenchContext:
    """What every section gets: the size, the run count, prepared customers, the floors."""

    size: str
    customers: int
    runs: int
    heavy: object  # a Customer with 500 orders and 5,000 tracking events
    typical: object  # an ordinary customer with a few orders
    floor: tuple[float, float]  # the framework floor: a minimal view doing one query

    def portal_client(self, customer) -> Client:
        """Return a test client logged in to the portal as `customer`."""
        return portal_client(customer)

    def vs_floor(self, label: str, ours: tuple[float, float], target: str = "") -> Figure:
        """Return a figure for a page measured beside the framework floor."""
        return Figure(label, *ours, "minimal view, one query", *self.floor, target=target)


def timed(fn: Callable[[], object], *, runs: int, warmup: int = 2) -> tuple[float, float]:
    """Return (median, p95) milliseconds of `fn` over `runs` warm runs."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return summarise(samples)


def summarise(samples_ms: list[float]) -> tuple[float, float]:
    """Return the median and the 95th percentile (nearest rank) of samples."""
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def floor_view(request: HttpRequest) -> HttpResponse:
    """The framework floor: a minimal Django view doing one query."""

    number = Customer.objects.values_list("number", flat=True).first()
    return HttpResponse(f"<p>{number}</p>")


# The project's URLs plus the floor view; used only while benchmarking.
urlpatterns = [path("bench/floor/", floor_view)]


def bench_urlconf() -> list:
    """Return the project's URL patterns with the benchmark-only floor view added."""

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


def portal_client(customer) -> Client:
    """Return a client with a portal session for `customer`, as the login leaves it."""
    client = Client()
    session = client.session
    now = timezone.now().timestamp()
    session["portal_customer"] = {
        "id": customer.pk,
        "verified_at": now,
        "seen_at": now,
        "method": "bench",
    }
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def psql_copy(queries: list[str], *, runs: int = 5) -> tuple[float, float]:
    """Time one `psql` reading every query with `\\copy (…) TO /dev/null`: the database floor.

    The time includes starting psql and connecting, as a shop's script would.
    """
    return psql_ms([f"\\copy ({query}) TO '/dev/null'" for query in queries], runs=runs)


def psql_command() -> tuple[list[str], dict[str, str]]:
    """Return the `psql` command line and environment for the database Django uses."""
    psql = shutil.which("psql")
    if psql is None:
        raise RuntimeError("psql is not installed (apt-get install postgresql-client).")
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    command = [
        psql,
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
    return command, env


def psql_ms(statements: list[str], *, runs: int = 5) -> tuple[float, float]:
    """Time one `psql` process running the statements (each a -c) against the database."""
    command, env = psql_command()
    for statement in statements:
        command += ["-c", statement]

    def run() -> None:
        subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603

    return timed(run, runs=runs, warmup=1)


class _Rollback(Exception):
    pass


def discover() -> tuple[list[Callable], list[Callable]]:
    """Return the bench sections and load targets of every module in bench.sections.MODULES."""
    sections, targets = [], []
    for name in MODULES:
        module = import_module(f"bench.sections.{name}")
        sections += list(getattr(module, "SECTIONS", []))
        targets += list(getattr(module, "LOAD_TARGETS", []))
    return sections, targets


def section_title(section: Callable) -> str:
    """Return a section's title: the first line of its docstring, or its name."""
    return ((section.__doc__ or "").strip().splitlines() or [section.__name__])[0].rstrip(".")


def run_sections(sections: list[Callable], ctx: BenchContext, *, log) -> list[Figure]:
    """Run each section in a rolled-back transaction; a failure becomes a FAILED figure."""
    figures: list[Figure] = []
    for section in sections:
        title = section_title(section)
        log(f"  measuring: {title}")
        started = time.perf_counter()
        try:
            with transaction.atomic():
                produced = list(section(ctx))
                raise _Rollback
        except _Rollback:
            for figure in produced:
                figure.section = figure.section or title
            figures += produced
        except Exception as exc:
            log(traceback.format_exc())
            figures.append(
                Figure(
                    "section failed",
                    None,
                    None,
                    note=f"FAILED: {type(exc).__name__}: {exc}"[:300],
                    section=title,
                    failed=True,
                )
            )
        log(f"    {time.perf_counter() - started:.1f} s")
    return figures


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %.3f %.3f\\n", summary.requests, summary.duration,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


@dataclass
class LoadResult:
    label: str
    requests: int
    rps: float
    median_ms: float
    p95_ms: float
    target: str = ""
    # Requests per second of every round, the warm-up first (load_run).
    rounds_rps: list[float] = field(default_factory=list)


@dataclass
class MemoryResult:
    """Resident memory (MB) of the largest gunicorn worker after each round of the load run."""

    workers: int
    requests: int
    after_round_mb: list[float]
    cache: str = "per-process (locmem)"

    @property
    def grows(self) -> bool:
        """Whether memory grew by over 5 % (and 3 MB) over the second half of the rounds.

        The first rounds are the warm-up: a worker's first requests load templates, translation
        catalogues and lazily imported code once; a leak keeps growing after that.
        """
        if len(self.after_round_mb) < 3:
            return False
        warm = self.after_round_mb[len(self.after_round_mb) // 2]
        last = self.after_round_mb[-1]
        return last > warm * 1.05 and last > warm + 3


def _rss_mb(pid: int) -> float:
    """Return a process's resident memory in MB; 0 for one that has exited but is not reaped."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0.0
    found = re.search(r"VmRSS:\s+(\d+)", status)
    return int(found.group(1)) / 1024 if found else 0.0


def _children(pid: int) -> list[int]:
    task_path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in task_path.read_text().split()] if task_path.exists() else []


def _wait_for_port(port: int, server: subprocess.Popen, name: str = "gunicorn") -> None:
    for _ in range(200):
        if server.poll() is not None:
            raise RuntimeError(f"{name} exited: {server.stderr.read().decode()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{name} did not start listening in 20 s")


def start_redis() -> tuple[subprocess.Popen | None, str]:
    """Start a private, memory-only redis-server for the load run, as production's shared cache.

    Return the process and the CACHE_URL, or (None, "") when redis-server is not installed: the
    load run then uses the per-process cache (and sessions in the database).
    """
    binary = shutil.which("redis-server")
    if not binary:
        return None, ""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _wait_for_port(port, server, "redis-server")
    return server, f"rediscache://127.0.0.1:{port}/0"


def wrk_path() -> str:
    """Return wrk's path, or raise with how to install it."""
    wrk = shutil.which("wrk")
    if not wrk:
        raise RuntimeError("wrk is not installed: apt-get install wrk (or run with --skip-load)")
    return wrk


def production_env() -> dict[str, str]:
    """Return the variables that start this project with DEBUG off, keyed like the bench's data.

    The seed ran with DEBUG on: the same SECRET_KEY and SUPPRESSION_KEY make its signed links and
    suppression hashes valid for the server. Production settings refuse mail that reaches no one;
    the bench sends none.
    """
    return {
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "SUPPRESSION_KEY": settings.SUPPRESSION_KEY,
        "EMAIL_URL": "dummymail://",
    }


def load_run(
    targets: list[LoadTarget],
    *,
    connections: int = 16,
    seconds: int = 5,
    min_requests: int = 10_000,
    min_rounds: int = 4,
) -> tuple[list[LoadResult], MemoryResult]:
    """Serve the app with gunicorn (deploy/gunicorn.conf.py) and load each target with wrk.

    Rounds of `seconds` per target repeat until `min_requests` were served in all and at
    least `min_rounds` rounds ran. The first round warms the workers; of the later ones, each
    target's figures are those of its median round by requests per second (the lower of the two
    middle ones), so that one round disturbed by the machine neither makes nor breaks a figure.
    Every round's rate is kept in `LoadResult.rounds_rps`. The largest worker's memory is read
    after every round.
    """
    wrk = wrk_path()
    redis, cache_url = start_redis()
    port = free_port()
    env = {
        **os.environ,
        **production_env(),
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1",
        "ROOT_URLCONF": "bench.urls",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "",
        # No recycling of workers: the memory figure is that of a worker that served them all.
        "GUNICORN_MAX_REQUESTS": "0",
        **({"CACHE_URL": cache_url} if cache_url else {}),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "rekisteri.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    try:
        _wait_for_port(port, server)
        script.write(_WRK_SCRIPT)
        script.close()
        runs: dict[str, list[LoadResult]] = {t.label: [] for t in targets}
        memory, total, rounds = [], 0, 0
        while total < min_requests or rounds < min_rounds:
            for target in targets:
                result = _wrk(wrk, script.name, port, target, connections, seconds)
                runs[target.label].append(result)
                total += result.requests
            rounds += 1
            memory.append(max(_rss_mb(p) for p in _children(server.pid)))
        workers = len(_children(server.pid))
        cache = "Redis, sessions from the cache" if cache_url else "per-process (locmem)"
        return [_median_round(r) for r in runs.values()], MemoryResult(
            workers, total, memory, cache
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)
        Path(script.name).unlink(missing_ok=True)


def _median_round(results: list[LoadResult]) -> LoadResult:
    """Return the median round after the warm-up one (the lower middle one), with every rate."""
    warm = sorted(results[1:] or results, key=lambda r: r.rps)
    chosen = warm[(len(warm) - 1) // 2]
    return replace(chosen, rounds_rps=[r.rps for r in results])


def _wrk(wrk, script, port, target: LoadTarget, connections: int, seconds: int) -> LoadResult:
    header_args = [a for k, v in target.headers.items() for a in ("-H", f"{k}: {v}")]
    out = subprocess.run(  # noqa: S603
        [
            wrk,
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "-s",
            script,
            *header_args,
            f"http://127.0.0.1:{port}{target.path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    requests, duration_us, errors, median_ms, p95_ms = re.search(
        r"RESULT (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+)", out
    ).groups()
    if int(errors):
        raise RuntimeError(f"{target.label}: {errors} error answers (non-2xx/3xx) under load")
    return LoadResult(
        target.label,
        int(requests),
        int(requests) / (int(duration_us) / 1e6),
        float(median_ms),
        float(p95_ms),
        target.target,
    )
