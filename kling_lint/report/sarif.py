"""SARIF 2.1.0: one log with one run; collected, then written once.

The driver lists only the rules that fired (sorted by id), each with its summary, its details
and its default level; every result points at its rule by id and index. Columns count
characters (``columnKind`` unicodeCodePoints), as Finding's do. A file name is given as a
relative URI with forward slashes; an absolute path becomes a ``file://`` URI.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TextIO
from urllib.parse import quote

from ..findings import Finding, Summary, shown_fix
from .json_format import dumps

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


class Reporter:
    """``rules`` maps a rule id to an object with ``severity``, ``summary`` and ``details``
    (kling_lint's Rule) and ``version`` is kling-lint's: the CLI passes both, so that report/
    needs nothing but findings.py."""

    def __init__(self, stream: TextIO, color: bool = False, rules: Mapping[str, Any] | None = None,
                 version: str = "", **context: Any) -> None:
        self.stream = stream
        self.rules = rules or {}
        self.version = version
        self.findings: list[Finding] = []

    def file(self, name: str, findings: list[Finding]) -> None:
        self.findings.extend(findings)

    def finish(self, summary: Summary) -> None:
        self.stream.write(dumps(self.log(), self.stream) + "\n")

    def log(self) -> dict[str, Any]:
        known, version = self.rules, self.version
        fired = sorted({finding.rule: finding for finding in reversed(self.findings)}.items())
        index = {rule_id: number for number, (rule_id, _) in enumerate(fired)}
        driver: dict[str, Any] = {
            "name": "kling-lint",
            "version": version,
            "rules": [descriptor(rule_id, known.get(rule_id), first) for rule_id, first in fired],
        }
        run = {
            "tool": {"driver": driver},
            "columnKind": "unicodeCodePoints",
            "results": [result(finding, index[finding.rule]) for finding in self.findings],
        }
        return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def descriptor(rule_id: str, rule: Any, first: Finding) -> dict[str, Any]:
    """A reportingDescriptor; ``first`` gives the level of a rule the registry lacks."""
    out: dict[str, Any] = {"id": rule_id}
    if rule is not None and rule.summary:
        out["shortDescription"] = {"text": rule.summary}
    if rule is not None and rule.details:
        out["fullDescription"] = {"text": unwrap(rule.details)}
    severity = rule.severity if rule is not None else first.severity
    out["defaultConfiguration"] = {"level": level(severity)}
    return out


def result(finding: Finding, rule_index: int) -> dict[str, Any]:
    text = finding.message if not finding.hint else f"{finding.message} (hint: {finding.hint})"
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(finding.file)}}
    if finding.line is not None:
        physical["region"] = region(finding)
        one_line = finding.end_line is None or finding.end_line == finding.line
        if finding.snippet is not None and one_line:
            # The source line the span is on: a context region must contain the region, so a
            # span over several lines gets none.
            physical["contextRegion"] = {"startLine": finding.line, "snippet": {"text": finding.snippet}}
    out = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": level(finding.severity),
        "message": {"text": text},
        "locations": [{"physicalLocation": physical}],
        "properties": {"json_path": finding.json_path},
    }
    if finding.fix is not None:
        out["fixes"] = [fix(finding)]
    return out


def fix(finding: Finding) -> dict[str, Any]:
    """A SARIF fix: the edits as character offsets (charOffset, charLength) into the file's text."""
    assert finding.fix is not None
    shown = shown_fix(finding.fix)
    replacements = [
        {"deletedRegion": {"charOffset": e.start, "charLength": e.end - e.start}, "insertedContent": {"text": e.text}}
        for e in shown.edits
    ]
    return {
        "description": {"text": shown.message},
        "artifactChanges": [{"artifactLocation": {"uri": artifact_uri(finding.file)}, "replacements": replacements}],
        "properties": {"applicability": finding.fix.applicability},
    }


def region(finding: Finding) -> dict[str, int | None]:
    out = {"startLine": finding.line}
    if finding.column is not None:
        out["startColumn"] = finding.column
    if finding.end_line is not None:
        out["endLine"] = finding.end_line
        if finding.end_column is not None:
            out["endColumn"] = finding.end_column
    return out


def unwrap(text: str) -> str:
    """A docstring's hard-wrapped lines joined again; blank lines still part paragraphs."""
    return re.sub(r"(?<!\n)\n(?!\n)", " ", text)


def level(severity: Any) -> str:
    return "error" if str(severity) == "error" else "warning"


def artifact_uri(name: str) -> str:
    """A file name as a URI reference: relative stays relative, with forward slashes."""
    path = name.replace("\\", "/")
    if re.match(r"[A-Za-z]:/", path):  # a Windows absolute path
        return "file:///" + path[:2] + quote(path[2:], safe="/")
    if path.startswith("/"):
        return "file://" + quote(path, safe="/")
    return quote(path, safe="/")
