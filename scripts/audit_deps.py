"""Audit the locked dependencies with pip-audit, and say plainly when that could not be done.

pip-audit reports "No known vulnerabilities found" even when it could not reach the
vulnerability database and skipped every package. Here a skipped package is counted as NOT
CHECKED and reported in a warning line, without failing the build (an offline machine cannot
check); a known vulnerability found in any package fails it (exit status 1).

Usage: python scripts/audit_deps.py   (from the project folder, with the .venv's Python)
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def summarise(report: dict | None, error: str = "") -> tuple[int, list[str]]:
    """Return the exit status and the lines to print for a pip-audit JSON report."""
    if report is None:
        return 0, [f"WARNING: dependencies NOT CHECKED: pip-audit could not run ({error})."]
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if "skip_reason" in d]
    checked = len(dependencies) - len(skipped)
    lines = []
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version"
            lines.append(
                f"VULNERABLE: {dep['name']} {dep.get('version', '')}: {vuln['id']} ({fixes})"
            )
    if skipped:
        reason = skipped[0]["skip_reason"]
        lines.append(
            f"WARNING: {len(skipped)} of {len(dependencies)} locked packages NOT CHECKED for "
            f"known vulnerabilities (vulnerability database unreachable?): e.g. {reason}"
        )
    if checked and not vulnerable:
        lines.append(f"{checked} locked packages checked: no known vulnerabilities among them.")
    if not dependencies:
        lines.append("WARNING: pip-audit reported no packages at all: NOT CHECKED.")
    return (1 if vulnerable else 0), lines


def main() -> int:
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        requirements = Path(tmp) / "requirements.txt"
        output = Path(tmp) / "audit.json"
        # Fixed argument lists, no shell.
        exported = subprocess.run(  # noqa: S603
            [
                python,
                "-m",
                "uv",
                "export",
                "--frozen",
                "--no-hashes",
                "--no-emit-project",
                "--format",
                "requirements-txt",
                "-q",
                "-o",
                str(requirements),
            ],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        if exported.returncode != 0:
            print(f"uv export failed: {exported.stderr.strip()}")
            return 1
        audited = subprocess.run(  # noqa: S603
            [
                python,
                "-m",
                "pip_audit",
                "-r",
                str(requirements),
                "--no-deps",
                "--disable-pip",
                "--progress-spinner",
                "off",
                "--timeout",
                "10",
                "-f",
                "json",
                "-o",
                str(output),
            ],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            report = json.loads(output.read_text())
        except (OSError, ValueError):
            report = None
        last = (audited.stderr.strip().splitlines() or ["no output"])[-1]
    status, lines = summarise(report, error=last)
    for line in lines:
        print(f"pip-audit: {line}")
    return status


if __name__ == "__main__":
    sys.exit(main())
