"""The house reads top-down: no import cycles (lazy imports included), and the engine
layer is pure (no I/O, terminal, prompt or clock modules)."""

from __future__ import annotations

import ast
from pathlib import Path

import eo_advisor

PACKAGE = Path(eo_advisor.__file__).parent
ENGINE_LAYER = ("engine", "review", "rating", "ruleset", "result", "reasons", "profile", "rules", "amounts", "limits", "errors")
FORBIDDEN_IN_ENGINE = {
    "eo_advisor.files",
    "eo_advisor.cli",
    "eo_advisor.termenv",
    "eo_advisor.prompts",
    "eo_advisor.batch",
    "eo_advisor.formats",
    "rich",
    "questionary",
    "prompt_toolkit",
    "typer",
    "os",
    "sys",
    "subprocess",
    "time",
}


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


def test_engine_layer_does_no_io():
    for name in ENGINE_LAYER:
        path = PACKAGE / ("rules/__init__.py" if name == "rules" else f"{name}.py")
        imported = _imports(path)
        if name in ("rules", "profile", "errors", "limits"):  # the edge: reads packaged data, validates input
            continue
        bad = {m for m in imported if m in FORBIDDEN_IN_ENGINE or any(m.startswith(f + ".") for f in FORBIDDEN_IN_ENGINE)}
        assert not bad, f"{name} imports {bad}"
        source = path.read_text(encoding="utf-8")
        for call in ("print(", "open(", "date.today(", "datetime.now("):
            assert call not in source, f"{name} calls {call}"


def test_the_public_names_are_the_lazy_ones():
    assert set(eo_advisor.__all__) == {"__version__", *eo_advisor._LAZY}
    for name in eo_advisor.__all__:
        assert getattr(eo_advisor, name) is not None
