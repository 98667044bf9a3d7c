"""jsonschema's errors, mapped onto the rule registry: the slow path, for invalid requests only.

jsonschema is imported here and nowhere else, so a valid file never pays for it. Each error
becomes a Problem of the rule whose schema pattern covers its instance path and keyword; the
cross-field constraints are found by the $defs entry that failed, named like their rule.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..findings import Path, Problem
from .registry import RULES, Rule
from .rules import CROSS_FIELD_ANCHORS, SchemaError
from .schema import load_schema


@cache
def _validator() -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(load_schema())


@cache
def _patterns() -> list[tuple[tuple[str, ...], frozenset[str] | None, Rule]]:
    """Every rule's schema patterns, the specific ones before the catch-all ones."""
    patterns = [(path, words, rule) for rule in RULES.values() for path, words in rule.schema]
    return sorted(patterns, key=lambda entry: entry[0][:1] == ("**",))


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
    root = load_schema()
    cross_field = {id(sub): name for name, sub in root["$defs"].items() if name in CROSS_FIELD_ANCHORS}
    errors = list(_validator().iter_errors(request))
    typed = {tuple(error.path) for error in errors if error.validator == "type"}
    problems: dict[tuple[str, Path], Problem] = {}
    for error in errors:
        path = tuple(error.path)
        if error.validator != "type" and path in typed:
            continue  # a value of the wrong type: its type error says it all
        for problem in _explain(error, path, cross_field.get(id(error.schema))):
            problems.setdefault((problem.rule, problem.path), problem)
    return list(problems.values())


def _explain(error: Any, path: Path, cross_field: str | None) -> list[Problem]:
    if cross_field is not None:
        rule = RULES[cross_field]
        anchor, at_key = CROSS_FIELD_ANCHORS[cross_field]
        message, hint = rule.function(SchemaError(anchor, error.validator, error.validator_value, error.instance))
        return [Problem(rule.id, anchor, message, hint, at_key=at_key)]
    if error.validator == "additionalProperties":
        return [
            _problem(path + (key,), error, True)
            for key in error.instance
            if key not in error.schema.get("properties", {})
        ]
    return [_problem(path, error, False)]


def _problem(path: Path, error: Any, at_key: bool) -> Problem:
    rule = _rule_for(path, error.validator)
    if rule is None:  # a constraint added to the schema without a rule: still reported
        return Problem("type-mismatch" if error.validator == "type" else "schema", path, error.message, None, at_key)
    value = path[-1] if at_key else error.instance
    message, hint = rule.function(SchemaError(path, error.validator, error.validator_value, value))
    return Problem(rule.id, path, message, hint, at_key)
