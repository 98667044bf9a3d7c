"""The schema, compiled once into Python: a yes/no check and, for a request that fails it, the
list of violated constraints.

Most files are valid, and for them jsonschema's import (about 85 ms) and its general-purpose
evaluation (about 0.4 ms a request) would be most of the run. This module compiles the schema
into closures that understand exactly the keywords the schema uses; any other keyword is
refused at compile time, so the schema cannot grow past what is checked. Both answers come
from the same table of keyword tests, so they cannot disagree, and tests hold both to
jsonschema's verdict and error list on every example and on generated requests.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any, NamedTuple

from ..findings import Path
from .schema import load_schema

# Keywords that only describe; they never change a verdict.
_ANNOTATIONS = {"$schema", "$id", "$comment", "$defs", "title", "description", "examples", "default"}


class Violation(NamedTuple):
    """A schema keyword that a value fails, as jsonschema would report it."""

    path: Path  # where the value is in the request
    keyword: str
    argument: Any  # the keyword's value in the schema
    value: Any  # the value at path
    schema: dict[str, Any]  # the schema object holding the keyword


Valid = Callable[[Any], bool]
Explain = Callable[[Any, Path], Iterator[Violation]]


def _is_number(value: Any) -> bool:
    return type(value) is int or type(value) is float


_TYPES: dict[str, Valid] = {
    "object": lambda v: type(v) is dict,
    "array": lambda v: type(v) is list,
    "string": lambda v: type(v) is str,
    "boolean": lambda v: type(v) is bool,
    "null": lambda v: v is None,
    "number": _is_number,
    "integer": lambda v: type(v) is int or (type(v) is float and v.is_integer()),
}


def _assertion(name: str, arg: Any) -> Valid:
    """The test of a keyword that looks at one value only (no sub-schemas)."""
    if name == "type":
        tests = [_TYPES[kind] for kind in ([arg] if isinstance(arg, str) else arg)]
        return tests[0] if len(tests) == 1 else (lambda v: any(test(v) for test in tests))
    if name == "enum":
        if not all(type(item) is str for item in arg):
            raise ValueError("the compiled schema supports enums of strings only")
        allowed = frozenset(arg)
        return lambda v: type(v) is str and v in allowed  # so that True never equals 1
    if name == "minimum":
        return lambda v: not _is_number(v) or v >= arg
    if name == "maximum":
        return lambda v: not _is_number(v) or v <= arg
    if name == "minLength":
        return lambda v: type(v) is not str or len(v) >= arg
    if name == "maxLength":
        return lambda v: type(v) is not str or len(v) <= arg
    if name == "pattern":
        search = re.compile(arg).search
        return lambda v: type(v) is not str or search(v) is not None
    if name == "minItems":
        return lambda v: type(v) is not list or len(v) >= arg
    if name == "maxItems":
        return lambda v: type(v) is not list or len(v) <= arg
    raise ValueError(f"the compiled schema does not understand the keyword {name!r}")


class _Node:
    """One compiled schema object: ``valid(value)`` and ``explain(value, path)``."""

    __slots__ = ("schema", "valid", "explain")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.valid: Valid = lambda value: True
        self.explain: Explain = lambda value, path: iter(())


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, _Node] = {}

    def compile(self, schema: dict[str, Any]) -> _Node:
        node = _Node(schema)
        parts = [self.keyword(name, arg, schema) for name, arg in schema.items() if name not in _ANNOTATIONS]
        valids = [valid for valid, _ in parts]
        explains = [explain for _, explain in parts]
        if len(valids) == 1:
            node.valid = valids[0]
        elif valids:
            node.valid = lambda value: all(valid(value) for valid in valids)

        def explain(value: Any, path: Path) -> Iterator[Violation]:
            for part in explains:
                yield from part(value, path)

        node.explain = explain
        return node

    def keyword(self, name: str, arg: Any, schema: dict[str, Any]) -> tuple[Valid, Explain]:
        method = getattr(self, "k_" + name.lstrip("$"), None)
        if method is not None:
            return method(arg, schema)
        test = _assertion(name, arg)

        def explain(value: Any, path: Path) -> Iterator[Violation]:
            if not test(value):
                yield Violation(path, name, arg, value, schema)

        return test, explain

    def k_required(self, arg: list[str], schema: dict[str, Any]) -> tuple[Valid, Explain]:
        def valid(value: Any) -> bool:
            return type(value) is not dict or all(name in value for name in arg)

        def explain(value: Any, path: Path) -> Iterator[Violation]:
            if type(value) is dict:
                for name in arg:
                    if name not in value:
                        yield Violation(path, "required", arg, value, schema)

        return valid, explain

    def k_dependentRequired(self, arg: dict[str, list[str]], schema: dict[str, Any]) -> tuple[Valid, Explain]:
        pairs = list(arg.items())

        def valid(value: Any) -> bool:
            return type(value) is not dict or all(
                need in value for name, needs in pairs if name in value for need in needs
            )

        def explain(value: Any, path: Path) -> Iterator[Violation]:
            if type(value) is dict:
                for name, needs in pairs:
                    if name in value:
                        for need in needs:
                            if need not in value:
                                yield Violation(path, "dependentRequired", arg, value, schema)

        return valid, explain

    def k_additionalProperties(self, arg: Any, schema: dict[str, Any]) -> tuple[Valid, Explain]:
        if arg is not False:
            raise ValueError("the compiled schema supports additionalProperties: false only")
        known = frozenset(schema.get("properties", ()))

        def valid(value: Any) -> bool:
            return type(value) is not dict or known.issuperset(value)

        def explain(value: Any, path: Path) -> Iterator[Violation]:
            if not valid(value):
                yield Violation(path, "additionalProperties", arg, value, schema)

        return valid, explain

    def k_properties(self, arg: dict[str, Any], schema: dict[str, Any]) -> tuple[Valid, Explain]:
        children = [(name, self.compile(sub)) for name, sub in arg.items()]

        def valid(value: Any) -> bool:
            return type(value) is not dict or all(
                child.valid(value[name]) for name, child in children if name in value
            )

        def explain(value: Any, path: Path) -> Iterator[Violation]:
            if type(value) is dict:
                for name, child in children:
                    if name in value:
                        yield from child.explain(value[name], path + (name,))

        return valid, explain

    def k_items(self, arg: dict[str, Any], schema: dict[str, Any]) -> tuple[Valid, Explain]:
        item = self.compile(arg)

        def valid(value: Any) -> bool:
            return type(value) is not list or all(item.valid(entry) for entry in value)

        def explain(value: Any, path: Path) -> Iterator[Violation]:
            if type(value) is list:
                for index, entry in enumerate(value):
                    yield from item.explain(entry, path + (index,))

        return valid, explain

    def k_anyOf(self, arg: list[dict[str, Any]], schema: dict[str, Any]) -> tuple[Valid, Explain]:
        options = [self.compile(sub) for sub in arg]

        def valid(value: Any) -> bool:
            return any(option.valid(value) for option in options)

        def explain(value: Any, path: Path) -> Iterator[Violation]:
            if not valid(value):
                yield Violation(path, "anyOf", arg, value, schema)

        return valid, explain

    def k_allOf(self, arg: list[dict[str, Any]], schema: dict[str, Any]) -> tuple[Valid, Explain]:
        parts = [self.compile(sub) for sub in arg]

        def valid(value: Any) -> bool:
            return all(part.valid(value) for part in parts)

        def explain(value: Any, path: Path) -> Iterator[Violation]:
            for part in parts:
                yield from part.explain(value, path)

        return valid, explain

    def k_not(self, arg: dict[str, Any], schema: dict[str, Any]) -> tuple[Valid, Explain]:
        inner = self.compile(arg)

        def valid(value: Any) -> bool:
            return not inner.valid(value)

        def explain(value: Any, path: Path) -> Iterator[Violation]:
            if inner.valid(value):
                yield Violation(path, "not", arg, value, schema)

        return valid, explain

    def k_ref(self, arg: str, schema: dict[str, Any]) -> tuple[Valid, Explain]:
        if not arg.startswith("#/$defs/"):
            raise ValueError(f"the compiled schema resolves local #/$defs/ references only, not {arg!r}")
        name = arg[len("#/$defs/"):]
        if name not in self.refs:
            self.refs[name] = self.compile(self.root["$defs"][name])
        target = self.refs[name]
        return (lambda value: target.valid(value)), (lambda value, path: target.explain(value, path))


@cache
def compiled() -> _Node:
    """The whole schema, compiled; built once per process."""
    schema = load_schema()
    return _Compiler(schema).compile(schema)


def conforms(request: Any) -> bool:
    """True when ``request`` satisfies every constraint of the schema."""
    return compiled().valid(request)


def violations(request: Any) -> list[Violation]:
    """Every schema constraint ``request`` violates; empty exactly when ``conforms`` is True."""
    return list(compiled().explain(request, ()))
