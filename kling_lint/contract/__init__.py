"""The contract: what a request must be. ``check(request)`` gives every problem with it.

The schema (schema/) states what it can; rules.py words its violations and adds what it cannot
state. ``check`` asks the compiled schema's yes/no question first and lists violations only for
a request that fails it. ``explain_always=True`` lists them every time; tests use it to show
that both paths find the same problems, and hold the compiled schema to jsonschema's verdict.
"""

from __future__ import annotations

from typing import Any

from ..findings import Problem
from .conforms import conforms
from .registry import RULES, Rule
from .rules import code_rules
from . import image_rules  # noqa: F401, E402 - registers the image rules after rules.py's

__all__ = ["RULES", "Rule", "check"]


def check(request: Any, explain_always: bool = False) -> list[Problem]:
    problems: list[Problem] = []
    if explain_always or not conforms(request):
        from .schema_errors import schema_problems

        problems.extend(schema_problems(request))
    for rule in code_rules():
        problems.extend(rule.function(request))
    return problems
