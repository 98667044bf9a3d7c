"""Schema violations, worded by their rules: the explanation of an invalid request.

A violation's rule is the one the schema names where it failed (Contract.rule_for, from the
schema's x-kling-rule annotations), never guessed from its path. A cross-field constraint (a
``not`` or ``dependentRequired``) points at the first key it is about.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..findings import Path, Problem
from .conforms import Violation
from .rules import SchemaError

if TYPE_CHECKING:
    from .contract import Contract

# How many recent violations a repeat is looked for among: more than one value's constraints.
_RECENT = 64


def schema_problems(found: Iterable[Violation], contract: Contract) -> Iterator[Problem]:
    """One problem per broken schema constraint, at most one per rule and path, as they come.

    The violations of one value come together (its type error first), so repeats are looked for
    among the recent ones only: memory stays the same however many values are wrong."""
    typed: deque[Path] = deque(maxlen=_RECENT)
    seen: deque[tuple[str, Path]] = deque(maxlen=_RECENT)
    for violation in found:
        if violation.keyword == "type":
            typed.append(violation.path)
        elif violation.path in typed:
            continue  # a value of the wrong type: its type error says it all
        for problem in _explain(violation, contract):
            key = (problem.rule, problem.path)
            if key not in seen:
                seen.append(key)
                yield problem


def _explain(violation: Violation, contract: Contract) -> list[Problem]:
    if violation.keyword == "required" and _misspelt(violation, contract):
        return []  # one mistake, one finding: the unknown key's, which names the key it stands for
    if violation.keyword == "additionalProperties":
        known = violation.schema.get("properties", {})
        return [_problem(violation.path + (key,), violation, key, contract, True) for key in violation.value if key not in known]
    anchor = _anchor(violation)
    if anchor is not None:
        return [_problem(violation.path + (anchor,), violation, violation.value, contract, True)]
    return [_problem(violation.path, violation, violation.value, contract, False)]


def _misspelt(violation: Violation, contract: Contract) -> bool:
    """Every missing required key is written under another name in the same object ({"id": …}
    for {"element_id": …}), which its unknown-key finding names."""
    value = violation.value
    if type(value) is not dict or violation.schema.get("additionalProperties") is not False:
        return False
    from .suggest import meant_keys

    known = violation.schema.get("properties", {})
    where = tuple("*" if isinstance(part, int) else part for part in violation.path)
    meant = {name for key in value if key not in known for place, name in meant_keys(str(key), violation.path, contract) if place == where}
    return all(name in meant for name in violation.argument if name not in value)


def _anchor(violation: Violation) -> str | None:
    """The key a cross-field violation is about: the first key a ``not`` forbids together, or
    the key whose ``dependentRequired`` partner is missing."""
    if violation.keyword == "not" and isinstance(violation.argument, dict):
        required = violation.argument.get("required") or [None]
        return required[0]
    if violation.keyword == "dependentRequired" and isinstance(violation.value, dict):
        for key, needs in violation.argument.items():
            if key in violation.value and any(need not in violation.value for need in needs):
                return str(key)
    return None


def _problem(path: Path, violation: Violation, value: Any, contract: Contract, at_key: bool) -> Problem:
    rule = contract.rules[contract.rule_for(violation.schema, violation.keyword) or ""]
    error = SchemaError(path, violation.keyword, violation.argument, value, violation.schema)
    words = rule.function(error, contract)  # type: ignore[misc]
    repair = words[2] if len(words) > 2 else None  # a rule that knows the repair says it third
    return Problem(rule.id, path, words[0], words[1], at_key, repair=repair)
