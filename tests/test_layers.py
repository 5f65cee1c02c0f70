"""The apps are layers: the contract holds on this tree, and a breach of it is refused."""

import shutil
import subprocess
import sys

from django.conf import settings

ROOT = settings.BASE_DIR


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


def test_every_app_imports_only_the_layers_below_it():
    result = _run(str(ROOT / ".venv" / "bin" / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout
    assert "1 kept, 0 broken" in result.stdout


def test_the_app_graph_has_no_cycle_and_no_function_local_import_across_apps():
    result = _run(sys.executable, "scripts/check_imports.py")
    print(result.stdout)  # the graph, for whoever reads the test log
    assert result.returncode == 0, result.stdout
    assert "privacy        -> (none)" in result.stdout


def test_an_upward_import_and_a_hidden_one_are_refused(tmp_path):
    # A copy of the tree with two breaches: the core importing the portal at the top of a
    # module, and customers reaching rights from inside a function.
    copy = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "var", ".git", "docs", "tests", "locale", "static", "templates", "*.pyc"
        ),
    )
    (copy / "privacy" / "breach.py").write_text("from portal import views  # noqa: F401\n")
    (copy / "customers" / "breach.py").write_text(
        "def later():\n"
        "    from rights.models import DataSubjectRequest\n"
        "\n"
        "    return DataSubjectRequest\n"
    )
    layers = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "lint-imports"), "--no-cache"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert layers.returncode != 0
    assert "privacy.breach -> portal.views" in layers.stdout
    local = subprocess.run(
        [sys.executable, str(copy / "scripts" / "check_imports.py")],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert local.returncode == 1
    assert "customers/breach.py:2: `rights.models` is imported inside later()" in local.stdout
