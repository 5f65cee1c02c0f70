"""`make audit`'s dependency check: unreachable is NOT CHECKED, a vulnerability fails."""

import importlib.util

from django.conf import settings

from tests.security import figures

_spec = importlib.util.spec_from_file_location(
    "audit_deps", settings.BASE_DIR / "scripts" / "audit_deps.py"
)
audit_deps = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit_deps)

SKIPPED = {
    "name": "django",
    "skip_reason": "Dependency not found on PyPI and could not be audited: django (6.1.3)",
}


def test_an_unreachable_database_is_reported_as_not_checked_without_failing():
    status, lines = audit_deps.summarise({"dependencies": [SKIPPED, {**SKIPPED, "name": "x"}]})
    assert status == 0
    assert any("NOT CHECKED" in line and line.startswith("WARNING") for line in lines)
    assert not any("no known vulnerabilities" in line.lower() for line in lines)
    figures.count("abuse checks")


def test_pip_audit_that_could_not_run_is_not_checked():
    status, lines = audit_deps.summarise(None, error="ConnectionError: osv.dev")
    assert status == 0
    assert lines == [
        "WARNING: dependencies NOT CHECKED: pip-audit could not run (ConnectionError: osv.dev)."
    ]


def test_a_known_vulnerability_fails_the_audit():
    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "6.1.3",
                "vulns": [{"id": "PYSEC-0", "fix_versions": []}],
            },
            {"name": "pypdf", "version": "5.0", "vulns": []},
            SKIPPED,
        ]
    }
    status, lines = audit_deps.summarise(report)
    assert status == 1
    assert "VULNERABLE: django 6.1.3: PYSEC-0 (no fixed version)" in lines
    assert any("NOT CHECKED" in line for line in lines)


def test_only_checked_packages_are_called_free_of_known_vulnerabilities():
    report = {"dependencies": [{"name": "pypdf", "version": "5.0", "vulns": []}, SKIPPED]}
    status, lines = audit_deps.summarise(report)
    assert status == 0
    assert "1 locked packages checked: no known vulnerabilities among them." in lines
