"""The rule record. The table of every rule is ``rules.RULE_TABLE``; a Contract gives each its
severity (the table's, or the one a caller configured) and the values its documentation names.

A rule is explained from schema errors (source "schema": the schema's x-kling-rule annotations
say which constraints are its own, and its function words one of them), checked in code (source
"code": its function takes the whole request), found while reading ("reader"), found only when
images are fetched ("fetch": --fetch-images, fetch.py), or kling-lint's check on itself
("internal"). The function's docstring is the rule's documentation: its first
line the summary, the rest the why. ``{path:keyword}`` in it is a value read from the schema
(contract.Contract.words), so that the documentation follows the schema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from ..findings import Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING


class Rule(NamedTuple):
    id: str
    severity: Severity
    function: Callable[..., Any] | None
    source: str = "code"  # "schema", "code", "reader", "fetch" or "internal"
    fallback_doc: str = ""  # the documentation of a rule without a function
    contract: Any = None  # the Contract whose values fill the documentation's {path:keyword}
    # A cheap test of the request: when it says False, the rule cannot fire and is not run
    # (the image rules, when neither frame can be base64). Asked once a request, however many
    # rules share it.
    applies: Callable[[Any], bool] | None = None

    @property
    def doc(self) -> str:
        import inspect  # documentation is read for `kling-lint rules` and SARIF, not for a check

        text = inspect.getdoc(self.function) if self.function else inspect.cleandoc(self.fallback_doc)
        text = text or ""
        return self.contract.words(text) if self.contract is not None else text

    @property
    def summary(self) -> str:
        return self.doc.split("\n", 1)[0]

    @property
    def details(self) -> str:
        parts = self.doc.split("\n", 1)
        return parts[1].strip() if len(parts) > 1 else ""
