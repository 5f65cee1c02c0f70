"""Print the app-level import graph and refuse what the layer contract cannot see.

The layers themselves are import-linter's contract in pyproject.toml (`make audit` runs both).
This script adds two rules:

- the app-level graph has no cycle (it is printed, one line per app, with what each imports);
- no import inside a function reaches another app. Such imports hide a dependency from the
  reader and were once used to dodge import cycles; the only ones allowed are the ones Django
  forces: models and signal handlers imported in an `AppConfig.ready()`.

Exits 1 with one line per problem. Tests, migrations and the virtualenv are not scanned.
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "venv", "tests", "static", "templates", "locale", "docs", "scripts", "var"}


def project_apps() -> list[str]:
    return sorted(
        p.name
        for p in ROOT.iterdir()
        if p.is_dir() and p.name not in SKIP and (p / "__init__.py").exists()
    )


def imported_modules(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module]
    return []


def scan(apps: list[str]) -> tuple[dict[str, set[str]], list[str]]:
    """Return the app-level edges and the function-local cross-app imports found."""
    edges: dict[str, set[str]] = defaultdict(set)
    problems = []
    for app in apps:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            _walk(tree, app, path, None, edges, problems, apps)
    return edges, problems


def _walk(node, app, path, function, edges, problems, apps) -> None:
    for child in ast.iter_child_nodes(node):
        for module in imported_modules(child):
            target = module.split(".")[0]
            if target not in apps or target == app:
                continue
            edges[app].add(target)
            if function is not None and not (path.name == "apps.py" and function == "ready"):
                where = path.relative_to(ROOT)
                problems.append(
                    f"{where}:{child.lineno}: `{module}` is imported inside {function}(); "
                    "import it at the top of the module"
                )
        inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else None
        _walk(child, app, path, inner or function, edges, problems, apps)


def cycles(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    def reaches(start: str, goal: str) -> bool:
        seen, stack = set(), [start]
        while stack:
            current = stack.pop()
            if current == goal:
                return True
            if current not in seen:
                seen.add(current)
                stack.extend(edges.get(current, ()))
        return False

    return sorted({tuple(sorted((a, b))) for a in edges for b in edges[a] if reaches(b, a)})


def main() -> int:
    apps = project_apps()
    edges, problems = scan(apps)
    print("App imports (app -> the apps it imports):")
    for app in apps:
        print(f"  {app:<14} -> {', '.join(sorted(edges.get(app, ()))) or '(none)'}")
    # The project package holds both the bottom glue (tasks, cache) and the top (urls,
    # operations); import-linter checks its modules one by one, so it is left out of cycles.
    loops = cycles({a: {b for b in bs if b != "rekisteri"} for a, bs in edges.items()})
    problems += [f"apps {a} and {b} import each other" for a, b in loops]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} import problem(s).")
        return 1
    print("No cycle between apps; no function-local import reaches another app.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
