"""How the package's modules import each other: no circle, no other module's private names."""

from __future__ import annotations

import ast
from pathlib import Path

import tsunagari

ROOT = Path(tsunagari.__file__).parent
KNOWN: set[tuple[str, str, str]] = set()  # (importer, module, private name): none left


def _modules() -> dict[str, ast.Module]:
    out = {}
    for f in ROOT.rglob("*.py"):
        parts = f.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts).removesuffix(".__init__")
        out[name] = ast.parse(f.read_text(encoding="utf-8"))
    return out


def _imports(tree: ast.Module) -> list[tuple[str, list[str]]]:
    """(module, names) of every import in the file, deferred ones (inside functions) too."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names]
    return out


def test_no_module_imports_another_modules_private_names() -> None:
    found = {
        (name, module, n)
        for name, tree in _modules().items()
        for module, names in _imports(tree)
        if module.startswith("tsunagari") and module != name
        for n in names
        if n.startswith("_") and not n.startswith("__")
    }
    assert found == KNOWN


def test_no_import_circle() -> None:
    modules = _modules()
    deps = {
        name: {m for m, _ in _imports(tree) if m in modules and m != name}
        for name, tree in modules.items()
    }
    # a package's __init__ may re-export its own modules; that is not a circle
    deps = {k: {d for d in v if not k.startswith(d + ".")} for k, v in deps.items()}
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        for dep in sorted(deps[name]):
            assert dep not in path, " -> ".join([*path[path.index(dep) :], dep])
            if dep not in done:
                visit(dep, [*path, dep])
        done.add(name)

    for name in sorted(deps):
        visit(name, [name])
