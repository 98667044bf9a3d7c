"""A yes/no answer to "does this request satisfy the schema?", without importing jsonschema.

Most files are valid, and for them jsonschema's import (about 85 ms) would be most of the run.
This module compiles the schema, once, into nested closures that understand exactly the
keywords the schema uses; any other keyword is refused at compile time, so the schema cannot
grow past what this checks. Tests hold it to jsonschema's verdict on every example and on
generated requests. When the answer is no, jsonschema explains why (schema_errors.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from .schema import load_schema

Check = Callable[[Any], bool]

# Keywords that only describe; they never change a verdict.
_ANNOTATIONS = {"$schema", "$id", "$comment", "$defs", "title", "description", "examples", "default"}

_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: type(v) is dict,
    "array": lambda v: type(v) is list,
    "string": lambda v: type(v) is str,
    "boolean": lambda v: type(v) is bool,
    "null": lambda v: v is None,
    "number": lambda v: type(v) in (int, float),
    "integer": lambda v: type(v) is int or (type(v) is float and v.is_integer()),
}


def _is_number(value: Any) -> bool:
    return type(value) in (int, float)


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def compile(self, schema: dict[str, Any]) -> Check:
        checks = [self.keyword(name, value, schema) for name, value in schema.items()
                  if name not in _ANNOTATIONS and name != "additionalProperties"]
        if "additionalProperties" in schema:
            checks.append(self.additional(schema["additionalProperties"], schema.get("properties", {})))
        checks = [check for check in checks if check is not None]
        if len(checks) == 1:
            return checks[0]
        return lambda value: all(check(value) for check in checks)

    def keyword(self, name: str, arg: Any, schema: dict[str, Any]) -> Check | None:
        method = getattr(self, "k_" + name.replace("$", ""), None)
        if method is None:
            raise ValueError(f"the fast check does not understand the schema keyword {name!r}")
        return method(arg)

    def k_type(self, arg: str | list[str]) -> Check:
        tests = [_TYPES[name] for name in ([arg] if isinstance(arg, str) else arg)]
        return lambda value: any(test(value) for test in tests)

    def k_enum(self, arg: list[Any]) -> Check:
        # Every enum of the schema lists strings: compare as strings so that True never equals 1.
        if not all(type(item) is str for item in arg):
            raise ValueError("the fast check supports enums of strings only")
        allowed = frozenset(arg)
        return lambda value: type(value) is str and value in allowed

    def k_minimum(self, arg: float) -> Check:
        return lambda value: not _is_number(value) or value >= arg

    def k_maximum(self, arg: float) -> Check:
        return lambda value: not _is_number(value) or value <= arg

    def k_minLength(self, arg: int) -> Check:
        return lambda value: type(value) is not str or len(value) >= arg

    def k_maxLength(self, arg: int) -> Check:
        return lambda value: type(value) is not str or len(value) <= arg

    def k_pattern(self, arg: str) -> Check:
        search = re.compile(arg).search
        return lambda value: type(value) is not str or search(value) is not None

    def k_minItems(self, arg: int) -> Check:
        return lambda value: type(value) is not list or len(value) >= arg

    def k_maxItems(self, arg: int) -> Check:
        return lambda value: type(value) is not list or len(value) <= arg

    def k_items(self, arg: dict[str, Any]) -> Check:
        item = self.compile(arg)
        return lambda value: type(value) is not list or all(item(entry) for entry in value)

    def k_required(self, arg: list[str]) -> Check:
        return lambda value: type(value) is not dict or all(name in value for name in arg)

    def k_properties(self, arg: dict[str, Any]) -> Check:
        compiled = [(name, self.compile(sub)) for name, sub in arg.items()]
        return lambda value: type(value) is not dict or all(
            check(value[name]) for name, check in compiled if name in value
        )

    def additional(self, arg: Any, properties: dict[str, Any]) -> Check:
        if arg is not False:
            raise ValueError("the fast check supports additionalProperties: false only")
        known = frozenset(properties)
        return lambda value: type(value) is not dict or known.issuperset(value)

    def k_dependentRequired(self, arg: dict[str, list[str]]) -> Check:
        pairs = list(arg.items())
        return lambda value: type(value) is not dict or all(
            all(need in value for need in needs) for name, needs in pairs if name in value
        )

    def k_anyOf(self, arg: list[dict[str, Any]]) -> Check:
        options = [self.compile(sub) for sub in arg]
        return lambda value: any(option(value) for option in options)

    def k_allOf(self, arg: list[dict[str, Any]]) -> Check:
        parts = [self.compile(sub) for sub in arg]
        return lambda value: all(part(value) for part in parts)

    def k_not(self, arg: dict[str, Any]) -> Check:
        inner = self.compile(arg)
        return lambda value: not inner(value)

    def k_ref(self, arg: str) -> Check:
        if not arg.startswith("#/$defs/"):
            raise ValueError(f"the fast check resolves local #/$defs/ references only, not {arg!r}")
        name = arg[len("#/$defs/"):]
        if name not in self.refs:
            self.refs[name] = self.compile(self.root["$defs"][name])
        return self.refs[name]


@cache
def compiled_check() -> Check:
    """The schema as one predicate; built once per process."""
    schema = load_schema()
    return _Compiler(schema).compile(schema)


def conforms(request: Any) -> bool:
    """True when ``request`` satisfies every constraint of the schema."""
    return compiled_check()(request)
