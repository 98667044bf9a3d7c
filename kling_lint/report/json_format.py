"""One JSON object: {"diagnostics": [...], "summary": {...}}; collected, then written once."""

from __future__ import annotations

import json
from typing import Any, TextIO

from ..findings import Finding, Summary


class Reporter:
    def __init__(self, stream: TextIO, color: bool = False, **context: Any) -> None:
        self.stream = stream
        self.diagnostics: list[dict[str, object]] = []

    def file(self, name: str, findings: list[Finding]) -> None:
        self.diagnostics.extend(diagnostic(finding) for finding in findings)

    def finish(self, summary: Summary) -> None:
        document = {
            "diagnostics": self.diagnostics,
            "summary": {"files": summary.files, "errors": summary.errors, "warnings": summary.warnings},
        }
        json.dump(document, self.stream, ensure_ascii=False, indent=2)
        self.stream.write("\n")


def diagnostic(finding: Finding) -> dict[str, object]:
    return {
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": finding.message,
        "hint": finding.hint,
        "json_path": finding.json_path,
    }
