"""Rules of the architecture that an import graph cannot see, checked over the source.

Views and management commands never write models directly: they validate input and call an
action, which checks permission, writes, and audits in one transaction. This module finds
every direct write in a view or command module: a ``.save()`` or ``.delete()`` call, or a
write method called on a manager or queryset (``X.objects.create(...)``,
``...filter(...).update(...)``). ``test_rules.py`` runs it over ``src/wraparound``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

WRITES_ANYWHERE = frozenset({"save", "delete"})
QUERYSET_WRITES = frozenset(
    {"create", "update", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
)
# The calls that build a queryset: a write method called on one of these is a database write.
QUERYSET_BUILDERS = frozenset(
    {"objects", "filter", "exclude", "all", "select_related", "prefetch_related", "order_by"}
)


@dataclass(frozen=True)
class DirectWrite:
    path: str
    line: int
    call: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.call} writes a model outside an action"


def is_view_or_command(path: Path) -> bool:
    """Whether ``path`` holds views or a management command (where writes are not allowed)."""
    parts = path.parts
    return (
        path.name.startswith("views")
        or "views" in parts
        or ("management" in parts and "commands" in parts)
    )


def _receiver_builds_a_queryset(node: ast.expr) -> bool:
    while True:
        if isinstance(node, ast.Attribute):
            if node.attr in QUERYSET_BUILDERS:
                return True
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            return False


def direct_writes(source: str, path: str) -> Iterator[DirectWrite]:
    """Each direct model write in ``source`` (the text of the module at ``path``)."""
    for node in ast.walk(ast.parse(source, filename=path)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        method = node.func.attr
        if method in WRITES_ANYWHERE or (
            method in QUERYSET_WRITES and _receiver_builds_a_queryset(node.func.value)
        ):
            yield DirectWrite(path, node.lineno, f".{method}()")


def writes_outside_actions(root: Path) -> list[DirectWrite]:
    """Every direct write in the view and command modules under ``root``."""
    found: list[DirectWrite] = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if is_view_or_command(relative):
            found.extend(direct_writes(path.read_text(), str(relative)))
    return found
