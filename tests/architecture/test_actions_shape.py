"""Every action has the same shape: keyword-only arguments and a typed actor, ``by: Actor``.

An action is a public function of an app's ``actions`` module (or of a module of its
``actions`` package); ``check_*`` functions only
check, and take the user they check. A new action written with ``by: Any``, or without an
actor at all, fails here.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil

import pytest

import wraparound
from wraparound.access.actors import System, require_actor


def _action_modules(app: str) -> list[str]:
    """An app's ``actions`` module, or every module of its ``actions`` package."""
    spec = importlib.util.find_spec(f"wraparound.{app}.actions")
    if spec is None:
        return []
    if spec.submodule_search_locations is None:
        return [spec.name]
    return [
        f"{spec.name}.{info.name}"
        for info in pkgutil.iter_modules(spec.submodule_search_locations)
        if info.name != "checks"  # what the actions check of their input: not actions
    ]


ACTION_MODULES = sorted(
    module
    for info in pkgutil.iter_modules(wraparound.__path__)
    if info.ispkg
    for module in _action_modules(info.name)
)
ACTIONS = [
    (module, name, function)
    for module in ACTION_MODULES
    for name, function in inspect.getmembers(importlib.import_module(module), inspect.isfunction)
    if function.__module__ == module and not name.startswith(("_", "check_"))
]


def test_every_app_that_changes_state_has_its_actions_found():
    assert {m.split(".")[1] for m in ACTION_MODULES} >= {
        "capacity", "caseload", "directory", "door", "fhir", "referrals", "scheduling",
        "workforce",
    }  # fmt: skip
    assert len(ACTIONS) >= 30


@pytest.mark.parametrize(("module", "name", "function"), ACTIONS, ids=[a[1] for a in ACTIONS])
def test_each_action_takes_a_keyword_only_typed_actor(module, name, function):
    parameters = inspect.signature(function).parameters
    assert "by" in parameters, f"{module}.{name} names no actor"
    by = parameters["by"]
    assert by.kind is inspect.Parameter.KEYWORD_ONLY, f"{module}.{name}: by is not keyword-only"
    assert by.annotation == "Actor", f"{module}.{name}: by is {by.annotation}, not Actor"
    assert by.default is inspect.Parameter.empty, f"{module}.{name}: the actor is optional"
    positional = [
        p for p in parameters.values() if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    ]
    assert len(positional) <= 1, f"{module}.{name}: takes {len(positional)} positional arguments"


def test_only_a_user_or_the_system_can_act():
    assert require_actor(System("tests")) == System("tests")
    with pytest.raises(TypeError, match="by: an action needs a user or the system"):
        require_actor("admin")
