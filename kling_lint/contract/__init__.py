"""The contract: what a request must be. ``Contract(schema).check(request)`` gives every problem.

The schema (schema/) states what it can and names the rule of each constraint; rules.py words
its violations and adds what it cannot state. A Contract (contract.py) holds all that is derived
from one schema. ``check`` asks the compiled schema's yes/no question first and lists violations
only for a request that fails it; ``explain_always=True`` lists them every time, which tests use
to show that both paths find the same problems.
"""

from __future__ import annotations

from typing import Any

from ..findings import Problem
from .contract import Contract, Field, default_contract
from .registry import Rule

__all__ = ["RULES", "Contract", "Field", "Rule", "check", "default_contract"]


def check(request: Any, explain_always: bool = False, contract: Contract | None = None) -> list[Problem]:
    return (contract or default_contract()).check(request, explain_always)


def __getattr__(name: str) -> Any:
    if name == "RULES":  # the packaged contract's rules, with their severities and words
        return default_contract().rules
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
