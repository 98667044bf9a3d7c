"""Schema violations, mapped onto the rule registry: the explanation of an invalid request.

Each violation becomes a Problem of the rule whose schema pattern covers its instance path and
keyword; the cross-field constraints are found by the $defs entry that failed, which is named
like its rule.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..findings import Path, Problem
from .conforms import Violation, violations
from .registry import RULES, Rule
from .rules import CROSS_FIELD_ANCHORS, SchemaError
from .schema import load_schema


@cache
def _patterns() -> list[tuple[tuple[str, ...], frozenset[str] | None, Rule]]:
    """Every rule's schema patterns, the specific ones before the catch-all ones."""
    patterns = [(path, words, rule) for rule in RULES.values() for path, words in rule.schema]
    return sorted(patterns, key=lambda entry: entry[0][:1] == ("**",))


@cache
def _cross_field() -> dict[int, str]:
    """id() of each cross-field $defs entry -> its rule id."""
    return {id(sub): name for name, sub in load_schema()["$defs"].items() if name in CROSS_FIELD_ANCHORS}


def _matches(pattern: tuple[str, ...], path: Path) -> bool:
    for at, part in enumerate(pattern):
        if part == "**":
            return True
        if at >= len(path):
            return False
        if part == "*" and isinstance(path[at], int):
            continue
        if part != path[at]:
            return False
    return len(pattern) == len(path)


def _rule_for(path: Path, keyword: str) -> Rule | None:
    for pattern, words, rule in _patterns():
        if (words is None or keyword in words) and _matches(pattern, path):
            return rule
    return None


def schema_problems(request: Any) -> list[Problem]:
    """One problem per broken schema constraint, at most one per rule and path."""
    found = violations(request)
    typed = {violation.path for violation in found if violation.keyword == "type"}
    problems: dict[tuple[str, Path], Problem] = {}
    for violation in found:
        if violation.keyword != "type" and violation.path in typed:
            continue  # a value of the wrong type: its type error says it all
        for problem in _explain(violation):
            problems.setdefault((problem.rule, problem.path), problem)
    return list(problems.values())


def _explain(violation: Violation) -> list[Problem]:
    cross_field = _cross_field().get(id(violation.schema))
    if cross_field is not None:
        rule = RULES[cross_field]
        anchor, at_key = CROSS_FIELD_ANCHORS[cross_field]
        message, hint = rule.function(SchemaError(anchor, violation.keyword, violation.argument, violation.value))
        return [Problem(rule.id, anchor, message, hint, at_key=at_key)]
    if violation.keyword == "additionalProperties":
        known = violation.schema.get("properties", {})
        return [_problem(violation.path + (key,), violation, key) for key in violation.value if key not in known]
    return [_problem(violation.path, violation, violation.value)]


def _problem(path: Path, violation: Violation, value: Any) -> Problem:
    rule = _rule_for(path, violation.keyword)
    at_key = violation.keyword == "additionalProperties"
    if rule is None:  # a constraint added to the schema without a rule: still reported
        return Problem("type-mismatch", path, f"{violation.keyword} constraint not met", None, at_key)
    message, hint = rule.function(SchemaError(path, violation.keyword, violation.argument, value))
    return Problem(rule.id, path, message, hint, at_key)
