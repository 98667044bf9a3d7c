"""The Contract: everything kling-lint derives from one schema, built once and handed to whatever
needs it.

    contract = Contract()                         # the packaged schema
    contract = Contract(schema_dict)              # any schema (a team's own, a copy in a test)
    contract = contract.with_severities({"aspect-ratio-ignored": "error"})

It holds the schema's compiled yes/no check (generated Python, built on the first check), its
explanation (built for the first invalid request), the rule table with each rule's severity, and
plain answers about every field: ``field(path).allowed``, ``.default``, ``.minimum``, ``.keys``, ...
Which rule a failed schema keyword is reported as is said by the schema itself (``x-kling-rule``);
building a Contract from a schema with a constraint no rule claims fails with ValueError.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping
from functools import cache, cached_property
from typing import Any, NamedTuple

from .. import rule_ids
from ..findings import Problem, Severity
from .conforms import CompiledSchema, Violation, is_annotation
from .registry import Rule
from .rules import RULE_TABLE
from .schema import load_schema
from .words import number, one_of

# A place in the schema's instances: keys, and "*" (or any int) for every item of a list.
FieldPath = tuple[str | int, ...]

RULE_ANNOTATION = "x-kling-rule"
KEYWORD_RULES = "x-kling-keyword-rules"
WHEN_MATCHED = "x-kling-when-matched"

_BY_ID = {rule.id: rule for rule in RULE_TABLE}
_CODE_RULES = tuple(rule for rule in RULE_TABLE if rule.source == "code")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_$][\w.$*]*):([\w-]+)\}")
_MISSING = object()
_COUNTS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


class Site(NamedTuple):
    """A place where the schema can fail a request, and the rule that says so."""

    path: tuple[str, ...]  # instance path, "*" for list items
    keyword: str
    schema: dict[str, Any]  # the schema object holding the keyword
    pointer: str  # where in the schema file, as a JSON pointer
    rule: str


class Matched(NamedTuple):
    """An anyOf branch whose matching values get a rule (``x-kling-when-matched``)."""

    path: tuple[str, ...]
    rule: str
    holder: dict[str, Any]  # the object holding the anyOf: the value must satisfy it too
    branch: dict[str, Any]


class Field:
    """What the schema says about one field, read through $ref and anyOf/allOf branches."""

    def __init__(self, path: FieldPath, schema: dict[str, Any], root: dict[str, Any]) -> None:
        self.path = path
        self.schema = schema
        self._root = root
        self._found: dict[str, Any] = {}

    def parts(self) -> Iterator[dict[str, Any]]:
        """The field's schema, then what it refers to and its allOf/anyOf branches."""
        return _branches(self._root, self.schema)

    def get(self, keyword: str, default: Any = None) -> Any:
        """The first value of ``keyword`` in the field's schema, its reference or its branches."""
        if keyword not in self._found:
            self._found[keyword] = next((schema[keyword] for schema in self.parts() if keyword in schema), _MISSING)
        found = self._found[keyword]
        return default if found is _MISSING else found

    @property
    def allowed(self) -> tuple[Any, ...]:
        """The allowed values (``enum``); empty when any value of the type is allowed."""
        return tuple(self.get("enum", ()))

    @property
    def default(self) -> Any:
        return self.get("default")

    @property
    def minimum(self) -> Any:
        return self.get("minimum")

    @property
    def maximum(self) -> Any:
        return self.get("maximum")

    @property
    def min_length(self) -> Any:
        return self.get("minLength")

    @property
    def max_length(self) -> Any:
        return self.get("maxLength")

    @property
    def min_items(self) -> Any:
        return self.get("minItems")

    @property
    def max_items(self) -> Any:
        return self.get("maxItems")

    @property
    def keys(self) -> tuple[str, ...]:
        """The known keys of an object field."""
        return tuple(self.get("properties", {}))


class Contract:
    """One schema and everything derived from it. Cheap to build; the check compiles on first use.

    The Contract keeps the schema dict it is given: copy it first (copy.deepcopy) if you will go
    on changing it, since the compiled check is built from it once.
    """

    def __init__(self, schema: dict[str, Any] | None = None, severities: Mapping[str, Severity | str] | None = None) -> None:
        self.schema: dict[str, Any] = load_schema() if schema is None else schema
        self._keyword_rules: dict[str, str] = dict(self.schema.get(KEYWORD_RULES, {}))
        self._severities = _severities(severities or {})
        self.matched: list[Matched] = []
        self._field_cache: dict[tuple[str, ...], Field] = {}
        self._matching: dict[str, list[tuple[tuple[str, ...], Callable[[Any], bool]]]] = {}
        self.sites: list[Site] = list(self._sites(self.schema, (), "#", frozenset()))

    @classmethod
    def from_file(cls, path: str, severities: Mapping[str, Severity | str] | None = None) -> Contract:
        import json

        with open(path, encoding="utf-8") as handle:
            return cls(json.load(handle), severities)

    def with_severities(self, severities: Mapping[str, Severity | str]) -> Contract:
        """The same contract (sharing its compiled check) with these rules' severities changed."""
        import copy

        other = copy.copy(self)
        other._severities = {**self._severities, **_severities(severities)}
        other.__dict__.pop("rules", None)
        return other

    # ------------------------------------------------------------ checking

    @cached_property
    def compiled(self) -> CompiledSchema:
        return CompiledSchema(self.schema)

    def compile(self) -> Contract:
        """Build the yes/no check now (before worker processes are forked, say)."""
        self.compiled  # noqa: B018 - the cached property is the point
        return self

    def conforms(self, request: Any) -> bool:
        """True when ``request`` satisfies every constraint of the schema."""
        return self.compiled.conforms(request)

    def violations(self, request: Any) -> list[Violation]:
        return self.compiled.violations(request)

    def check(self, request: Any, explain_always: bool = False) -> list[Problem]:
        """Every problem with ``request``: schema violations (only explained when the fast check
        fails, or always with ``explain_always``), then the code rules'."""
        return list(self.iter_check(request, explain_always))

    def iter_check(self, request: Any, explain_always: bool = False, skip: Collection[str] = ()) -> Iterator[Problem]:
        """``check``'s problems as they are found, none held: a million-item list of mistakes
        costs the caller only the ones it keeps (the engine keeps the first --max-findings).
        ``skip``: code rules the caller knows cannot fire (the engine: secret-in-request, when
        the file's text shows no token and no escape)."""
        valid = self.compiled.conforms(request)
        if explain_always or not valid:
            from .schema_errors import schema_problems

            found = _Counted(self.compiled.iter_violations(request))
            yield from schema_problems(found, self)
            if valid == bool(found.count):  # the two compiled forms disagree: never pass in silence
                yield _disagreement(valid)
        answers: dict[Callable[[Any], bool], bool] = {}  # each rule's applies, asked once
        for rule in _CODE_RULES:
            if rule.id in skip:
                continue
            applies = rule.applies
            if applies is not None:
                if applies not in answers:
                    answers[applies] = applies(request)
                if not answers[applies]:
                    continue
            yield from rule.function(request, self)  # type: ignore[misc]

    # ------------------------------------------------------------ rules

    @cached_property
    def rules(self) -> dict[str, Rule]:
        """Every rule by id, in the table's order, with this contract's severities and words."""
        return {rule.id: rule._replace(severity=self.severity(rule.id), contract=self) for rule in RULE_TABLE}

    def severity(self, rule_id: str) -> Severity:
        return self._severities.get(rule_id) or _BY_ID[rule_id].severity

    def rule_for(self, schema: dict[str, Any], keyword: str) -> str | None:
        """The rule a failed ``keyword`` of the schema object ``schema`` is reported as."""
        claim = schema.get(RULE_ANNOTATION)
        if isinstance(claim, dict) and keyword in claim:
            return claim[keyword]
        if isinstance(claim, str) and keyword not in self._keyword_rules:
            return claim
        return self._keyword_rules.get(keyword)

    # ------------------------------------------------------------ fields

    def field(self, path: FieldPath) -> Field:
        """What the schema says about the field at ``path`` (keys; "*" or an index for list items)."""
        key = tuple("*" if isinstance(part, int) else part for part in path)
        found = self._field_cache.get(key)
        if found is None:  # code rules ask on every request: each field is looked up once
            schema = self.schema
            for part in key:
                schema = self._object_of(schema, part)
            found = self._field_cache[key] = Field(key, schema, self.schema)
        return found

    def matching(self, rule_id: str) -> list[tuple[tuple[str, ...], Callable[[Any], bool]]]:
        """(path, test) of every place where a value passing ``test`` gets ``rule_id`` (x-kling-when-matched)."""
        if rule_id not in self._matching:
            tests = []
            for matched in self.matched:
                if matched.rule == rule_id:
                    holder, branch = self.compiled.valid(matched.holder), self.compiled.valid(matched.branch)
                    tests.append((matched.path, _both(holder, branch)))
            self._matching[rule_id] = tests
        return self._matching[rule_id]

    def allowed(self, path: FieldPath) -> tuple[Any, ...]:
        return self.field(path).allowed

    def defaults(self) -> dict[tuple[str, ...], Any]:
        """Every field's ``default`` keyword, by path: {("duration",): <its default>, ...}."""
        found = {path: Field(path, schema, self.schema).get("default") for path, schema in self.fields()}
        return {path: value for path, value in found.items() if value is not None}

    def objects(self) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
        """(path, known keys) of every object the schema describes; "*" in a path for list items."""
        return self._objects

    @cached_property
    def _objects(self) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
        # Built once: a misspelt key asks for it on every finding, and a walk of the schema
        # costs about a millisecond, more than checking the whole request.
        found = [(path, Field(path, schema, self.schema).keys) for path, schema in self.fields()]
        return tuple((path, keys) for path, keys in found if keys)

    def words(self, text: str) -> str:
        """``text`` with each ``{path:keyword}`` replaced by the schema's value: ``{prompt:maxLength}``
        is the prompt's maxLength; ``{model:values}`` the allowed values ("a, b or c"), and
        ``{model:count}`` how many there are, in words."""

        def value(match: re.Match[str]) -> str:
            path = tuple(part for part in match.group(1).split(".") if part)
            try:
                field = self.field(() if path == ("$",) else path)
            except (KeyError, TypeError):
                return match.group(0)
            keyword = match.group(2)
            if keyword == "values":
                return one_of(field.allowed)
            if keyword == "count":
                count = len(field.allowed)
                return _COUNTS[count] if count < len(_COUNTS) else str(count)
            found = field.get(keyword)
            return match.group(0) if found is None else number(found)

        return _PLACEHOLDER.sub(value, text)

    # ------------------------------------------------------------ reading the schema

    def _object_of(self, schema: dict[str, Any], part: str | int) -> dict[str, Any]:
        for candidate in _branches(self.schema, schema):
            if isinstance(part, int) or part == "*":
                if "items" in candidate:
                    return candidate["items"]
            elif part in candidate.get("properties", {}):
                return candidate["properties"][part]
        raise KeyError(f"the schema describes no field {part!r} here")

    def fields(self) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
        """Every field the schema describes, the request itself first, references followed once."""
        stack: list[tuple[tuple[str, ...], dict[str, Any], frozenset[str]]] = [((), self.schema, frozenset())]
        done: set[tuple[str, ...]] = set()
        while stack:
            path, schema, seen = stack.pop(0)
            if path in done:  # the same key again in a cross-field branch: the field is its first schema
                continue
            done.add(path)
            yield path, schema
            if len(path) > 32:  # a schema that refers to itself: fields this deep are not requests
                continue
            for candidate in _branches(self.schema, schema, seen):
                for name, sub in candidate.get("properties", {}).items():
                    stack.append((path + (name,), sub, seen))
                if isinstance(candidate.get("items"), dict):
                    stack.append((path + ("*",), candidate["items"], seen))
                    break

    def _sites(self, schema: dict[str, Any], path: tuple[str, ...], pointer: str, seen: frozenset[str]) -> Iterator[Site]:
        """Every keyword that can fail, with its rule; a keyword no rule claims is refused."""
        for keyword, arg in schema.items():
            if is_annotation(keyword):
                continue
            if keyword == "properties":
                for name, sub in arg.items():
                    yield from self._sites(sub, path + (name,), f"{pointer}/properties/{name}", seen)
            elif keyword == "items":
                yield from self._sites(arg, path + ("*",), f"{pointer}/items", seen)
            elif keyword == "allOf":
                for number, sub in enumerate(arg):
                    yield from self._sites(sub, path, f"{pointer}/allOf/{number}", seen)
            elif keyword == "$ref":
                if arg not in seen:
                    yield from self._sites(_resolve_ref(self.schema, arg), path, arg, seen | {arg})
            else:  # an assertion, or anyOf / not: reported where it stands
                yield Site(path, keyword, schema, pointer, self._claimed(schema, keyword, pointer))
                if keyword == "anyOf":
                    self.matched.extend(
                        Matched(path, _known(branch[WHEN_MATCHED], "code", f"{pointer}/anyOf"), schema, branch)
                        for branch in arg if WHEN_MATCHED in branch
                    )

    def _claimed(self, schema: dict[str, Any], keyword: str, pointer: str) -> str:
        rule = self.rule_for(schema, keyword)
        if rule is None:
            raise ValueError(f"schema {pointer}: no rule claims {keyword!r}; name one with x-kling-rule")
        return _known(rule, "schema", pointer)


def _known(rule: str, source: str, pointer: str) -> str:
    if rule not in _BY_ID or _BY_ID[rule].source != source:
        raise ValueError(f"schema {pointer}: {rule!r} is not a {source} rule of kling-lint")
    return rule


def _severities(given: Mapping[str, Severity | str]) -> dict[str, Severity]:
    unknown = sorted(set(given) - set(_BY_ID))
    if unknown:
        raise ValueError(f"no rule {', '.join(map(repr, unknown))}; `kling-lint rules` lists them")
    return {rule: Severity(value) for rule, value in given.items()}


def _resolve_ref(root: dict[str, Any], ref: str) -> dict[str, Any]:
    if not ref.startswith("#/$defs/"):
        raise ValueError(f"only local #/$defs/ references are supported, not {ref!r}")
    return root["$defs"][ref[len("#/$defs/"):]]


def _branches(root: dict[str, Any], schema: dict[str, Any], seen: frozenset[str] = frozenset()) -> Iterator[dict[str, Any]]:
    """``schema``, then what it refers to and its allOf/anyOf branches: where a field's parts are."""
    queue = [schema]
    while queue:
        current = queue.pop(0)
        yield current
        ref = current.get("$ref")
        if ref is not None and ref not in seen:
            seen = seen | {ref}
            queue.append(_resolve_ref(root, ref))
        for combinator in ("allOf", "anyOf", "oneOf"):
            queue.extend(sub for sub in current.get(combinator, ()) if isinstance(sub, dict))


class _Counted:
    """An iterator of violations that counts them as they pass."""

    def __init__(self, items: Iterator[Violation]) -> None:
        self.items = items
        self.count = 0

    def __iter__(self) -> Iterator[Violation]:
        for item in self.items:
            self.count += 1
            yield item


def _both(first: Callable[[Any], bool], second: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: first(value) and second(value)


def _disagreement(valid: bool) -> Problem:
    said = "passes the compiled check but has schema violations" if valid else "fails the compiled check, but no violation explains why"
    return Problem(
        rule_ids.INTERNAL_CONSISTENCY,
        (),
        f"kling-lint is inconsistent: the request {said}",
        "please report this request to kling-lint's maintainers; check it with another JSON Schema validator meanwhile",
    )


@cache
def default_contract() -> Contract:
    """The contract of the packaged schema, built once per process."""
    return Contract()
