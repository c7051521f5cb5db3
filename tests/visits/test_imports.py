"""No import circle under nightout/visits: the services queue the tasks, the tasks run the
worker and the notices, and neither imports back. Imports inside functions count too."""

import ast
from pathlib import Path

import nightout.visits

VISITS = Path(nightout.visits.__file__).parent


def _module_name(root: Path, path: Path, package: str) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([package, *parts])


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Module -> the modules of `package` it imports, anywhere in its body. Importing
    `a.b.c` runs `a.b`'s `__init__` first, unless `a.b` holds the importing module itself."""
    modules = {_module_name(root, p, package): p for p in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        here = name if is_package else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = here.split(".")[: len(here.split(".")) - node.level + 1]
                    base = ".".join(up + ([base] if base else []))
                targets.add(base)
                targets |= {f"{base}.{alias.name}" for alias in node.names}
        ancestors = {name.rsplit(".", n)[0] for n in range(1, name.count(".") + 1)}
        found = set()
        for target in targets:
            parts = target.split(".")
            for n in range(1, len(parts) + 1):
                module = ".".join(parts[:n])
                if module in modules and module != name and module not in ancestors:
                    found.add(module)
        graph[name] = found
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every circle found by a depth-first walk, each as the path that closes it."""
    found, done, path = [], set(), []

    def walk(module: str) -> None:
        if module in path:
            found.append([*path[path.index(module):], module])
            return
        if module in done:
            return
        path.append(module)
        for target in sorted(graph.get(module, ())):
            walk(target)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        walk(module)
    return found


def test_nothing_under_visits_imports_in_a_circle():
    graph = import_graph(VISITS, "nightout.visits")
    assert "nightout.visits.worker" in graph["nightout.visits.tasks"]
    assert "nightout.visits.tasks" in graph["nightout.visits.services.versions"]
    assert circles(graph) == []


def test_the_circle_finder_sees_function_level_imports_and_package_inits(tmp_path):
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "tasks.py").write_text("from pkg.services import worker\n")
    services = tmp_path / "services"
    services.mkdir()
    (services / "__init__.py").write_text("from pkg.services.queue import build\n")
    (services / "queue.py").write_text("def build():\n    from pkg import tasks\n")
    (services / "worker.py").write_text("from . import queue\n")
    graph = import_graph(tmp_path, "pkg")
    # tasks -> services (the package's __init__, run before its worker) -> queue -> tasks
    assert ["pkg.services", "pkg.services.queue", "pkg.tasks", "pkg.services"] in circles(graph)
    # A module importing its own package's siblings does not run that package again.
    assert "pkg.services" not in graph["pkg.services.worker"]
