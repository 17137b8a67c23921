"""Smart ignores: code that frameworks call by convention, which no name lookup can see.

All of them are switched off by ``smart-ignores = false``, which gives vulture's answer.

- pytest: fixtures (``@pytest.fixture``, ``@pytest_asyncio.fixture``), hook implementations
  (functions named ``pytest_*``: in ``conftest.py`` or any plugin module), and the arguments
  of fixtures, hooks and ``test_*`` functions in test files (pytest passes them by name).
- Record classes: the fields (class-level assignments) of dataclasses, attrs classes,
  pydantic models and settings, ``NamedTuple`` and ``TypedDict`` classes.
- Exports: names listed in ``__all__`` written as ``__all__ += [...]``,
  ``__all__.extend([...])``, ``__all__.append("x")``, ``__all__: list[str] = [...]`` or
  ``__all__ = [...] + [...]`` (vulture reads only a plain ``__all__ = [...]``).
- Entry points: objects named by ``[project.scripts]``, ``[project.gui-scripts]``,
  ``[project.entry-points.*]`` and ``[tool.poetry.scripts]`` in the root ``pyproject.toml``.
- Framework decorators: definitions decorated with one of ``FRAMEWORK_DECORATORS``.
"""

from __future__ import annotations

from pathlib import Path

from agentrails.engine.config.tomlfile import TomlError, read_toml

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ast
    from typing import Any

FIXTURE_DECORATORS = frozenset({
    "@pytest.fixture", "@fixture", "@pytest.yield_fixture", "@yield_fixture",
    "@pytest_asyncio.fixture",
})
RECORD_DECORATORS = frozenset({
    "@dataclass", "@dataclasses.dataclass", "@pydantic.dataclasses.dataclass",
    "@attr.s", "@attr.attrs", "@attr.dataclass", "@attr.define", "@attr.frozen",
    "@attr.mutable", "@attrs.define", "@attrs.frozen", "@attrs.mutable",
    "@define", "@frozen", "@mutable",
})
RECORD_BASES = frozenset({"NamedTuple", "TypedDict", "BaseModel", "BaseSettings", "RootModel"})

FRAMEWORK_DECORATORS = (
    # web routes: Flask, FastAPI, Starlette, Sanic, aiohttp, Litestar
    "@*.route", "@*.get", "@*.post", "@*.put", "@*.patch", "@*.delete", "@*.head",
    "@*.options", "@*.websocket", "@*.api_route", "@*.errorhandler", "@*.exception_handler",
    "@*.before_request", "@*.after_request", "@*.teardown_request", "@*.context_processor",
    "@*.template_filter", "@*.template_global", "@*.middleware", "@*.on_event",
    # command lines: click, typer
    "@click.*", "@*.command", "@*.group", "@*.callback",
    # signals, tasks, registries: Django, Celery, SQLAlchemy, pluggy, atexit
    "@receiver", "@*.receiver", "@*.task", "@shared_task", "@*.register", "@register.*",
    "@admin.*", "@*.listens_for", "@*.hookimpl", "@hookimpl",
    # validators and serializers: pydantic, attrs, marshmallow
    "@validator", "@root_validator", "@field_validator", "@model_validator",
    "@field_serializer", "@model_serializer", "@computed_field", "@*.validator",
    "@validates", "@validates_schema", "@pre_load", "@post_load", "@pre_dump", "@post_dump",
)


def is_fixture(decorators: tuple[str, ...]) -> bool:
    """Decorated as a pytest fixture."""
    return any(name in FIXTURE_DECORATORS for name in decorators)


def is_record_class(node: ast.ClassDef, decorators: tuple[str, ...]) -> bool:
    """A dataclass, attrs class, pydantic model, NamedTuple or TypedDict."""
    import ast  # these helpers serve the collector: a run that analyses nothing skips ast

    if any(name in RECORD_DECORATORS for name in decorators):
        return True
    for base in node.bases:
        if type(base) is ast.Subscript:
            base = base.value
        if type(base) is ast.Attribute and base.attr in RECORD_BASES:
            return True
        if type(base) is ast.Name and base.id in RECORD_BASES:
            return True
    return False


def record_fields(node: ast.ClassDef) -> list[ast.Name]:
    """The name targets of the class body's own (annotated) assignments."""
    import ast

    fields = []
    for statement in node.body:
        if type(statement) is ast.AnnAssign:
            targets = [statement.target]
        elif type(statement) is ast.Assign:
            targets = statement.targets
        else:
            continue
        fields.extend(target for target in targets if type(target) is ast.Name)
    return fields


def entry_point_names(root: str) -> frozenset[str]:
    """Every object name in the entry points of ``root/pyproject.toml`` (none if unreadable)."""
    try:
        data = read_toml(Path(root) / "pyproject.toml")
    except (OSError, UnicodeDecodeError, TomlError):
        return frozenset()
    names: set[str] = set()
    for table in entry_point_tables(data):
        for value in table.values():
            if isinstance(value, dict):
                value = value.get("callable") or value.get("reference")
            if isinstance(value, str):
                names.update(target_names(value))
    return frozenset(names)


def entry_point_tables(data: dict[str, Any]) -> list[dict[str, Any]]:
    project = data.get("project")
    project = project if isinstance(project, dict) else {}
    groups = project.get("entry-points")
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    tables = [project.get("scripts"), project.get("gui-scripts")]
    if isinstance(groups, dict):
        tables.extend(groups.values())
    if isinstance(poetry, dict):
        tables.append(poetry.get("scripts"))
    return [table for table in tables if isinstance(table, dict)]


def target_names(reference: str) -> list[str]:
    """``pkg.mod:obj.attr [extra]`` -> ``["obj", "attr"]``; a bare module names nothing."""
    _, colon, target = reference.partition(":")
    if not colon:
        return []
    target = target.split("[", 1)[0].strip()
    return [part.strip() for part in target.split(".") if part.strip()]
