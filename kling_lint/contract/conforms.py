"""A schema, compiled into Python: a yes/no check and, for a request that fails it, the list of
violated constraints. A Contract (contract.py) holds one ``CompiledSchema`` of its schema.

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
from typing import Any, NamedTuple

from ..findings import Path

# Keywords that only describe; they never change a verdict. So do x-… keywords (x-kling-rule, …).
ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "$defs", "title", "description", "examples", "default"})


def is_annotation(keyword: str) -> bool:
    return keyword in ANNOTATIONS or keyword.startswith("x-")


class Violation(NamedTuple):
    """A schema keyword that a value fails, as jsonschema would report it."""

    path: Path  # where the value is in the request
    keyword: str
    argument: Any  # the keyword's value in the schema
    value: Any  # the value at path
    schema: dict[str, Any]  # the schema object holding the keyword


Valid = Callable[[Any], bool]
Explain = Callable[[Any, Path], Iterator[Violation]]


# Each keyword that looks at one value only, as a Python expression over ``v``; ``K`` holds the
# constants. The same expression is compiled into the explaining test and inlined into the
# generated yes/no function, so the two cannot differ on what a keyword means.
_NUMBER = "(type(v) is int or type(v) is float)"
_TYPE_EXPRESSIONS = {
    "object": "type(v) is dict",
    "array": "type(v) is list",
    "string": "type(v) is str",
    "boolean": "type(v) is bool",
    "null": "v is None",
    "number": _NUMBER,
    "integer": "(type(v) is int or (type(v) is float and v.is_integer()))",
}


def _expression(name: str, arg: Any, constant: Callable[[Any], str]) -> str:
    """The test of an assertion keyword, as an expression that is True when ``v`` passes."""
    if name == "type":
        kinds = [arg] if isinstance(arg, str) else arg
        return "(" + " or ".join(_TYPE_EXPRESSIONS[kind] for kind in kinds) + ")"
    if name == "enum":
        if not all(type(item) is str for item in arg):
            raise ValueError("the compiled schema supports enums of strings only")
        return f"(type(v) is str and v in {constant(frozenset(arg))})"  # True never equals 1 here
    if name in ("minimum", "maximum"):
        operator = ">=" if name == "minimum" else "<="
        return f"(not {_NUMBER} or v {operator} {constant(arg)})"
    if name in ("minLength", "maxLength", "minItems", "maxItems"):
        kind = "str" if name.endswith("Length") else "list"
        operator = ">=" if name.startswith("min") else "<="
        return f"(type(v) is not {kind} or len(v) {operator} {int(arg)})"
    if name == "pattern":
        return f"(type(v) is not str or {constant(re.compile(arg).search)}(v) is not None)"
    raise ValueError(f"the compiled schema does not understand the keyword {name!r}")


def _assertion(name: str, arg: Any) -> Valid:
    constants: list[Any] = []
    source = "lambda v: " + _expression(name, arg, lambda value: _remember(constants, value))
    return eval(source, {"K": constants})  # noqa: S307 - source built above from the schema


def _remember(constants: list[Any], value: Any) -> str:
    constants.append(value)
    return f"K[{len(constants) - 1}]"


class _Generator:
    """Writes the schema as Python source: one function a schema object, ``and``-ed terms."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.constants: list[Any] = []
        self.names: dict[int, str] = {}
        self.functions: list[str] = []

    def constant(self, value: Any) -> str:
        return _remember(self.constants, value)

    def function(self, schema: dict[str, Any]) -> str:
        if id(schema) in self.names:
            return self.names[id(schema)]
        name = self.names[id(schema)] = f"_schema_{len(self.names)}"
        terms = [self.term(keyword, arg, schema) for keyword, arg in schema.items() if not is_annotation(keyword)]
        self.functions.append(f"def {name}(v):\n    return {' and '.join(terms) or 'True'}\n")
        return name

    def term(self, keyword: str, arg: Any, schema: dict[str, Any]) -> str:
        if keyword == "properties":
            checks = [f"({key!r} not in v or {self.function(sub)}(v[{key!r}]))" for key, sub in arg.items()]
            return "(type(v) is not dict or (" + " and ".join(checks) + "))"
        if keyword == "additionalProperties":
            if arg is not False:
                raise ValueError("the compiled schema supports additionalProperties: false only")
            return f"(type(v) is not dict or {self.constant(frozenset(schema.get('properties', ())))}.issuperset(v))"
        if keyword == "required":
            return "(type(v) is not dict or (" + " and ".join(f"{key!r} in v" for key in arg) + "))"
        if keyword == "dependentRequired":
            pairs = [f"({key!r} not in v or {need!r} in v)" for key, needs in arg.items() for need in needs]
            return "(type(v) is not dict or (" + " and ".join(pairs) + "))"
        if keyword == "items":
            return f"(type(v) is not list or all(map({self.function(arg)}, v)))"
        if keyword in ("anyOf", "allOf"):
            joiner = " or " if keyword == "anyOf" else " and "
            return "(" + joiner.join(f"{self.function(sub)}(v)" for sub in arg) + ")"
        if keyword == "not":
            return f"(not {self.function(arg)}(v))"
        if keyword == "$ref":
            if not arg.startswith("#/$defs/"):
                raise ValueError(f"the compiled schema resolves local #/$defs/ references only, not {arg!r}")
            return f"{self.function(self.root['$defs'][arg[len('#/$defs/'):]])}(v)"
        return _expression(keyword, arg, self.constant)

    def build(self) -> dict[int, Valid]:
        """id() of every schema object -> its generated function."""
        self.function(self.root)
        namespace: dict[str, Any] = {"K": self.constants}
        exec("\n".join(self.functions), namespace)  # noqa: S102 - source written above from the schema
        return {key: namespace[name] for key, name in self.names.items()}


class _Explainer:
    """Compiles the schema into ``explain(value, path)`` closures that list violations.

    Whether a sub-schema holds (for anyOf, not, and to skip valid parts) is asked of the
    generated yes/no functions, so there is one implementation of each verdict.
    """

    def __init__(self, root: dict[str, Any], valid_of: dict[int, Valid]) -> None:
        self.root = root
        self.valid_of = valid_of
        self.refs: dict[str, Explain] = {}

    def compile(self, schema: dict[str, Any]) -> Explain:
        valid = self.valid_of[id(schema)]
        # "type" first: a value's type error comes before the others at its path, which the
        # explanation then leaves out without holding every violation (schema_errors.py).
        keywords = sorted((name for name in schema if not is_annotation(name)), key=lambda name: name != "type")
        parts = [self.keyword(name, schema[name], schema) for name in keywords]

        def explain(value: Any, path: Path) -> Iterator[Violation]:
            if valid(value):
                return
            for part in parts:
                yield from part(value, path)

        return explain

    def keyword(self, name: str, arg: Any, schema: dict[str, Any]) -> Explain:
        method = getattr(self, "k_" + name.lstrip("$"), None)
        if method is not None:
            return method(arg, schema)
        test = _assertion(name, arg)

        def explain(value: Any, path: Path) -> Iterator[Violation]:
            if not test(value):
                yield Violation(path, name, arg, value, schema)

        return explain

    def k_required(self, arg: list[str], schema: dict[str, Any]) -> Explain:
        def explain(value: Any, path: Path) -> Iterator[Violation]:
            if type(value) is dict:
                for name in arg:
                    if name not in value:
                        yield Violation(path, "required", arg, value, schema)

        return explain

    def k_dependentRequired(self, arg: dict[str, list[str]], schema: dict[str, Any]) -> Explain:
        def explain(value: Any, path: Path) -> Iterator[Violation]:
            if type(value) is dict:
                for name, needs in arg.items():
                    for need in needs:
                        if name in value and need not in value:
                            yield Violation(path, "dependentRequired", arg, value, schema)

        return explain

    def k_additionalProperties(self, arg: Any, schema: dict[str, Any]) -> Explain:
        known = frozenset(schema.get("properties", ()))

        def explain(value: Any, path: Path) -> Iterator[Violation]:
            if type(value) is dict and not known.issuperset(value):
                yield Violation(path, "additionalProperties", arg, value, schema)

        return explain

    def k_properties(self, arg: dict[str, Any], schema: dict[str, Any]) -> Explain:
        children = [(name, self.compile(sub)) for name, sub in arg.items()]

        def explain(value: Any, path: Path) -> Iterator[Violation]:
            if type(value) is dict:
                for name, child in children:
                    if name in value:
                        yield from child(value[name], path + (name,))

        return explain

    def k_items(self, arg: dict[str, Any], schema: dict[str, Any]) -> Explain:
        item = self.compile(arg)

        def explain(value: Any, path: Path) -> Iterator[Violation]:
            if type(value) is list:
                for index, entry in enumerate(value):
                    yield from item(entry, path + (index,))

        return explain

    def k_anyOf(self, arg: list[dict[str, Any]], schema: dict[str, Any]) -> Explain:
        options = [self.valid_of[id(sub)] for sub in arg]

        def explain(value: Any, path: Path) -> Iterator[Violation]:
            if not any(option(value) for option in options):
                yield Violation(path, "anyOf", arg, value, schema)

        return explain

    def k_allOf(self, arg: list[dict[str, Any]], schema: dict[str, Any]) -> Explain:
        parts = [self.compile(sub) for sub in arg]

        def explain(value: Any, path: Path) -> Iterator[Violation]:
            for part in parts:
                yield from part(value, path)

        return explain

    def k_not(self, arg: dict[str, Any], schema: dict[str, Any]) -> Explain:
        inner = self.valid_of[id(arg)]

        def explain(value: Any, path: Path) -> Iterator[Violation]:
            if inner(value):
                yield Violation(path, "not", arg, value, schema)

        return explain

    def k_ref(self, arg: str, schema: dict[str, Any]) -> Explain:
        name = arg[len("#/$defs/"):]
        if name not in self.refs:
            self.refs[name] = lambda value, path: iter(())  # placeholder while it compiles
            self.refs[name] = self.compile(self.root["$defs"][name])
        return lambda value, path: self.refs[name](value, path)


class CompiledSchema:
    """One schema, compiled: the yes/no check at once, the explanation when first needed.

    The generated functions are found by the id() of the schema objects they were written for;
    this object holds the schema, so those objects live exactly as long as the table.
    """

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.valid_of = _Generator(schema).build()
        self.conforms: Valid = self.valid_of[id(schema)]
        self._explain: Explain | None = None

    def valid(self, subschema: dict[str, Any]) -> Valid:
        """The generated yes/no function of one object of the schema."""
        return self.valid_of[id(subschema)]

    def violations(self, request: Any) -> list[Violation]:
        """Every schema constraint ``request`` violates; empty exactly when ``conforms`` is True."""
        return list(self.iter_violations(request))

    def iter_violations(self, request: Any) -> Iterator[Violation]:
        """``violations`` one at a time, in the order of the request (a value's type first)."""
        if self._explain is None:  # built only in a process that meets an invalid request
            self._explain = _Explainer(self.schema, self.valid_of).compile(self.schema)
        return self._explain(request, ())


def generated_source(schema: dict[str, Any]) -> str:
    """The Python source the yes/no check of ``schema`` is generated as (for reading and debugging)."""
    generator = _Generator(schema)
    generator.function(generator.root)
    return "\n".join(generator.functions)
