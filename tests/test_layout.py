"""The house layout: the planner core and the geo helpers stay pure Python."""

import ast
from pathlib import Path

import pytest

import nightout

PACKAGE = Path(nightout.__file__).parent
PURE = ["planner", "geo"]


def django_imports(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            found += [f"{path.relative_to(folder)}:{node.lineno} {n}" for n in names
                      if n == "django" or n.startswith("django.")]
    return found


@pytest.mark.parametrize("package", PURE)
def test_pure_package_does_not_import_django(package):
    assert (PACKAGE / package / "__init__.py").exists()
    assert django_imports(PACKAGE / package) == []


def test_django_import_finder_sees_every_form(tmp_path):
    (tmp_path / "a.py").write_text("import django\n")
    (tmp_path / "b.py").write_text("from django.db import models\n")
    (tmp_path / "c.py").write_text("def f():\n    import django.conf as c\n")
    (tmp_path / "d.py").write_text("import djangoish\nfrom . import django\n")
    found = django_imports(tmp_path)
    assert len(found) == 3
    assert not any("djangoish" in f for f in found)


def test_no_module_is_called_utils():
    assert not [p for p in PACKAGE.rglob("utils.py")]
