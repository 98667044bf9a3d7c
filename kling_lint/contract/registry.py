"""The rule record and the registry every rule module adds itself to.

A rule is either explained from schema errors (``schema`` names the instance paths and
keywords it covers, and its function turns one error into a message and a hint) or checked
in code (its function takes the whole request and yields problems). Either way the function's
docstring is the rule's documentation: its first line the summary, the rest the why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from ..findings import Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING

# A schema pattern: instance path parts, "*" for any list index, "**" for any rest of the path.
SchemaPattern = tuple[tuple[str, ...], frozenset[str] | None]


class Rule(NamedTuple):
    id: str
    severity: Severity
    function: Callable[..., Any] | None
    schema: tuple[SchemaPattern, ...] = ()
    source: str = "code"  # "schema", "code" or "reader" (found while reading the file)
    fallback_doc: str = ""

    @property
    def doc(self) -> str:
        import inspect  # documentation is read for `kling-lint rules` and SARIF, not for a check

        text = inspect.getdoc(self.function) if self.function else inspect.cleandoc(self.fallback_doc)
        return text or ""

    @property
    def summary(self) -> str:
        return self.doc.split("\n", 1)[0]

    @property
    def details(self) -> str:
        parts = self.doc.split("\n", 1)
        return parts[1].strip() if len(parts) > 1 else ""


RULES: dict[str, Rule] = {}


def _register(rule: Rule) -> None:
    if rule.id in RULES:
        raise ValueError(f"rule {rule.id} is defined twice")
    RULES[rule.id] = rule


def schema_rule(rule_id: str, severity: Severity, *patterns: tuple[tuple[str, ...], set[str] | None]):
    """Declare a rule explained from schema errors at ``patterns`` (path, keywords)."""

    def wrap(function: Callable[..., Any]) -> Callable[..., Any]:
        frozen = tuple((path, frozenset(words) if words else None) for path, words in patterns)
        _register(Rule(rule_id, severity, function, frozen, "schema"))
        return function

    return wrap


def code_rule(rule_id: str, severity: Severity):
    """Declare a rule checked in code: ``function(request)`` yields Problems."""

    def wrap(function: Callable[..., Any]) -> Callable[..., Any]:
        _register(Rule(rule_id, severity, function, (), "code"))
        return function

    return wrap


def reader_rule(rule_id: str, severity: Severity, doc: str) -> None:
    """Declare a rule the loaders apply while reading a file (syntax, duplicate keys, …)."""
    _register(Rule(rule_id, severity, None, (), "reader", doc))
