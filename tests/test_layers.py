"""The pipeline's layers go one way (README, Development): a stage imports only from the stages
before it, from `infra/` and from `errors.py`, never from a later one. Read from the source, so
an import inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import helpgen

PACKAGE = Path(helpgen.__file__).parent
# What each stage's modules may import from helpgen, besides their own folder.
ALLOWED = {
    "settings": {"errors"},
    "content": {"errors", "infra", "settings"},
    "output": {"errors", "infra", "settings", "content"},
}


def helpgen_imports(path: Path) -> set[str]:
    """The top-level parts of helpgen (`settings`, `output`, `errors`…) a module imports."""
    parts = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        parts.update(name.split(".")[1] for name in names
                     if name.startswith("helpgen.") and name.count(".") >= 1)
    return parts


@pytest.mark.parametrize("stage", sorted(ALLOWED))
def test_a_stage_imports_nothing_from_a_later_one(stage):
    later = {path.relative_to(PACKAGE.parent).as_posix(): sorted(imported)
             for path in sorted((PACKAGE / stage).rglob("*.py"))
             if (imported := helpgen_imports(path) - ALLOWED[stage] - {stage})}
    assert not later, later
