"""The house reads top-down: no import cycles (lazy imports included), and the engine
layer is pure (no I/O, terminal, prompt or clock modules)."""

from __future__ import annotations

import ast
from pathlib import Path

import eo_advisor

PACKAGE = Path(eo_advisor.__file__).parent
# The layers, top to bottom: a module may import its own layer and the layers below it,
# never one above (lazy imports inside functions count; TYPE_CHECKING blocks do not).
# CONTRIBUTING.md describes them.
LAYERS = ("cli", "batch", "api", "contracts", "formats", "advice", "profile", "rules", "edge", "errors", "version")
PURE_LAYERS = ("advice",)  # decides: no I/O, terminal, prompt or clock
FORBIDDEN_IN_PURE = {
    "eo_advisor.edge.files",
    "eo_advisor.edge.terminal",
    "rich",
    "questionary",
    "prompt_toolkit",
    "typer",
    "os",
    "sys",
    "subprocess",
    "time",
    "pathlib",
}
MAX_LOOSE_MODULES = 10


def _module(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (functions too), TYPE_CHECKING blocks excepted."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    me = _module(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for n in ast.walk(node))
    out = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
                if node.module is None:  # from . import x -> the submodules
                    out.update(f"{target}.{a.name}" for a in node.names)
                else:
                    out.add(target)
            else:
                out.add(node.module or "")
    return out


GRAPH = {_module(p): {m for m in _imports(p) if m.startswith("eo_advisor")} for p in PACKAGE.rglob("*.py")}


def test_no_import_cycles():
    known = set(GRAPH)
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for dep in sorted(GRAPH.get(m, ())):
            if dep not in known or dep == "eo_advisor":
                continue
            if state.get(dep) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*stack[stack.index(dep) :], dep]))
            if dep not in state:
                visit(dep)
        stack.pop()
        state[m] = 2

    for m in sorted(known):
        if m not in state:
            visit(m)


def layer(module: str) -> str:
    """The layer of a module: its sub-package, or the top module's own name."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in ("__init__", "__main__"):
        return "version" if len(parts) == 1 or parts[1] == "__init__" else "cli"
    return parts[1]


def test_every_module_is_in_a_layer():
    assert {layer(m) for m in GRAPH} <= set(LAYERS), {layer(m) for m in GRAPH} - set(LAYERS)


def test_imports_point_down_the_layers():
    rank = {name: i for i, name in enumerate(LAYERS)}
    up = [
        f"{m} ({layer(m)}) imports {d} ({layer(d)})"
        for m, deps in sorted(GRAPH.items())
        for d in sorted(deps)
        if d != "eo_advisor" and rank[layer(d)] < rank[layer(m)]
    ]
    # the package root only holds __version__ and names resolved lazily at run time
    assert not up, "imports that point up the layers:\n" + "\n".join(up)


def test_the_advice_layer_does_no_io():
    for path in (PACKAGE / "advice").rglob("*.py"):
        imported = _imports(path)
        bad = {m for m in imported if m in FORBIDDEN_IN_PURE or any(m.startswith(f + ".") for f in FORBIDDEN_IN_PURE)}
        assert not bad, f"{path.name} imports {bad}"
        source = path.read_text(encoding="utf-8")
        for call in ("print(", "open(", "date.today(", "datetime.now(", "input("):
            assert call not in source, f"{path.name} calls {call}"


def test_result_data_never_imports_the_wording():
    for name in ("result", "options", "compare"):
        imported = _imports(PACKAGE / "advice" / f"{name}.py") | _type_only_imports(PACKAGE / "advice" / f"{name}.py")
        assert not {m for m in imported if m.startswith("eo_advisor.formats")}, name


def _type_only_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in ast.walk(node):
                if isinstance(sub, ast.ImportFrom) and not sub.level:
                    out.add(sub.module or "")
    return out


def test_few_modules_loose_at_the_top():
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(loose) <= MAX_LOOSE_MODULES, loose


def test_the_public_names_are_the_lazy_ones():
    assert set(eo_advisor.__all__) == {"__version__", *eo_advisor._LAZY}
    for name in eo_advisor.__all__:
        assert getattr(eo_advisor, name) is not None
