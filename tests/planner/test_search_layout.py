"""Only `nightout/planner/search/` imports PyVRP; the rest of the planner works without it."""

import ast
from pathlib import Path

import nightout.planner

PLANNER = Path(nightout.planner.__file__).parent


def pyvrp_imports(folder: Path) -> list[str]:
    """Every `import pyvrp...` or `from pyvrp... import` below `folder`, as path:line."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            if any(n == "pyvrp" or n.startswith("pyvrp.") for n in names):
                found.append(f"{path.relative_to(folder)}:{node.lineno}")
    return found


def test_only_the_search_package_imports_pyvrp():
    found = pyvrp_imports(PLANNER)
    assert found, "the search imports PyVRP somewhere"
    assert [f for f in found if not f.startswith("search/")] == []


def test_the_tuning_and_the_fair_share_import_neither_pyvrp_nor_numpy():
    for name in ("params.py", "fair_share.py"):
        tree = ast.parse((PLANNER / name).read_text())
        modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                   for alias in node.names}
        modules |= {node.module or "" for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom)}
        assert not {m for m in modules if m.split(".")[0] in ("pyvrp", "numpy")}, name
