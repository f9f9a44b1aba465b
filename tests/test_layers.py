"""The house's layering (docs/architecture.md), read from the source with `ast`: lib/ is
pure, the domain apps never import the doors, and the web and the demo stay apart."""

import ast
from collections.abc import Iterator
from pathlib import Path

import musow

SRC = Path(musow.__file__).resolve().parent
DOORS = ("musow.web", "musow.api", "musow.cli")
DOMAIN = (
    "accounts",
    "activities",
    "analytics",
    "audit",
    "geo",
    "indicators",
    "intake",
    "mainstreaming",
    "protection",
    "reports",
    "representation",
    "trainings",
)
# Imports of a door by a domain app that are allowed, each with its reason.
ALLOWED = {
    # The programme's own pages (a door inside the app, like web/ views) show a review's
    # history with the web door's presenter, shared by every page that shows a history.
    ("mainstreaming/views.py", "musow.web.history"),
}


def _imports(path: Path, *, top_only: bool = False) -> list[tuple[int, str]]:
    """(line, module) of every absolute import in the file; with `top_only`, those that run
    when the module is imported (not inside a function, which runs when it is called)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in _walk(tree, into_functions=not top_only):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            # `from musow import web` imports musow.web
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _walk(node: ast.AST, *, into_functions: bool) -> Iterator[ast.AST]:
    for child in ast.iter_child_nodes(node):
        if not into_functions and isinstance(
            child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
        ):
            continue
        yield child
        yield from _walk(child, into_functions=into_functions)


def _is(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _allowed(path: Path, module: str) -> bool:
    return any(
        str(path.relative_to(SRC)) == where and _is(module, allowed) for where, allowed in ALLOWED
    )


def _modules(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py"))


def test_lib_imports_no_musow_app_anywhere():
    """lib/ holds helpers with no domain: they are handed what they draw or format (the
    map its shapes), and read no app's models, not even inside a function."""
    found = [
        f"{path.relative_to(SRC)}:{line} imports {module}"
        for path in _modules("lib")
        for line, module in _imports(path)
        if _is(module, "musow") and not _is(module, "musow.lib")
    ]
    assert found == []


def test_the_domain_apps_never_import_the_doors_at_module_level():
    found = [
        f"{path.relative_to(SRC)}:{line} imports {module}"
        for app in DOMAIN
        for path in _modules(app)
        for line, module in _imports(path, top_only=True)
        if any(_is(module, door) for door in DOORS) and not _allowed(path, module)
    ]
    assert found == []


def test_the_allowed_exceptions_still_exist():
    """An exception that is no longer needed is removed from the list."""
    for where, module in ALLOWED:
        assert module in {m for _line, m in _imports(SRC / where, top_only=True)}, where


def test_the_web_and_the_demo_do_not_import_each_other():
    web_to_demo = [
        f"{path.relative_to(SRC)}:{line}"
        for path in _modules("web")
        for line, module in _imports(path)
        if _is(module, "musow.demo")
    ]
    demo_to_web = [
        f"{path.relative_to(SRC)}:{line}"
        for path in _modules("demo")
        for line, module in _imports(path)
        if _is(module, "musow.web")
    ]
    assert (web_to_demo, demo_to_web) == ([], [])


def test_no_app_imports_the_demo_or_the_operations():
    """The demo data and the project's operations (setup, backup, restore) sit on top:
    they use the apps, no app uses them."""
    found = [
        f"{path.relative_to(SRC)}:{line} imports {module}"
        for path in sorted(SRC.rglob("*.py"))
        if path.relative_to(SRC).parts[0] not in ("demo", "operations")
        for line, module in _imports(path)
        if _is(module, "musow.demo") or _is(module, "musow.operations")
    ]
    assert found == []
