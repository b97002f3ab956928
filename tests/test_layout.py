"""The floor plan stays readable: an import of project code inside a function says why it is not at the top of
its module (the layers and circles themselves are checked by `lint-imports`, in `make lint`)."""

import ast
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = {
    "accounts", "api", "bench", "blog", "checkout", "config", "demo", "home", "infopages", "products", "reviews",
    "search", "tests", "theme", "website",
}  # fmt: skip


def _python_files():
    listed = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True)
    for name in listed.stdout.split():
        parts = Path(name).parts
        if "migrations" in parts or "tests" in parts or name.endswith("conftest.py") or parts[0] == "bench":
            continue
        yield ROOT / name


def _is_project_import(node):
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] in PROJECT_PACKAGES
    return isinstance(node, ast.Import) and any(alias.name.split(".")[0] in PROJECT_PACKAGES for alias in node.names)


def _explained(lines, node, function):
    """A comment on the import's line, or among the comment lines and imports just above it in the function."""
    if "#" in lines[node.lineno - 1]:
        return True
    number = node.lineno - 1
    while number > function.lineno:
        line = lines[number - 1].strip()
        if line.startswith("#"):
            return True
        if not (line == "" or line.startswith(("from ", "import ")) or line.startswith(('"', "'"))):
            return False
        number -= 1
    return False


def unexplained_local_imports():
    found = []
    for path in _python_files():
        source = path.read_text()
        lines = source.splitlines()
        for function in ast.walk(ast.parse(source)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                local = isinstance(node, ast.Import | ast.ImportFrom) and _is_project_import(node)
                if local and not _explained(lines, node, function):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return found


def test_an_import_of_project_code_inside_a_function_says_why():
    assert unexplained_local_imports() == []


def test_the_check_finds_an_unexplained_local_import():
    source = "def f():\n    x = 1\n    from checkout.models import Order\n    return Order\n"
    function = ast.parse(source).body[0]
    node = function.body[1]
    assert not _explained(source.splitlines(), node, function)
    explained = "def f():\n    # checkout.models imports this module\n    from checkout.models import Order\n"
    function = ast.parse(explained).body[0]
    assert _explained(explained.splitlines(), function.body[0], function)


def test_every_apps_tests_are_collected():
    """A tests/ folder outside pytest's testpaths never runs in CI (the reviews app's once did not)."""
    testpaths = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["testpaths"])
    with_tests = {path.parent.parent.name for path in ROOT.glob("*/tests/test_*.py")} | {"tests"}
    assert with_tests - testpaths == set()
